#pragma once

#include "core/run/runner.h"

#include <optional>
#include <string>
#include <vector>

namespace timeslice::cli {

struct ImageSize {
    int width = 1600;
    int height = 900;
};

struct RunCommand {
    RunConfig config;
    std::string trace_path;
    std::string image_path;
    ImageSize size;
    bool hand_overs = false; // --hand-overs on: the image carries the hand-over arrows
};

struct CompareCommand {
    RunConfig config; // model and GIL are set per entry
    std::vector<Engine> engines; // --engines: one model under each engine, rather than every model
    std::vector<ModelKind> models; // --models: these models only (empty: every model the engine runs)
    std::string trace_dir;
    std::string image_path;
    ImageSize size;
    bool hand_overs = false;
};

// timeslice python [options] SCRIPT [ARGS...]
struct PythonCommand {
    RunConfig config; // engine cpython, the script and its arguments in config.python.program
    std::string trace_path;
    std::string image_path;
    ImageSize size;
    bool hand_overs = false;
};

struct RenderCommand {
    std::string trace_path;
    std::string image_path;
    std::string video_path; // --video: the replay, the playhead moving at `speed`
    ImageSize size;
    bool hand_overs = false;
    double speed = 0.01; // run time per video time
    int fps = 30;
};

// Parse results: the command, or a one-line error (exit code 2), or a request for help text.
template <typename T> struct Parsed {
    std::optional<T> command;
    std::string error;
    bool help = false;
};

Parsed<RunCommand> parse_run(const std::vector<std::string>& args);
Parsed<RenderCommand> parse_render(const std::vector<std::string>& args);
Parsed<CompareCommand> parse_compare(const std::vector<std::string>& args);
Parsed<PythonCommand> parse_python(const std::vector<std::string>& args);

std::string main_help();
std::string run_help();
std::string render_help();
std::string compare_help();
std::string python_help();

// One line per model: makespan, ideal, speedup, CPU, concurrency.
std::string format_compare_summary(const std::vector<std::string>& labels, const std::vector<const Trace*>& traces);

// "" if a file can be created at `path`, else why not (checked before a long run starts).
std::string check_writable(const std::string& path);
// "" if `path` ends in one of the image extensions (png, svg, pdf).
std::string check_image_extension(const std::string& path);
// "png" for "a/b.PNG"; "" without one.
std::string extension_of(const std::string& path);

// The per-task table and the makespan, as the command line prints them.
std::string format_report(const Trace& trace);

} // namespace timeslice::cli
