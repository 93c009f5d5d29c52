#include "core/cli/cli.h"

#include "core/analysis/schedule.h"
#include "core/workload/workload.h"
#include "core/workload/workload_file.h"
#include "core/workload/builtins.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sstream>

namespace timeslice::cli {

namespace {

struct OptionError {
    std::string message;
};

// The run options as CLI11 reads them: text, checked and converted by the parse_* functions
// below so every message names the option and the problem the same way.
struct RunArgs {
    std::string workload, model, scale, tasks, iterations, waits, blocking, workers, gil, switch_interval, kernel, trace, image,
        size, hand_overs, engine, python;
};

struct RunOption {
    const char* name;
    std::string RunArgs::*field;
    const char* value;
    const char* description;
};

const RunOption kRunOptions[] = {
    { "--workload", &RunArgs::workload, "W",
        "table-loading (default), square-numbers, async-delay, mixed, or a workload file (FILE.json; see resources/workloads/)" },
    { "--model", &RunArgs::model, "M", "processes, threads (default), async" },
    { "--scale", &RunArgs::scale, "F", "multiply every wait by F (default 1; tests use 0.05), 0 < F <= 100" },
    { "--waits", &RunArgs::waits, "LIST", "table-loading / async-delay: seconds per task, e.g. 1,2,5" },
    { "--blocking", &RunArgs::blocking, "on|off",
        "table-loading / async-delay: wait with a blocking sleep (time.sleep) rather than an awaited one; under async it "
        "stalls the loop (default off)" },
    { "--tasks", &RunArgs::tasks, "N", "square-numbers: number of tasks (default: one per core); mixed: number of I/O tasks (default 3); "
                                          "table-loading, async-delay: number of tasks, taking the waits in turn (default: one per wait)" },
    { "--iterations", &RunArgs::iterations, "N", "square-numbers: loop length per task (default 100000000)" },
    { "--workers", &RunArgs::workers, "N", "pool size (default: cores for processes, min(32, cores + 4) for threads)" },
    { "--gil", &RunArgs::gil, "on|off", "threads: emulate Python's GIL (default on)" },
    { "--switch-interval", &RunArgs::switch_interval, "MS", "threads with GIL: like sys.setswitchinterval (default 5)" },
    { "--kernel", &RunArgs::kernel, "auto|exact|sampled|off",
        "the kernel's record of which thread was on which core: exact (perf_event_open), sampled (/proc every 1 ms), "
        "off; auto (default) takes the best this machine allows" },
    { "--engine", &RunArgs::engine, "native|cpython",
        "native (default): Timeslice's C++ emulation; cpython: the same workload as real Python code (resources/python/), "
        "traced by Timeslice's probe" },
    { "--python", &RunArgs::python, "PATH", "cpython: the interpreter to run (default python3 on PATH; 3.8 or newer)" },
    { "--trace", &RunArgs::trace, "FILE", "write the trace as Chrome Trace Event JSON (opens in Perfetto)" },
    { "--image", &RunArgs::image, "FILE", "draw the timeline to FILE.png, .svg or .pdf (no display needed)" },
    { "--size", &RunArgs::size, "WxH", "image size in pixels (default 1600x900)" },
    { "--hand-overs", &RunArgs::hand_overs, "on|off",
        "draw the hand-over arrows on the image: who took the GIL from whom, and which timer woke a coroutine "
        "(the window's View > Hand-over arrows; default off)" },
};

// One CLI11 app for a subcommand: parsing, and the help generated from the same table.
void add_run_options(CLI::App& app, RunArgs& args)
{
    for (const RunOption& o : kRunOptions)
        app.add_option(o.name, args.*o.field, o.description)->type_name(o.value)->take_last()->allow_extra_args(false);
}

// CLI11's own messages, said the way the rest of Timeslice says them.
std::string cli_error(const CLI::ParseError& e, const std::string& command)
{
    const std::string what = e.what();
    if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
        const auto colon = what.find(": ");
        const std::string extra = colon == std::string::npos ? what : what.substr(colon + 2);
        return (extra.rfind('-', 0) == 0 ? "unknown option '" : "unexpected argument '") + extra + "' (see timeslice " + command
            + " --help)";
    }
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
        const auto colon = what.find(':');
        return what.substr(0, colon) + " needs a value";
    }
    return what;
}

// Parses `args` with `app`; throws OptionError with a message in Timeslice's words.
void parse_with(CLI::App& app, const std::vector<std::string>& args, const std::string& command)
{
    std::vector<std::string> reversed(args.rbegin(), args.rend()); // CLI11 takes them from the back
    try {
        app.parse(reversed);
    } catch (const CLI::ParseError& e) {
        throw OptionError { cli_error(e, command) };
    }
}

std::string generated_help(CLI::App& app)
{
    auto formatter = std::make_shared<CLI::Formatter>();
    formatter->column_width(24);
    formatter->label("OPTIONS", "options");
    app.formatter(formatter);
    return app.help();
}

double parse_double(const std::string& name, const std::string& text, double lo, double hi, bool lo_open)
{
    double v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size() || !std::isfinite(v))
        throw OptionError { name + ": '" + text + "' is not a number" };
    if ((lo_open ? v <= lo : v < lo) || v > hi) {
        std::ostringstream msg;
        msg << name << ": " << text << " is out of range (" << (lo_open ? "above " : "at least ") << lo
            << ", at most " << hi << ")";
        throw OptionError { msg.str() };
    }
    return v;
}

std::uint64_t parse_count(const std::string& name, const std::string& text, std::uint64_t lo, std::uint64_t hi)
{
    std::uint64_t v = 0;
    if (!text.empty() && text[0] == '-')
        throw OptionError { name + ": " + text + " is negative; give a whole number from " + std::to_string(lo)
            + " to " + std::to_string(hi) };
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || r.ptr != text.data() + text.size() || (r.ec != std::errc() && r.ec != std::errc::result_out_of_range))
        throw OptionError { name + ": '" + text + "' is not a whole number" };
    if (r.ec == std::errc::result_out_of_range || v < lo || v > hi)
        throw OptionError { name + ": " + text + " is out of range (" + std::to_string(lo) + " to " + std::to_string(hi)
            + ")" };
    return v;
}

ImageSize parse_size(const std::string& text)
{
    const std::size_t x = text.find('x');
    if (x == std::string::npos)
        throw OptionError { "--size: '" + text + "' is not WIDTHxHEIGHT (for example 1600x900)" };
    ImageSize s;
    s.width = int(parse_count("--size width", text.substr(0, x), 200, 10000));
    s.height = int(parse_count("--size height", text.substr(x + 1), 150, 10000));
    return s;
}

bool parse_on_off(const std::string& name, const std::string& text)
{
    if (text != "on" && text != "off")
        throw OptionError { name + ": '" + text + "' must be on or off" };
    return text == "on";
}

std::vector<double> parse_waits(const std::string& text)
{
    std::vector<double> waits;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = text.find(',', start);
        const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        waits.push_back(parse_double("--waits", item, 0, Limits::kMaxWaitSeconds, false));
        if (waits.size() > 10'000)
            throw OptionError { "--waits: at most 10000 waits" };
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return waits;
}

std::string seconds(Nanos ns)
{
    return fmt::format("{:.3f} s", to_seconds(ns));
}

} // namespace

std::string check_writable(const std::string& path)
{
    if (path.empty())
        return "no file name given";
    const std::size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    if (access(dir.c_str(), W_OK) != 0)
        return "cannot write '" + path + "': " + (errno == ENOENT ? "the folder does not exist" : std::strerror(errno));
    if (access(path.c_str(), F_OK) == 0 && access(path.c_str(), W_OK) != 0)
        return "cannot write '" + path + "': " + std::strerror(errno);
    return {};
}

namespace {

// Every output file named (--trace, --image) can be written, before anything runs.
void require_writable(std::initializer_list<const std::string*> paths)
{
    for (const std::string* path : paths) {
        if (!path->empty()) {
            if (std::string e = check_writable(*path); !e.empty())
                throw OptionError { e };
        }
    }
}

} // namespace

std::string check_image_extension(const std::string& path)
{
    const std::size_t dot = path.rfind('.');
    std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (ext == "png" || ext == "svg" || ext == "pdf")
        return {};
    return "'" + path + "': the image format comes from the extension: .png, .svg or .pdf";
}

std::unique_ptr<CLI::App> run_app(RunArgs& args)
{
    auto owned = std::make_unique<CLI::App>("Runs one workload under one model with real processes, threads or coroutines, "
                                            "prints each task's worker, start, end and result, and the makespan.",
        "timeslice run");
    CLI::App& app = *owned;
    app.set_help_flag("-h,--help", "this text");
    add_run_options(app, args);
    app.footer("Ctrl+C stops the run as the window's Stop does, then still prints and saves what ran.\n"
               "Exit codes: 0 every task done, 1 a task failed, 2 bad arguments or a file that cannot be\n"
               "written, 130 stopped with Ctrl+C (143 with SIGTERM).");
    return owned;
}

Parsed<RunCommand> parse_run(const std::vector<std::string>& args)
{
    Parsed<RunCommand> parsed;
    RunCommand cmd;
    std::string gil = "on";
    bool gil_given = false;
    try {
        RunArgs a;
        const auto owned = run_app(a);
        CLI::App& app = *owned;
        if (std::find(args.begin(), args.end(), "--help") != args.end() || std::find(args.begin(), args.end(), "-h") != args.end()) {
            parsed.help = true;
            return parsed;
        }
        parse_with(app, args, "run");
        const auto given = [&](const char* name) { return app.count(name) > 0; };
        if (given("--workload") && is_workload_file(a.workload)) {
            cmd.config.workload_file = a.workload;
        } else if (given("--workload")) {
            if (!find_workload(a.workload))
                throw OptionError { "--workload: unknown workload '" + a.workload + "' (choose " + workload_choices()
                    + ", or a FILE.json)" };
            cmd.config.workload = a.workload;
        }
        if (given("--model")) {
            const ModelDescriptor* model = find_model(a.model);
            if (!model)
                throw OptionError { "--model: unknown model '" + a.model + "' (choose " + model_choices() + ")" };
            cmd.config.model = model->kind;
        }
        if (given("--scale"))
            cmd.config.workload_options.scale = parse_double("--scale", a.scale, 0, Limits::kMaxScale, true);
        if (given("--kernel")) {
            const auto mode = kernel_mode_from_name(a.kernel);
            if (!mode)
                throw OptionError { "--kernel: '" + a.kernel + "' must be auto, exact, sampled or off" };
            cmd.config.kernel.mode = *mode;
        }
        if (given("--tasks"))
            cmd.config.workload_options.tasks = int(parse_count("--tasks", a.tasks, 1, Limits::kMaxTaskCountWaits));
        if (given("--iterations"))
            cmd.config.workload_options.iterations = parse_count("--iterations", a.iterations, 1, Limits::kMaxIterations);
        if (given("--waits"))
            cmd.config.workload_options.waits = parse_waits(a.waits);
        if (given("--blocking")) {
            if (a.blocking != "on" && a.blocking != "off")
                throw OptionError { "--blocking: '" + a.blocking + "' must be on or off" };
            cmd.config.workload_options.blocking = a.blocking == "on";
        }
        if (given("--workers"))
            cmd.config.model_options.workers = int(parse_count("--workers", a.workers, 1, Limits::kMaxThreadWorkers));
        if (given("--gil")) {
            if (a.gil != "on" && a.gil != "off")
                throw OptionError { "--gil: '" + a.gil + "' must be on or off" };
            gil = a.gil;
            gil_given = true;
        }
        if (given("--switch-interval"))
            cmd.config.model_options.switch_interval = Nanos(std::llround(parse_double("--switch-interval", a.switch_interval, 0.001, 1000, false) * 1e6));
        if (given("--engine")) {
            const EngineDescriptor* engine = find_engine(a.engine);
            if (!engine)
                throw OptionError { "--engine: unknown engine '" + a.engine + "' (choose " + engine_choices() + ")" };
            cmd.config.engine = engine->engine;
        }
        if (given("--python")) {
            if (cmd.config.engine != Engine::CPython)
                throw OptionError { "--python applies to --engine cpython" };
            cmd.config.python.executable = a.python;
        }
        if (cmd.config.engine == Engine::CPython) {
            if (gil_given || given("--switch-interval"))
                throw OptionError { std::string(gil_given ? "--gil" : "--switch-interval")
                    + " applies to the native engine: CPython has its own GIL" };
            try {
                find_python(cmd.config.python.executable);
            } catch (const std::invalid_argument& e) {
                throw OptionError { e.what() };
            }
        }
        if (given("--trace"))
            cmd.trace_path = a.trace;
        if (given("--image")) {
            if (std::string e = check_image_extension(a.image); !e.empty())
                throw OptionError { "--image: " + e };
            cmd.image_path = a.image;
        }
        if (given("--size"))
            cmd.size = parse_size(a.size);
        if (given("--hand-overs")) {
            cmd.hand_overs = parse_on_off("--hand-overs", a.hand_overs);
            if (cmd.hand_overs && !given("--image"))
                throw OptionError { "--hand-overs draws on the image: give --image FILE too" };
        }
        const ModelDescriptor& model = describe(cmd.config.model);
        if (gil_given && !model.gil)
            throw OptionError { "--gil applies to the threads model only" };
        cmd.config.model_options.gil = model.gil && gil == "on";
        if (!cmd.config.workload_file.empty()) {
            const WorkloadOptions& o = cmd.config.workload_options;
            if (!o.waits.empty() || o.tasks || o.iterations || o.blocking)
                throw OptionError { "--waits, --tasks, --iterations and --blocking apply to the built-in workloads; "
                                    "a workload file says its own tasks and steps" };
            try {
                cmd.config.workload = load_workload_file(cmd.config.workload_file, o).name;
            } catch (const std::invalid_argument& e) {
                throw OptionError { std::string("--workload: ") + e.what() };
            }
        }
        if (model.pool && cmd.config.model_options.workers > model.max_workers)
            throw OptionError { "--workers: at most " + std::to_string(model.max_workers) + " for " + std::string(model.name) };
        if (std::string e = validate(cmd.config); !e.empty())
            throw OptionError { e };
        require_writable({ &cmd.trace_path, &cmd.image_path });
    } catch (const OptionError& e) {
        parsed.error = e.message;
        return parsed;
    }
    parsed.command = std::move(cmd);
    return parsed;
}

std::unique_ptr<CLI::App> render_app(RenderCommand& cmd, std::string& size, std::string& hand_overs)
{
    auto owned = std::make_unique<CLI::App>("Draws a trace saved by Timeslice (timeslice run --trace, or File > Save trace) "
                                            "as an image, with no display. The format follows the extension.",
        "timeslice render");
    CLI::App& app = *owned;
    app.set_help_flag("-h,--help", "this text");
    app.add_option("trace", cmd.trace_path, "the trace file (Chrome Trace Event JSON written by Timeslice)")->type_name("TRACE.json");
    app.add_option("--image", cmd.image_path, "the image to write: FILE.png, .svg or .pdf")->type_name("FILE")->take_last();
    app.add_option("--size", size, "image size in pixels (default 1600x900)")->type_name("WxH")->take_last();
    app.add_option("--hand-overs", hand_overs, "draw the hand-over arrows on the image (default off)")->type_name("on|off")->take_last();
    return owned;
}

Parsed<RenderCommand> parse_render(const std::vector<std::string>& args)
{
    Parsed<RenderCommand> parsed;
    RenderCommand cmd;
    try {
        if (std::find(args.begin(), args.end(), "--help") != args.end() || std::find(args.begin(), args.end(), "-h") != args.end()) {
            parsed.help = true;
            return parsed;
        }
        std::string size, hand_overs;
        const auto owned = render_app(cmd, size, hand_overs);
        CLI::App& app = *owned;
        parse_with(app, args, "render");
        if (app.count("--image")) {
            if (std::string e = check_image_extension(cmd.image_path); !e.empty())
                throw OptionError { "--image: " + e };
        }
        if (app.count("--size"))
            cmd.size = parse_size(size);
        if (app.count("--hand-overs"))
            cmd.hand_overs = parse_on_off("--hand-overs", hand_overs);
        if (cmd.trace_path.empty())
            throw OptionError { "render needs a trace file (timeslice render TRACE.json --image FILE.png)" };
        if (cmd.image_path.empty())
            throw OptionError { "render needs --image FILE.png|svg|pdf" };
        if (std::string e = check_writable(cmd.image_path); !e.empty())
            throw OptionError { e };
    } catch (const OptionError& e) {
        parsed.error = e.message;
        return parsed;
    }
    parsed.command = std::move(cmd);
    return parsed;
}

Parsed<CompareCommand> parse_compare(const std::vector<std::string>& args)
{
    Parsed<CompareCommand> parsed;
    CompareCommand cmd;
    std::vector<std::string> rest;
    try {
        for (std::size_t i = 0; i < args.size(); ++i) {
            const std::string& a = args[i];
            const std::string name = a.substr(0, a.find('='));
            if (name == "--help" || name == "-h") {
                parsed.help = true;
                return parsed;
            }
            if (name == "--engines") {
                std::string list;
                if (a.size() > name.size())
                    list = a.substr(name.size() + 1);
                else if (i + 1 < args.size())
                    list = args[++i];
                else
                    throw OptionError { "--engines needs a value (native,cpython)" };
                std::stringstream in(list);
                for (std::string item; std::getline(in, item, ',');) {
                    const EngineDescriptor* e = find_engine(item);
                    if (!e)
                        throw OptionError { "--engines: unknown engine '" + item + "' (choose " + engine_choices() + ")" };
                    if (std::find(cmd.engines.begin(), cmd.engines.end(), e->engine) != cmd.engines.end())
                        throw OptionError { "--engines: '" + item + "' is named twice" };
                    cmd.engines.push_back(e->engine);
                }
                if (cmd.engines.size() < 2)
                    throw OptionError { "--engines: name at least two engines to compare (native,cpython)" };
                continue;
            }
            if (name == "--gil" || name == "--trace" || name == "--engine")
                throw OptionError { name + " does not apply to compare, which sets it per run (see timeslice compare --help)" };
            if (name == "--trace-dir") {
                if (a.size() > name.size())
                    cmd.trace_dir = a.substr(name.size() + 1);
                else if (i + 1 < args.size())
                    cmd.trace_dir = args[++i];
                else
                    throw OptionError { "--trace-dir needs a value" };
                if (cmd.trace_dir.empty() || access(cmd.trace_dir.c_str(), W_OK) != 0)
                    throw OptionError { "--trace-dir: cannot write into '" + cmd.trace_dir + "': "
                        + (errno == ENOENT ? "the folder does not exist" : std::strerror(errno)) };
                continue;
            }
            rest.push_back(a);
        }
    } catch (const OptionError& e) {
        parsed.error = e.message;
        return parsed;
    }
    // The other options mean what they mean for run; threads' GIL is set per entry.
    const bool model_given = std::any_of(rest.begin(), rest.end(), [](const std::string& a) { return a.rfind("--model", 0) == 0; });
    if (model_given && cmd.engines.empty()) {
        parsed.error = "--model does not apply to compare, which runs every model; with --engines it picks the one model "
                       "both engines run (see timeslice compare --help)";
        return parsed;
    }
    if (!model_given)
        rest.insert(rest.begin(), { "--model", "threads" });
    if (!cmd.engines.empty()) {
        // Checks the cpython side's options (and that python3 is there) as run --engine cpython does.
        rest.insert(rest.begin(), { "--engine", "cpython" });
    }
    Parsed<RunCommand> run = parse_run(rest);
    if (!run.command) {
        parsed.error = run.error;
        return parsed;
    }
    cmd.config = run.command->config;
    cmd.config.engine = Engine::Native;
    cmd.image_path = run.command->image_path;
    cmd.size = run.command->size;
    cmd.hand_overs = run.command->hand_overs;
    cmd.size.height = run.command->size.height == 900 ? 1400 : run.command->size.height;
    parsed.command = std::move(cmd);
    return parsed;
}

std::string format_compare_summary(const std::vector<std::string>& labels, const std::vector<const Trace*>& traces)
{
    std::size_t width = 18;
    for (const std::string& label : labels)
        width = std::max(width, label.size());
    std::ostringstream out;
    out << fmt::format("{:<{}} {:>10} {:>10} {:>9} {:>9} {:>6} {:>8}\n", "model", width, "makespan", "predicted", "vs pred.",
        "speedup", "CPU", "at once");
    for (std::size_t i = 0; i < traces.size() && i < labels.size(); ++i) {
        const Scorecard s = compute_scorecard(*traces[i]);
        // Real Python has no prediction: a dash, not a made-up 0.
        const bool predicted = s.ideal_makespan > 0;
        out << fmt::format("{:<{}} {:>8.3f} s {:>10} {:>9} {:>8.2f}x {:>5.0f}% {:>8.1f}\n", labels[i], width, to_seconds(s.makespan),
            predicted ? fmt::format("{:.3f} s", to_seconds(s.ideal_makespan)) : "-", predicted ? fmt::format("{:.2f}x", s.vs_ideal) : "-",
            s.speedup, s.cpu_utilisation, s.concurrency);
    }
    return out.str();
}

std::string compare_help()
{
    // Generated by CLI11 from run's option table, less what compare sets itself (parse_compare
    // hands the rest to parse_run).
    RunArgs args;
    std::string trace_dir, engines;
    CLI::App app("Runs one workload under every model, one after the other: processes, threads with the emulated GIL, "
                 "threads without it, and async. Prints each schedule and a summary table. With --engines, runs one "
                 "model (--model, default threads) under each engine instead: Timeslice's C++ emulation and real Python; "
                 "the native run's loops are lengthened to CPython's speed measured on this machine, and a fidelity line "
                 "compares the two (makespan ratio, order of starts, GIL hand-overs per second, how late waits resumed).",
        "timeslice compare");
    app.set_help_flag("-h,--help", "this text");
    for (const RunOption& o : kRunOptions) {
        const std::string_view name = o.name;
        if (name == "--gil" || name == "--trace" || name == "--engine")
            continue;
        const char* description = name == "--image" ? "the timelines stacked on one time axis (.png, .svg, .pdf)"
            : name == "--size"                      ? "image size in pixels (default 1600x1400)"
            : name == "--model"                     ? "with --engines: the model both engines run (default threads)"
            : name == "--python"                    ? "with --engines: the interpreter (default python3 on PATH)"
                                                    : o.description;
        app.add_option(o.name, args.*o.field, description)->type_name(o.value);
    }
    app.add_option("--trace-dir", trace_dir, "save the traces there (WORKLOAD-MODEL.json) with comparison.json, which the window reopens as one set")->type_name("DIR");
    app.add_option("--engines", engines, "native,cpython: one model under both engines")->type_name("LIST");
    return generated_help(app);
}

std::string main_help()
{
    return R"(Timeslice: see processes, threads and async run the same work.

Usage:
  timeslice                      open the window
  timeslice TRACE.json           open the window with a saved trace
  timeslice run [options]        run a workload and print its schedule (see timeslice run --help)
  timeslice compare [options]    run it under every model, side by side (see timeslice compare --help)
  timeslice advise [--workload W] the article's "What to use?" table, measured on this machine
  timeslice python [options] SCRIPT [ARGS...]
                                 run a Python script of your own, traced, and draw it
                                 (see timeslice python --help)
  timeslice render TRACE.json --image FILE.png|svg|pdf [--size WxH] [--hand-overs on]
                                 draw a saved trace as an image, with no display
  timeslice --help               this text
  timeslice --version            the version
  timeslice --startup-probe      open the window, say how long it took to show, and quit

Workloads (from the "Fast Python" article):
  table-loading    I/O-bound: tables A, B, C wait 1 s, 2 s, 5 s
  square-numbers   CPU-bound: one task per core, each sums i*i for i < 100,000,000
  async-delay      awaited delays: A, B, C sleep 2 s, 1 s, 3 s
  mixed            I/O tasks with short waits beside one CPU task

Models: processes (a pool of worker processes), threads (a thread pool, with an
emulated Python GIL by default), async (one event loop running coroutines).

Engines: native (default; Timeslice's C++ emulation) or cpython (--engine cpython: the
same workload as real Python code, traced by Timeslice's probe).
)";
}

std::string run_help()
{
    RunArgs args;
    return generated_help(*run_app(args));
}

std::string render_help()
{
    RenderCommand cmd;
    std::string size, hand_overs;
    return generated_help(*render_app(cmd, size, hand_overs));
}

Parsed<PythonCommand> parse_python(const std::vector<std::string>& args)
{
    Parsed<PythonCommand> parsed;
    PythonCommand cmd;
    cmd.config.engine = Engine::CPython;
    cmd.config.python.capture_output = false; // the script's output is its own, unchanged
    try {
        std::size_t i = 0;
        const auto value = [&](const std::string& a, const std::string& name) {
            if (a.size() > name.size() && a[name.size()] == '=')
                return a.substr(name.size() + 1);
            if (i + 1 >= args.size())
                throw OptionError { name + " needs a value" };
            return args[++i];
        };
        for (; i < args.size(); ++i) {
            const std::string& a = args[i];
            if (a == "--") {
                ++i;
                break;
            }
            if (a.empty() || a[0] != '-')
                break; // the script: what follows is its own
            const std::string name = a.substr(0, a.find('='));
            if (name == "--help" || name == "-h") {
                parsed.help = true;
                return parsed;
            } else if (name == "--trace") {
                cmd.trace_path = value(a, name);
            } else if (name == "--image") {
                cmd.image_path = value(a, name);
                if (std::string e = check_image_extension(cmd.image_path); !e.empty())
                    throw OptionError { "--image: " + e };
            } else if (name == "--size") {
                cmd.size = parse_size(value(a, name));
            } else if (name == "--hand-overs") {
                cmd.hand_overs = parse_on_off(name, value(a, name));
            } else if (name == "--python") {
                cmd.config.python.executable = value(a, name);
            } else if (name == "--kernel") {
                const std::string v = value(a, name);
                const auto mode = kernel_mode_from_name(v);
                if (!mode)
                    throw OptionError { "--kernel: '" + v + "' must be auto, exact, sampled or off" };
                cmd.config.kernel.mode = *mode;
            } else {
                throw OptionError { "unknown option '" + a + "' (see timeslice python --help; the script's own options go after it)" };
            }
        }
        if (cmd.hand_overs && cmd.image_path.empty())
            throw OptionError { "--hand-overs draws on the image: give --image FILE too" };
        if (i >= args.size())
            throw OptionError { "python needs a script (timeslice python [options] SCRIPT [ARGS...])" };
        PythonProgram& program = cmd.config.python.program;
        program.script = args[i];
        program.args.assign(args.begin() + std::ptrdiff_t(i) + 1, args.end());
        if (access(program.script.c_str(), R_OK) != 0)
            throw OptionError { "cannot read the script '" + program.script + "': " + std::strerror(errno) };
        try {
            find_python(cmd.config.python.executable);
        } catch (const std::invalid_argument& e) {
            throw OptionError { e.what() };
        }
        require_writable({ &cmd.trace_path, &cmd.image_path });
    } catch (const OptionError& e) {
        parsed.error = e.message;
        return parsed;
    }
    parsed.command = std::move(cmd);
    return parsed;
}

std::string python_help()
{
    return R"(Usage: timeslice python [options] SCRIPT [ARGS...]

Runs a Python script of your own under CPython with Timeslice's probe, which records when
its executors, threads and asyncio tasks are queued, run, wait and end (in ProcessPoolExecutor's
worker processes too, under fork, forkserver and spawn), and prints each task's schedule.
The script's output and exit status are its own: the report goes to stderr. Timeslice's
options come before the script; everything after it is the script's, as python3 takes them.

Options:
  --trace FILE      write the trace as Chrome Trace Event JSON
  --image FILE      draw the timeline to FILE.png, .svg or .pdf
  --size WxH        image size in pixels (default 1600x900)
  --hand-overs on|off
                    draw the hand-over arrows on the image (default off)
  --python PATH     the interpreter (default python3 on PATH; 3.8 or newer)
  --kernel MODE     auto (default), exact, sampled or off: the kernel's record of the
                    threads; with it, time a thread spent waiting for the GIL is inferred
  --                ends Timeslice's options (for a script whose name starts with -)

Exit status: the script's own; 128+N when it was killed by signal N; 2 for bad arguments.
)";
}

std::string format_report(const Trace& trace)
{
    const RunInfo& info = trace.info;
    std::ostringstream out;
    out << "Timeslice: " << info.workload << " under " << info.model;
    if (info.engine != "native")
        out << " in " << info.engine << (info.python.empty() ? "" : " " + info.python);
    if (const ModelDescriptor* m = find_model(info.model); m && m->gil)
        out << (info.gil ? " with the GIL" : " without the GIL");
    out << " (" << info.workers << (info.workers == 1 ? " worker" : " workers") << ", " << info.cores << " cores, scale "
        << info.scale << ")\n";

    std::size_t name_w = 4, worker_w = 6, result_w = 6;
    std::vector<std::string> workers;
    for (const TaskTrace& t : trace.tasks) {
        std::string w = t.pid ? "pid " + std::to_string(t.pid) + (t.tid != t.pid ? " tid " + std::to_string(t.tid) : "")
                              : "-";
        name_w = std::max(name_w, t.name.size());
        worker_w = std::max(worker_w, w.size());
        result_w = std::max(result_w, t.result.size());
        workers.push_back(std::move(w));
    }
    auto pad = [](std::string s, std::size_t w) {
        s.resize(std::max(s.size(), w), ' ');
        return s;
    };
    out << pad("task", name_w) << "  " << pad("worker", worker_w) << "  " << pad("start", 9) << "  "
        << pad("end", 9) << "  " << pad("status", 9) << "  result\n";
    for (std::size_t i = 0; i < trace.tasks.size(); ++i) {
        const TaskTrace& t = trace.tasks[i];
        out << pad(t.name, name_w) << "  " << pad(workers[i], worker_w) << "  "
            << pad(t.started >= 0 ? seconds(t.started) : "-", 9) << "  "
            << pad(t.finished >= 0 ? seconds(t.finished) : "-", 9) << "  " << pad(std::string(state_name(t.status)), 9)
            << "  " << (t.result.empty() ? t.reason : t.result) << "\n";
    }
    // The kernel's account of each task's thread: what the OS scheduler did with it.
    if (trace.kernel.source == KernelSource::None) {
        out << (trace.kernel.note.empty() ? std::string("kernel data: none") : trace.kernel.note) << "\n";
    } else {
        out << trace.kernel.note << "\n";
        out << pad("task", name_w) << "  " << pad("on a core", 10) << "  " << pad("preempted", 10) << "  "
            << pad("blocked", 10) << "  preemptions  switches  migrations\n";
        for (const TaskTrace& t : trace.tasks) {
            if (!t.kernel) {
                out << pad(t.name, name_w) << "  (its thread was not watched)\n";
                continue;
            }
            const KernelStats& k = *t.kernel;
            out << pad(t.name, name_w) << "  " << pad(seconds(k.on_core), 10) << "  " << pad(seconds(k.preempted), 10) << "  "
                << pad(seconds(k.blocked), 10) << "  " << pad(std::to_string(k.preemptions), 11) << "  "
                << pad(std::to_string(k.switches), 8) << "  " << k.migrations << "\n";
        }
    }
    if (!info.exit.empty())
        out << "the program ended: " << info.exit << "\n";
    if (info.gil_inferred)
        out << "GIL hand-overs (inferred from the kernel): " << info.gil_hand_overs << "\n";
    out << "makespan " << seconds(info.makespan) << "\n";
    if (has_scorecard(trace))
        out << scorecard_text(compute_scorecard(trace)) << "\n";
    else if (trace.complete)
        out << "no scorecard: not every task is done\n";
    return out.str();
}

} // namespace timeslice::cli
