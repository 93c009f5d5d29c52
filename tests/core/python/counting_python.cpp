// A stand-in interpreter for the tests of what Timeslice remembers of an interpreter: a program
// file (not a script, which is never remembered) that answers the version query as CPython 3.11.7
// would, and counts its runs in the file COUNTING_PYTHON_LOG names.
#include <cstdio>
#include <cstdlib>

int main(int, char** argv)
{
    if (const char* log = std::getenv("COUNTING_PYTHON_LOG")) {
        if (std::FILE* f = std::fopen(log, "a")) {
            std::fputs("run\n", f);
            std::fclose(f);
        }
    }
    std::printf("3 11 7 0 %s\n", argv[0]);
    return 0;
}
