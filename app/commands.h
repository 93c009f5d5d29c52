#pragma once

// The command line's commands, one file each under app/commands/, and what main() needs of them
// to dispatch: each takes the arguments after its name and returns the exit status.

#include <csignal>
#include <string>
#include <vector>

namespace timeslice::app {

// The signals that stop a command-line run (and SIGUSR2, which says it finished).
sigset_t stop_signals();
// Says "timeslice: error: MESSAGE" on stderr; returns the exit status for bad input (2).
int fail(const std::string& message);

int run_command(int argc, char** argv, const std::vector<std::string>& args);
int render_command(int argc, char** argv, const std::vector<std::string>& args);
int compare_command(int argc, char** argv, const std::vector<std::string>& args);
int python_command(int argc, char** argv, const std::vector<std::string>& args);
int advise_command(const std::vector<std::string>& args);
int derive_command(const std::vector<std::string>& args);
// The window, with a saved trace opened when `trace_path` is not empty; --startup-probe says how
// long it took to show, and quits.
int window_command(int argc, char** argv, const std::string& trace_path, bool startup_probe = false);

} // namespace timeslice::app
