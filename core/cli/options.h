#pragma once

// Responsible for what the commands share in reading their options: run's option table (which
// compare reuses and the help texts are generated from), the CLI11 apps built from it, and the
// checks that turn an option's text into its value, each failure said one way ("--workers: -1
// is negative; give a whole number from 1 to 10000").

#include "core/cli/cli.h"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace timeslice::cli {

// What is wrong with the arguments, in Timeslice's words: the command's one-line error.
struct OptionError {
    std::string message;
};

// The run options as CLI11 reads them: text, checked and converted by the parse_* functions
// below so every message names the option and the problem the same way.
struct RunArgs {
    std::string workload, model, scale, tasks, iterations, waits, blocking, workers, gil, switch_interval, kernel,
        trace, image, size, hand_overs, engine, python, scheduler, worker_threads;
};

struct RunOption {
    const char* name;
    std::string RunArgs::*field;
    const char* value;
    const char* description;
};

inline const RunOption kRunOptions[] = {
    { "--workload", &RunArgs::workload, "W",
        "table-loading (default), square-numbers, async-delay, mixed, or a workload file (FILE.json; see "
        "resources/workloads/)" },
    { "--model", &RunArgs::model, "M",
        "processes, threads (default), async, or dask (real Python on a Dask cluster: implies --engine cpython)" },
    { "--scale", &RunArgs::scale, "F", "multiply every wait by F (default 1; tests use 0.05), 0 < F <= 100" },
    { "--waits", &RunArgs::waits, "LIST", "table-loading / async-delay: seconds per task, e.g. 1,2,5" },
    { "--blocking", &RunArgs::blocking, "on|off",
        "table-loading / async-delay: wait with a blocking sleep (time.sleep) rather than an awaited one; under async "
        "it stalls the loop (default off)" },
    { "--tasks", &RunArgs::tasks, "N",
        "square-numbers: number of tasks (default: one per core); mixed: number of I/O tasks (default 3); "
        "table-loading, async-delay: number of tasks, taking the waits in turn (default: one per wait)" },
    { "--iterations", &RunArgs::iterations, "N", "square-numbers: loop length per task (default 100000000)" },
    { "--workers", &RunArgs::workers, "N",
        "pool size (default: cores for processes, min(32, cores + 4) for threads); dask: worker processes of the "
        "local cluster (default: cores)" },
    { "--scheduler", &RunArgs::scheduler, "ADDRESS",
        "dask: a running scheduler (tcp://HOST:PORT) whose workers run the tasks; Timeslice starts nothing there "
        "(default: a LocalCluster started for the run and stopped with it)" },
    { "--worker-threads", &RunArgs::worker_threads, "N", "dask, local cluster: threads in each worker (default 1)" },
    { "--gil", &RunArgs::gil, "on|off", "threads: emulate Python's GIL (default on)" },
    { "--switch-interval", &RunArgs::switch_interval, "MS",
        "threads with GIL: like sys.setswitchinterval (default 5)" },
    { "--kernel", &RunArgs::kernel, "auto|exact|sampled|off",
        "the kernel's record of which thread was on which core: exact (perf_event_open), sampled (/proc every 1 ms), "
        "off; auto (default) takes the best this machine allows" },
    { "--engine", &RunArgs::engine, "native|cpython",
        "native (default): Timeslice's C++ emulation; cpython: the same workload as real Python code "
        "(resources/python/), traced by Timeslice's probe" },
    { "--python", &RunArgs::python, "PATH", "cpython: the interpreter to run (default python3 on PATH; 3.8 or newer)" },
    { "--trace", &RunArgs::trace, "FILE", "write the trace as Chrome Trace Event JSON (opens in Perfetto)" },
    { "--image", &RunArgs::image, "FILE", "draw the timeline to FILE.png, .svg or .pdf (no display needed)" },
    { "--size", &RunArgs::size, "WxH", "image size in pixels (default 1600x900)" },
    { "--hand-overs", &RunArgs::hand_overs, "on|off",
        "draw the hand-over arrows on the image: who took the GIL from whom, and which timer woke a coroutine "
        "(the window's View > Hand-over arrows; default off)" },
};

// A command's CLI11 app: its description, its name for the usage line, and -h/--help.
std::unique_ptr<CLI::App> command_app(const std::string& description, const std::string& name);
// One CLI11 app for a subcommand: parsing, and the help generated from the same table.
std::unique_ptr<CLI::App> run_app(RunArgs& args);
// render's option values as typed, checked by parse_render.
struct RenderText {
    std::string size, hand_overs, speed, fps;
};
std::unique_ptr<CLI::App> render_app(RenderCommand& cmd, RenderText& text);
// The help CLI11 writes for `app`, laid out as every command's help is.
std::string generated_help(CLI::App& app);

// Parses `args` with `app`; throws OptionError with a message in Timeslice's words.
void parse_with(CLI::App& app, const std::vector<std::string>& args, const std::string& command);

// The checks: each returns the value or throws OptionError naming the option.
double parse_double(const std::string& name, const std::string& text, double lo, double hi, bool lo_open);
std::uint64_t parse_count(const std::string& name, const std::string& text, std::uint64_t lo, std::uint64_t hi);
ImageSize parse_size(const std::string& text);
bool parse_on_off(const std::string& name, const std::string& text);
std::vector<double> parse_waits(const std::string& text);
KernelMode parse_kernel_mode(const std::string& text);
// That the interpreter can be found and run (core/python/engine.h's find_python).
void require_python(const std::string& executable);
// Every output file named (--trace, --image) can be written, before anything runs.
void require_writable(std::initializer_list<const std::string*> paths);

} // namespace timeslice::cli
