#pragma once

// The command-line tests' way to run Timeslice's own programs as a user types them.
#include "core/models/process_model.h"

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace timeslice::test {

// A program built beside the worker: "timeslice", "timeslice-worker".
inline std::string built_program(const std::string& name = "timeslice")
{
    const std::string worker = default_worker_path();
    return worker.substr(0, worker.rfind('/') + 1) + name;
}

// Runs a shell command; what it wrote (stdout, and stderr too unless `stderr_too` is false), and
// its exit code in `code`.
inline std::string output_of(const std::string& command, int& code, bool stderr_too = true)
{
    std::string out;
    FILE* pipe = popen((command + (stderr_too ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
    if (!pipe)
        return out;
    char buf[4096];
    while (const std::size_t n = fread(buf, 1, sizeof buf, pipe))
        out.append(buf, n);
    const int status = pclose(pipe);
    code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

} // namespace timeslice::test
