#pragma once

// The cpython engine: runs real Python (the article's programs in resources/python/, or any
// script) with Timeslice's probe loaded, and turns the probe's lines into the same events the
// native models record. See resources/python/probe/timeslice_probe.py for the line format.

#include "core/base/clock.h"
#include "core/models/model.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace timeslice {

struct PythonInfo {
    std::string executable; // as asked for ("python3", or a path)
    std::string path; // sys.executable
    int major = 0, minor = 0, micro = 0;
    bool free_threaded = false; // a build without a GIL (python3.13t) running without one
    std::string version() const; // "3.11.7", "3.13.0 free-threaded"
};

// Runs `executable` (a path, or a name looked up on PATH; empty: python3) to read its version.
// Throws std::invalid_argument naming what was looked for when it is missing, is not Python 3
// or is older than 3.8 (the probe's minimum).
PythonInfo find_python(const std::string& executable);

// Whether `python` has `module` installed (with site-packages, as the programs run), found
// without importing it: its installed version ("?" where it has no metadata), else what went
// wrong (the error's last line). A module found but broken fails later, in the program, with
// Python's own traceback.
struct ImportCheck {
    bool ok = false;
    std::string version;
    std::string error;
};
ImportCheck check_import(const PythonInfo& python, const std::string& module);

// What one iteration of the workloads' loop (total += i * i) takes in this interpreter, in ns,
// measured once per interpreter (about 0.3 s). Throws std::runtime_error when it cannot run.
double cpython_ns_per_iteration(const PythonInfo& python);

// Where Timeslice's Python files are: TIMESLICE_PYTHON_DIR, else share/timeslice/python beside
// the installed program, else the source tree's resources/python.
std::string python_dir();

// One line of the probe, parsed in place (views point into the line).
struct ProbeLine {
    char kind = 0;
    Nanos t = 0;
    std::int32_t pid = 0;
    std::int32_t tid = 0;
    std::string_view key; // T R W Y D F C X K V A
    std::string_view rest; // what follows the key (or the tid, for P S E H G N)
};
// False for a line that does not follow the format (it is counted, never trusted).
bool parse_probe_line(std::string_view line, ProbeLine& out) noexcept;
// Undoes the probe's escapes in a text field.
std::string unescape_probe_text(std::string_view text);

// The program a built-in workload runs as under the cpython engine, with its arguments.
struct PythonProgram {
    std::string script;
    std::vector<std::string> args;
};

struct PythonOptions {
    std::string executable; // empty: python3 on PATH
    PythonProgram program;
    // True for one of Timeslice's own programs: its tasks map, in order of creation, onto the
    // built-in workload's tasks, and asyncio's top-level task (main()) is not a row of its own.
    bool builtin = false;
    // Keep the script's stdout and stderr for the window (capped); false: they go to this
    // process's own, unchanged (the command line's `timeslice python`).
    bool capture_output = true;
    std::size_t output_cap = 1 << 20;
};

// How a Python run ended, and what it printed (when captured).
struct PythonOutcome {
    std::string summary; // "exit status 0", "exit status 1", "killed by signal 9", "stopped"
    bool ok = false; // exit status 0 and not stopped
    std::string output; // stdout and stderr as they came, the last output_cap bytes
    std::uint64_t output_dropped = 0; // bytes that fell off the front
    std::uint64_t bad_lines = 0; // probe lines that did not parse
    std::uint64_t probe_lines = 0;
    PythonInfo python;
    std::string cluster; // RunInfo::cluster: a Dask run's sources and clocks ("" otherwise)
};

class PythonModel final : public Model {
public:
    PythonModel(ModelKind kind, PythonOptions options, PythonInfo python);
    const PythonInfo& python() const noexcept { return m_python; }
    ModelKind kind() const noexcept override { return m_kind; }
    int workers_for(const Workload&) const noexcept override { return 0; }
    void run(RunContext& context) override;

    // Safe from any thread, during and after the run.
    PythonOutcome outcome() const;

private:
    ModelKind m_kind;
    PythonOptions m_options;
    PythonInfo m_python;
    mutable std::mutex m_mutex;
    PythonOutcome m_outcome;
};

} // namespace timeslice
