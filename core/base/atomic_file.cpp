#include "core/base/atomic_file.h"

#include "core/base/populate.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
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

bool read_file(const std::string& path, std::string& out, std::string& error, std::size_t max_bytes, std::size_t padding)
{
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = "cannot open '" + path + "': " + std::strerror(errno);
        return false;
    }
    struct stat st {};
    const bool stated = fstat(fd, &st) == 0;
    if (stated && S_ISDIR(st.st_mode)) {
        close(fd);
        error = "cannot open '" + path + "': it is a directory";
        return false;
    }
    const auto too_large = [&] {
        error = "'" + path + "' is larger than " + std::to_string(max_bytes >> 20) + " MiB";
        close(fd);
        return false;
    };
    out.clear();
    // A regular file's size is known: one buffer of it, faulted in at once, read into in place
    // (appending 64 KB at a time copied a 137 MB trace eight times over). It may still grow or
    // shrink while read; the loop below reads what is there.
    if (stated && S_ISREG(st.st_mode) && st.st_size > 0) {
        if (std::uint64_t(st.st_size) > max_bytes)
            return too_large();
        out.reserve(std::size_t(st.st_size) + padding);
        populate(out.data(), out.capacity(), true);
    }
    char buffer[1 << 16];
    for (;;) {
        const bool in_place = out.capacity() - out.size() > padding;
        const std::size_t room = in_place ? out.capacity() - out.size() - padding : sizeof buffer;
        const std::size_t at = out.size();
        if (in_place)
            out.resize(at + room);
        const ssize_t n = read(fd, in_place ? out.data() + at : buffer, room);
        if (in_place)
            out.resize(at + std::size_t(std::max<ssize_t>(n, 0)));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            error = "cannot read '" + path + "': " + std::strerror(errno);
            close(fd);
            return false;
        }
        if (n == 0)
            break;
        if (!in_place)
            out.append(buffer, std::size_t(n));
        if (out.size() > max_bytes)
            return too_large();
    }
    close(fd);
    if (out.capacity() < out.size() + padding)
        out.reserve(out.size() + padding);
    return true;
}

} // namespace timeslice
