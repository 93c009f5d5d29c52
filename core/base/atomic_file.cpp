#include "core/base/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace timeslice {

namespace {
std::string why(const std::string& path, int err) { return "cannot write '" + path + "': " + std::strerror(err); }
}

std::string write_file_atomically(const std::string& path, std::string_view content)
{
    if (path.empty())
        return "no file name given";
    std::string temp = path + ".XXXXXX";
    const int fd = mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0)
        return why(path, errno);
    const char* p = content.data();
    std::size_t left = content.size();
    int err = 0;
    while (left > 0) {
        const ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err = n < 0 ? errno : ENOSPC;
            break;
        }
        p += n;
        left -= std::size_t(n);
    }
    if (err == 0 && fchmod(fd, 0644) != 0)
        err = errno;
    if (err == 0 && fsync(fd) != 0)
        err = errno;
    if (close(fd) != 0 && err == 0)
        err = errno;
    if (err == 0 && rename(temp.c_str(), path.c_str()) != 0)
        err = errno;
    if (err != 0) {
        unlink(temp.c_str());
        return why(path, err);
    }
    return {};
}

bool read_file(const std::string& path, std::string& out, std::string& error, std::size_t max_bytes)
{
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = "cannot open '" + path + "': " + std::strerror(errno);
        return false;
    }
    struct stat st {};
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        error = "cannot open '" + path + "': it is a directory";
        return false;
    }
    out.clear();
    char buffer[1 << 16];
    for (;;) {
        const ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            error = "cannot read '" + path + "': " + std::strerror(errno);
            close(fd);
            return false;
        }
        if (n == 0)
            break;
        out.append(buffer, std::size_t(n));
        if (out.size() > max_bytes) {
            error = "'" + path + "' is larger than " + std::to_string(max_bytes >> 20) + " MiB";
            close(fd);
            return false;
        }
    }
    close(fd);
    return true;
}

} // namespace timeslice
