#include "core/python/dask.h"

#include "core/base/parse.h"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace timeslice {

namespace {

struct Split {
    std::string host;
    std::string port;
};

Split split(const std::string& address)
{
    std::string rest = address;
    if (const auto scheme = rest.find("://"); scheme != std::string::npos)
        rest = rest.substr(scheme + 3);
    if (!rest.empty() && rest.back() == '/')
        rest.pop_back();
    if (!rest.empty() && rest.front() == '[') { // [IPv6]:port
        const auto close = rest.find(']');
        if (close == std::string::npos)
            return {};
        return { rest.substr(1, close - 1), close + 1 < rest.size() && rest[close + 1] == ':' ? rest.substr(close + 2) : "" };
    }
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos)
        return { rest, "" };
    return { rest.substr(0, colon), rest.substr(colon + 1) };
}

} // namespace

std::string check_scheduler_address(const std::string& address)
{
    const std::string example = "give tcp://HOST:PORT, as `dask scheduler` prints it (for example tcp://127.0.0.1:8786)";
    if (address.empty())
        return "the scheduler's address is empty: " + example;
    if (const auto scheme = address.find("://"); scheme != std::string::npos) {
        const std::string name = address.substr(0, scheme);
        if (name != "tcp" && name != "tls")
            return fmt::format("'{}': Timeslice reaches a scheduler over tcp:// or tls://, not {}://", address, name);
    }
    const Split s = split(address);
    if (s.host.empty())
        return fmt::format("'{}' names no host: {}", address, example);
    for (const char c : s.host) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == ':'))
            return fmt::format("'{}': '{}' is not a host name or address", address, s.host);
    }
    if (s.port.empty())
        return fmt::format("'{}' names no port: {}", address, example);
    int port = 0;
    const auto r = std::from_chars(s.port.data(), s.port.data() + s.port.size(), port);
    if (r.ec != std::errc() || r.ptr != s.port.data() + s.port.size() || port < 1 || port > 65535)
        return fmt::format("'{}': the port '{}' is not a number from 1 to 65535", address, s.port);
    return {};
}

SchedulerEndpoint scheduler_endpoint(const std::string& address)
{
    const Split s = split(address);
    SchedulerEndpoint e;
    e.host = s.host;
    std::from_chars(s.port.data(), s.port.data() + s.port.size(), e.port);
    return e;
}

void require_scheduler(const std::string& address, Nanos timeout)
{
    if (const std::string error = check_scheduler_address(address); !error.empty())
        throw std::invalid_argument("--scheduler: " + error);
    const SchedulerEndpoint where = scheduler_endpoint(address);
    addrinfo hints {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(where.port);
    if (const int rc = ::getaddrinfo(where.host.c_str(), port.c_str(), &hints, &found); rc != 0)
        throw std::invalid_argument(fmt::format("cannot reach the Dask scheduler at {}: {}", address, ::gai_strerror(rc)));
    std::string why = "no address to try";
    bool reached = false;
    const Nanos deadline = monotonic_now() + timeout;
    for (addrinfo* a = found; a && !reached; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            why = std::strerror(errno);
            continue;
        }
        if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
            reached = true;
        } else if (errno == EINPROGRESS) {
            pollfd p { fd, POLLOUT, 0 };
            const int left = int(std::max<Nanos>(0, (deadline - monotonic_now()) / kNanosPerMilli));
            if (::poll(&p, 1, left) == 1) {
                int error = 0;
                socklen_t len = sizeof error;
                ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
                if (error == 0)
                    reached = true;
                else
                    why = std::strerror(error);
            } else {
                why = fmt::format("no answer within {:.0f} s", double(timeout) / 1e9);
            }
        } else {
            why = std::strerror(errno);
        }
        ::close(fd);
    }
    ::freeaddrinfo(found);
    if (!reached)
        throw std::invalid_argument(fmt::format("cannot reach the Dask scheduler at {}: {} (is `dask scheduler` running "
                                                "there, and is its port open to this machine?)",
            address, why));
}

PythonInfo find_dask_python(const std::string& requested, std::string* distributed_version)
{
    std::vector<std::string> tried;
    std::vector<std::string> candidates;
    if (!requested.empty())
        candidates = { requested };
    else
        candidates = { "python3", "/usr/bin/python3" };
    for (const std::string& candidate : candidates) {
        PythonInfo python;
        try {
            python = find_python(candidate);
        } catch (const std::invalid_argument& e) {
            tried.push_back(e.what());
            continue;
        }
        const ImportCheck check = check_import(python, "distributed");
        if (check.ok) {
            if (distributed_version)
                *distributed_version = check.version;
            return python;
        }
        tried.push_back(fmt::format("'{}' (Python {} at {}) cannot import distributed: {}", candidate, python.version(), python.path,
            check.error));
        if (python.path == "/usr/bin/python3" || python.path.starts_with("/usr/bin/python3."))
            break; // the same interpreter again
    }
    std::string message = "the dask model needs Dask's `distributed` package: ";
    for (std::size_t i = 0; i < tried.size(); ++i)
        message += (i ? "; " : "") + tried[i];
    message += ". Install it (Debian: apt install python3-distributed; elsewhere: python3 -m pip install distributed), "
               "or name an interpreter that has it (the window's Python field; --python on the command line)";
    throw std::invalid_argument(message);
}

} // namespace timeslice
