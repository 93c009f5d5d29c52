#include "core/python/interpreter_cache.h"

#include "core/base/clock.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string_view>

namespace timeslice {

// The file `executable` names: itself if it holds a '/', else the first executable of that name
// on PATH, as execvp finds it; empty if there is none.
std::string resolve_executable(const std::string& executable)
{
    if (executable.find('/') != std::string::npos)
        return executable;
    std::string fallback; // without PATH, the system's default path, as posix_spawnp has it
    const char* path = std::getenv("PATH");
    if (!path) {
        fallback.resize(::confstr(_CS_PATH, nullptr, 0));
        if (!fallback.empty())
            ::confstr(_CS_PATH, fallback.data(), fallback.size());
        fallback.resize(std::strlen(fallback.c_str()));
    }
    std::string_view dirs = path ? std::string_view(path) : std::string_view(fallback);
    while (true) {
        const std::size_t colon = dirs.find(':');
        std::string dir(dirs.substr(0, colon));
        const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + executable;
        if (::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        if (colon == std::string_view::npos)
            return {};
        dirs.remove_prefix(colon + 1);
    }
}

std::optional<FileIdentity> file_identity(const std::string& path)
{
    struct stat st {};
    if (path.empty() || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return std::nullopt;
    return FileIdentity { st.st_dev, st.st_ino, st.st_size, std::int64_t(st.st_mtim.tv_sec) * kNanosPerSecond + st.st_mtim.tv_nsec };
}

// Only a program file is identified: a script in its place (pyenv's python3, a wrapper) may pick
// another interpreter each time it runs, by the folder it runs in or the environment.
std::optional<FileIdentity> program_identity(const std::string& path)
{
    const auto id = file_identity(path);
    if (!id)
        return std::nullopt;
    char magic[4] = {};
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    const bool elf = ::read(fd, magic, sizeof magic) == ssize_t(sizeof magic) && std::memcmp(magic, "\x7f" "ELF", 4) == 0;
    ::close(fd);
    if (!elf)
        return std::nullopt;
    return id;
}

} // namespace timeslice
