// Responsible for turning each command's arguments (run, render, compare, python) into the
// command, or into the one line that says what is wrong with them.
#include "core/cli/options.h"

#include "core/python/dask.h"
#include "core/workload/builtins.h"
#include "core/workload/workload.h"
#include "core/workload/workload_file.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <sstream>

namespace timeslice::cli {

namespace {

bool asks_for_help(const std::vector<std::string>& args)
{
    return std::find(args.begin(), args.end(), "--help") != args.end()
        || std::find(args.begin(), args.end(), "-h") != args.end();
}

// --gil as given: on by default, where the model has a GIL.
struct GilOption {
    bool on = true;
    bool given = false;
};

// The workload, the model and their options, each checked in turn.
void read_workload_and_model(const CLI::App& app, const RunArgs& a, RunConfig& config, GilOption& gil)
{
    const auto given = [&](const char* name) { return app.count(name) > 0; };
    if (given("--workload") && is_workload_file(a.workload)) {
        config.workload_file = a.workload;
    } else if (given("--workload")) {
        if (!find_workload(a.workload))
            throw OptionError { "--workload: unknown workload '" + a.workload + "' (choose " + workload_choices()
                + ", or a FILE.json)" };
        config.workload = a.workload;
    }
    if (given("--model")) {
        const ModelDescriptor* model = find_model(a.model);
        if (!model)
            throw OptionError { "--model: unknown model '" + a.model + "' (choose " + model_choices() + ")" };
        config.model = model->kind;
    }
    if (given("--scale"))
        config.workload_options.scale = parse_double("--scale", a.scale, 0, Limits::kMaxScale, true);
    if (given("--kernel"))
        config.kernel.mode = parse_kernel_mode(a.kernel);
    if (given("--tasks"))
        config.workload_options.tasks = int(parse_count("--tasks", a.tasks, 1, Limits::kMaxTaskCountWaits));
    if (given("--iterations"))
        config.workload_options.iterations = parse_count("--iterations", a.iterations, 1, Limits::kMaxIterations);
    if (given("--waits"))
        config.workload_options.waits = parse_waits(a.waits);
    if (given("--blocking"))
        config.workload_options.blocking = parse_on_off("--blocking", a.blocking);
    if (given("--workers"))
        config.model_options.workers = int(parse_count("--workers", a.workers, 1, Limits::kMaxThreadWorkers));
    if (given("--scheduler")) {
        if (config.model != ModelKind::Dask)
            throw OptionError { "--scheduler applies to the dask model (--model dask)" };
        if (std::string e = check_scheduler_address(a.scheduler); !e.empty())
            throw OptionError { "--scheduler: " + e };
        config.model_options.scheduler = a.scheduler;
    }
    if (given("--worker-threads")) {
        if (config.model != ModelKind::Dask)
            throw OptionError { "--worker-threads applies to the dask model (--model dask)" };
        config.model_options.worker_threads = int(parse_count("--worker-threads", a.worker_threads, 1, 256));
    }
    if (given("--gil")) {
        gil.on = parse_on_off("--gil", a.gil);
        gil.given = true;
    }
    if (given("--switch-interval"))
        config.model_options.switch_interval
            = Nanos(std::llround(parse_double("--switch-interval", a.switch_interval, 0.001, 1000, false) * 1e6));
}

// --engine and --python; real Python has its own GIL, and must be there.
void read_engine(const CLI::App& app, const RunArgs& a, RunConfig& config, const GilOption& gil)
{
    const auto given = [&](const char* name) { return app.count(name) > 0; };
    if (given("--engine")) {
        const EngineDescriptor* engine = find_engine(a.engine);
        if (!engine)
            throw OptionError { "--engine: unknown engine '" + a.engine + "' (choose " + engine_choices() + ")" };
        config.engine = engine->engine;
    } else if (!describe(config.model).native) {
        config.engine = Engine::CPython; // dask: real Python on a cluster, whatever the default
    }
    if (given("--python")) {
        if (config.engine != Engine::CPython)
            throw OptionError { "--python applies to --engine cpython" };
        config.python.executable = a.python;
    }
    if (config.engine == Engine::CPython) {
        if (gil.given || given("--switch-interval"))
            throw OptionError { std::string(gil.given ? "--gil" : "--switch-interval")
                + " applies to the native engine: CPython has its own GIL" };
        require_python(config.python.executable);
    }
}

// --trace, --image, --size and --hand-overs.
void read_outputs(const CLI::App& app, const RunArgs& a, RunCommand& cmd)
{
    const auto given = [&](const char* name) { return app.count(name) > 0; };
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
}

// What only the options together can tell: the GIL and the pool against the model, a workload
// file against the built-in workloads' options, the run as a whole, the files to write.
void check_run(RunCommand& cmd, const GilOption& gil)
{
    const ModelDescriptor& model = describe(cmd.config.model);
    if (gil.given && !model.gil)
        throw OptionError { "--gil applies to the threads model only" };
    cmd.config.model_options.gil = model.gil && gil.on;
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
        throw OptionError { "--workers: at most " + std::to_string(model.max_workers) + " for "
            + std::string(model.name) };
    if (std::string e = validate(cmd.config); !e.empty())
        throw OptionError { e };
    require_writable({ &cmd.trace_path, &cmd.image_path });
}

} // namespace

Parsed<RunCommand> parse_run(const std::vector<std::string>& args)
{
    Parsed<RunCommand> parsed;
    RunCommand cmd;
    try {
        RunArgs a;
        const auto owned = run_app(a);
        CLI::App& app = *owned;
        if (asks_for_help(args)) {
            parsed.help = true;
            return parsed;
        }
        parse_with(app, args, "run");
        GilOption gil;
        read_workload_and_model(app, a, cmd.config, gil);
        read_engine(app, a, cmd.config, gil);
        read_outputs(app, a, cmd);
        check_run(cmd, gil);
    } catch (const OptionError& e) {
        parsed.error = e.message;
        return parsed;
    }
    parsed.command = std::move(cmd);
    return parsed;
}

Parsed<RenderCommand> parse_render(const std::vector<std::string>& args)
{
    Parsed<RenderCommand> parsed;
    RenderCommand cmd;
    try {
        if (asks_for_help(args)) {
            parsed.help = true;
            return parsed;
        }
        RenderText text;
        const auto owned = render_app(cmd, text);
        CLI::App& app = *owned;
        parse_with(app, args, "render");
        if (app.count("--image")) {
            if (std::string e = check_image_extension(cmd.image_path); !e.empty())
                throw OptionError { "--image: " + e };
        }
        const bool video = app.count("--video") > 0;
        if (video) {
            if (extension_of(cmd.video_path) != "mp4")
                throw OptionError { "--video: '" + cmd.video_path + "': choose a .mp4 file name" };
            cmd.size = ImageSize { 1280, 720 };
        }
        if (app.count("--size"))
            cmd.size = parse_size(text.size);
        if (app.count("--hand-overs"))
            cmd.hand_overs = parse_on_off("--hand-overs", text.hand_overs);
        if (app.count("--speed") || app.count("--fps")) {
            if (!video)
                throw OptionError { "--speed and --fps are for --video FILE.mp4" };
            if (app.count("--speed"))
                cmd.speed = parse_double("--speed", text.speed, 0.001, 1, false);
            if (app.count("--fps"))
                cmd.fps = int(parse_count("--fps", text.fps, 1, 120));
        }
        if (cmd.trace_path.empty())
            throw OptionError { "render needs a trace file (timeslice render TRACE.json --image FILE.png)" };
        if (video == !cmd.image_path.empty())
            throw OptionError { "render needs --image FILE.png|svg|pdf or --video FILE.mp4, one of them" };
        if (std::string e = check_writable(video ? cmd.video_path : cmd.image_path); !e.empty())
            throw OptionError { e };
    } catch (const OptionError& e) {
        parsed.error = e.message;
        return parsed;
    }
    parsed.command = std::move(cmd);
    return parsed;
}

namespace {

// --engines native,cpython, added to those already named: each engine once, at least two.
void add_engines(const std::string& list, std::vector<Engine>& engines)
{
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');) {
        const EngineDescriptor* e = find_engine(item);
        if (!e)
            throw OptionError { "--engines: unknown engine '" + item + "' (choose " + engine_choices() + ")" };
        if (std::find(engines.begin(), engines.end(), e->engine) != engines.end())
            throw OptionError { "--engines: '" + item + "' is named twice" };
        engines.push_back(e->engine);
    }
    if (engines.empty())
        throw OptionError { "--engines: name an engine (cpython: every model in real Python) or two to compare "
                            "(native,cpython)" };
}

// The value of the option at args[i], given as --name=VALUE or --name VALUE (then i moves on to
// it); `missing` is the message when there is none.
std::string value_of(const std::vector<std::string>& args, std::size_t& i, const char* missing)
{
    const std::string& a = args[i];
    if (const std::size_t eq = a.find('='); eq != std::string::npos)
        return a.substr(eq + 1);
    if (i + 1 < args.size())
        return args[++i];
    throw OptionError { missing };
}

// The options compare reads itself (--engines, --models, --trace-dir), refusing those it sets per run; the
// rest go to parse_run in `rest`. Returns false where help is asked for.
bool read_compare_options(const std::vector<std::string>& args, CompareCommand& cmd, std::vector<std::string>& rest)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const std::string name = a.substr(0, a.find('='));
        if (name == "--help" || name == "-h")
            return false;
        if (name == "--engines") {
            add_engines(value_of(args, i, "--engines needs a value (native,cpython)"), cmd.engines);
            continue;
        }
        if (name == "--models") {
            std::stringstream in(value_of(args, i, "--models needs a value (for example processes,dask)"));
            for (std::string item; std::getline(in, item, ',');) {
                const ModelDescriptor* m = find_model(item);
                if (!m)
                    throw OptionError { "--models: unknown model '" + item + "' (choose " + model_choices() + ")" };
                if (std::find(cmd.models.begin(), cmd.models.end(), m->kind) != cmd.models.end())
                    throw OptionError { "--models: '" + item + "' is named twice" };
                cmd.models.push_back(m->kind);
            }
            if (cmd.models.empty())
                throw OptionError { "--models: name at least one model" };
            continue;
        }
        if (name == "--gil" || name == "--trace" || name == "--engine")
            throw OptionError { name
                + " does not apply to compare, which sets it per run (see timeslice compare --help)" };
        if (name == "--trace-dir") {
            cmd.trace_dir = value_of(args, i, "--trace-dir needs a value");
            if (cmd.trace_dir.empty() || access(cmd.trace_dir.c_str(), W_OK) != 0)
                throw OptionError { "--trace-dir: cannot write into '" + cmd.trace_dir
                    + "': " + (errno == ENOENT ? "the folder does not exist" : std::strerror(errno)) };
            continue;
        }
        rest.push_back(a);
    }
    return true;
}

} // namespace

Parsed<CompareCommand> parse_compare(const std::vector<std::string>& args)
{
    Parsed<CompareCommand> parsed;
    CompareCommand cmd;
    std::vector<std::string> rest;
    try {
        if (!read_compare_options(args, cmd, rest)) {
            parsed.help = true;
            return parsed;
        }
    } catch (const OptionError& e) {
        parsed.error = e.message;
        return parsed;
    }
    // The other options mean what they mean for run; threads' GIL is set per entry.
    const bool model_given
        = std::any_of(rest.begin(), rest.end(), [](const std::string& a) { return a.rfind("--model", 0) == 0; });
    // One engine named: every model (or --models) under it, rather than a model under each.
    Engine engine = Engine::Native;
    if (cmd.engines.size() == 1) {
        engine = cmd.engines.front();
        cmd.engines.clear();
    }
    if (!cmd.models.empty() && !cmd.engines.empty()) {
        parsed.error = "--models names the models to compare under one engine; with two --engines, --model names the one "
                       "model both run";
        return parsed;
    }
    for (const ModelKind m : cmd.models) {
        if (!engine_runs(engine, describe(m))) {
            parsed.error = "--models: " + std::string(describe(m).name) + " runs real Python: add --engines cpython";
            return parsed;
        }
    }
    if (model_given && cmd.engines.empty()) {
        parsed.error
            = "--model does not apply to compare, which runs every model; with --engines it picks the one model "
              "both engines run (see timeslice compare --help)";
        return parsed;
    }
    // The dask model's own options (--scheduler, --worker-threads) are checked as run checks them.
    const bool dask = std::find(cmd.models.begin(), cmd.models.end(), ModelKind::Dask) != cmd.models.end()
        || (cmd.models.empty() && engine_runs(engine, describe(ModelKind::Dask)));
    if (!model_given)
        rest.insert(rest.begin(), { "--model", dask ? "dask" : "threads" });
    if (engine == Engine::CPython && cmd.engines.empty())
        rest.insert(rest.begin(), { "--engine", "cpython" });
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
    if (!cmd.engines.empty() && !describe(cmd.config.model).native) {
        parsed.error = "--engines native,cpython runs one model under both; " + std::string(describe(cmd.config.model).name)
            + " runs real Python only";
        return parsed;
    }
    cmd.config.engine = engine;
    cmd.image_path = run.command->image_path;
    cmd.size = run.command->size;
    cmd.hand_overs = run.command->hand_overs;
    cmd.size.height = run.command->size.height == 900 ? 1400 : run.command->size.height;
    parsed.command = std::move(cmd);
    return parsed;
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
                cmd.config.kernel.mode = parse_kernel_mode(value(a, name));
            } else {
                throw OptionError { "unknown option '" + a
                    + "' (see timeslice python --help; the script's own options go after it)" };
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
        require_python(cmd.config.python.executable);
        require_writable({ &cmd.trace_path, &cmd.image_path });
    } catch (const OptionError& e) {
        parsed.error = e.message;
        return parsed;
    }
    parsed.command = std::move(cmd);
    return parsed;
}

} // namespace timeslice::cli
