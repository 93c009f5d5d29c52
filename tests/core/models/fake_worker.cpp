// A worker that misbehaves on purpose, chosen by FAKE_WORKER_MODE: "garbage" answers its first
// task with a line that is not the protocol; "exit3" exits with code 3 mid-task; "silent" reads
// its task and never answers; "vanish" deletes its own executable, then exits with code 3, so
// no replacement worker can be started.
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

int main(int, char** argv)
{
    const char* mode = std::getenv("FAKE_WORKER_MODE");
    const std::string m = mode ? mode : "";
    char buf[4096];
    if (read(STDIN_FILENO, buf, sizeof buf) <= 0)
        return 0;
    if (m == "garbage") {
        const char* line = "this is not a state change\n";
        [[maybe_unused]] auto r = write(STDOUT_FILENO, line, std::strlen(line));
        pause();
    }
    if (m == "exit3")
        return 3;
    if (m == "vanish") {
        unlink(argv[0]);
        return 3;
    }
    for (;;)
        pause();
}
