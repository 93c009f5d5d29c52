#pragma once

// The dask model's checks before anything starts: an interpreter that can import Dask's
// `distributed`, and a scheduler address that is well formed and answers.

#include "core/python/engine.h"

#include <string>

namespace timeslice {

// A scheduler's address as Dask takes it: tcp://HOST:PORT or tls://HOST:PORT (HOST a name, an
// IPv4 address or [an IPv6 one]; PORT 1 to 65535), or HOST:PORT (tcp). Returns an empty string
// when it is one, else what is wrong, in one line.
std::string check_scheduler_address(const std::string& address);

struct SchedulerEndpoint {
    std::string host;
    int port = 0;
};
// The host and port of an address check_scheduler_address accepts.
SchedulerEndpoint scheduler_endpoint(const std::string& address);

// Connects to the scheduler's port (waiting at most `timeout`) and hangs up: throws
// std::invalid_argument naming the address and why when nothing answers there.
void require_scheduler(const std::string& address, Nanos timeout = 3 * kNanosPerSecond);

// The interpreter the dask model runs: `requested` when given (it must import distributed),
// else python3 on PATH if it can, else /usr/bin/python3 (where Debian's python3-distributed
// lives). Throws std::invalid_argument naming what was tried and how to install distributed.
// `distributed_version` gets the package's version.
PythonInfo find_dask_python(const std::string& requested, std::string* distributed_version = nullptr);

} // namespace timeslice
