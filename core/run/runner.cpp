#include "core/run/runner.h"

#include "core/base/every.h"
#include "core/base/record_clock.h"

#include "core/analysis/schedule.h"
#include "core/kernel/cpu_sampler.h"
#include "core/kernel/overlay.h"
#include "core/kernel/wait_overlay.h"
#include "core/base/machine_info.h"
#include "core/python/dask.h"
#include "core/workload/workload_file.h"
#include "core/workload/builtins.h"

#include <filesystem>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <exception>
#include <optional>
#include <set>
#include <system_error>
#include <thread>
#include <stdexcept>

namespace timeslice {

namespace {
// The checks beyond the workload's own, on the workload already built.
std::string validate_model(const RunConfig& config, std::size_t tasks)
{
    {
        const ModelOptions& m = config.model_options;
        if (m.workers < 0)
            return "workers must be at least 1";
        const ModelDescriptor& model = describe(config.model);
        if (model.pool && m.workers > model.max_workers)
            return "at most " + std::to_string(model.max_workers) + " " + std::string(model.name) + " in a pool";
        if (m.switch_interval < 1000 || m.switch_interval > kNanosPerSecond)
            return "switch interval must be between 0.001 and 1000 ms";
        if (config.model == ModelKind::Threads && tasks > std::size_t(Limits::kMaxThreadWorkers) * 10)
            return "threads: at most " + std::to_string(Limits::kMaxThreadWorkers * 10) + " tasks";
        if (config.model == ModelKind::Processes && tasks > std::size_t(Limits::kMaxProcessWorkers) * 64)
            return "processes: at most " + std::to_string(Limits::kMaxProcessWorkers * 64) + " tasks";
        if (config.model != ModelKind::Dask && (!m.scheduler.empty() || m.worker_threads != 1))
            return std::string(m.scheduler.empty() ? "worker threads" : "a scheduler's address") + " applies to the dask model";
        if (!m.scheduler.empty()) {
            if (std::string e = check_scheduler_address(m.scheduler); !e.empty())
                return "scheduler: " + e;
            if (m.workers > 0 || m.worker_threads != 1)
                return "the workers of a running scheduler are its own: workers and worker threads apply to the local cluster";
        }
        if (m.worker_threads < 1 || m.worker_threads > 256)
            return "worker threads must be from 1 to 256";
    }
    return {};
}


bool runs_script(const RunConfig& config) { return config.engine == Engine::CPython && !config.python.program.script.empty(); }

std::string engine_error(const RunConfig& config)
{
    if (!engine_runs(config.engine, describe(config.model)))
        return "the " + std::string(describe(config.model).name) + " model runs real Python: choose the cpython engine";
    if (config.engine == Engine::CPython && !runs_script(config) && (config.custom || !config.workload_file.empty()))
        return "the cpython engine runs the four built-in workloads, or a script of your own (timeslice python SCRIPT); "
               "not workload files";
    return {};
}

Workload build_workload(const RunConfig& config)
{
    if (runs_script(config)) {
        const std::string& script = config.python.program.script;
        return Workload { script.substr(script.rfind('/') + 1), {} }; // its tasks are found as it runs
    }
    if (config.custom)
        return *config.custom;
    if (!config.workload_file.empty())
        return load_workload_file(config.workload_file, config.workload_options);
    return make_workload(config.workload, config.workload_options);
}
}

std::string validate(const RunConfig& config)
{
    if (std::string error = engine_error(config); !error.empty())
        return error;
    try {
        // A built-in workload's tasks are counted, not made (its options checked the same way).
        const bool builtin = !runs_script(config) && !config.custom && config.workload_file.empty();
        const std::size_t tasks
            = builtin ? workload_task_count(config.workload, config.workload_options) : build_workload(config).tasks.size();
        return validate_model(config, tasks);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
}

Runner::Runner(RunConfig config)
    : m_config(std::move(config))
{
    m_script = runs_script(m_config);
    m_workload = build_workload(m_config); // throws invalid_argument
    if (m_workload.workers > 0 && m_config.model_options.workers == 0 && describe(m_config.model).pool)
        m_config.model_options.workers = std::min(m_workload.workers, describe(m_config.model).max_workers);
    if (m_config.custom || !m_config.workload_file.empty())
        m_config.workload = m_workload.name;
    if (const std::string error = validate_model(m_config, m_workload.tasks.size()); !error.empty())
        throw std::invalid_argument(error);
    if (const std::string error = engine_error(m_config); !error.empty())
        throw std::invalid_argument(error);
    if (m_config.engine == Engine::CPython) {
        const bool dask = m_config.model == ModelKind::Dask && !m_script;
        if (dask && !m_config.model_options.scheduler.empty())
            require_scheduler(m_config.model_options.scheduler); // before anything starts
        PythonInfo python = dask ? find_dask_python(m_config.python.executable) : find_python(m_config.python.executable);
        const WorkloadDescriptor* described = find_workload(m_config.workload);
        if (described && described->cpu_sized_in_time && !m_script && m_config.workload_options.iterations == 0) {
            // mixed's CPU task is sized for C++'s loop (about a second at scale 1): CPython's
            // loop is far slower, so its default is what CPython does in the same time.
            const double ratio = measured_ns_per_iteration() / cpython_ns_per_iteration(python);
            WorkloadOptions o = m_config.workload_options;
            o.iterations = std::max<std::uint64_t>(10, std::uint64_t(double(kMixedIterations) * o.scale * ratio));
            m_config.workload_options = o;
            m_workload = build_workload(m_config);
        }
        PythonOptions options = m_config.python;
        if (!m_script) {
            options.program = python_program_for(m_config, m_workload);
            options.builtin = true;
        }
        m_config.python = options;
        auto model = std::make_unique<PythonModel>(m_config.model, std::move(options), std::move(python));
        m_python = model.get();
        m_model = std::move(model);
    } else {
        m_model = make_model(m_config.model, m_config.model_options);
    }
    m_outcomes.resize(m_workload.tasks.size());
}

std::uint64_t Runner::next_live_run() noexcept
{
    static std::atomic<std::uint64_t> last { 0 };
    return ++last;
}

Runner::~Runner()
{
    cancel();
    if (m_thread.joinable())
        m_thread.join();
}

void Runner::start(std::function<void()> on_finished)
{
    m_on_finished = std::move(on_finished);
    // Everything else is set up on the run's own thread: with 100,000 tasks the names and the
    // ideal schedule took the window's thread ~0.1 s at Run.
    m_thread = std::thread([this] {
        try {
            prepare();
        } catch (const std::exception& e) {
            fail_to_prepare(e.what());
            return;
        }
        execute();
    });
}

void Runner::fail_to_prepare(const std::string& why)
{
    // Nothing ran (a thread or memory could not be had): the run ends at once, its tasks failed
    // with the reason, and whoever waits for it hears so, rather than the program ending. What
    // prepare() had started stops with the Runner.
    auto trace = std::make_shared<Trace>();
    trace->info.workload = m_workload.name;
    trace->info.model = std::string(model_name(m_config.model));
    trace->info.engine = std::string(describe(m_config.engine).name);
    trace->info.exit = "not started: " + why;
    trace->complete = true;
    trace->live_run = m_live_run;
    for (const TaskSpec& t : m_workload.tasks) {
        TaskTrace task;
        task.name = t.name;
        task.status = State::Failed;
        task.reason = "the run could not be set up: " + why;
        trace->tasks.push_back(std::move(task));
    }
    {
        std::lock_guard lock(m_mutex);
        m_final = std::move(trace);
    }
    m_recycler->close();
    m_finished.store(true, std::memory_order_release);
    if (m_on_finished)
        m_on_finished();
}

RunInfo Runner::run_info() const
{
    RunInfo info;
    info.workload = m_workload.name;
    if (!m_config.workload_file.empty()) {
        std::error_code error;
        const auto absolute = std::filesystem::absolute(m_config.workload_file, error);
        info.workload_file = error ? m_config.workload_file : absolute.string();
    }
    info.model = std::string(model_name(m_config.model));
    info.gil = describe(m_config.model).gil && m_config.model_options.gil;
    info.switch_interval_ms = double(m_config.model_options.switch_interval) / 1e6;
    // The pool's size, as the Python executor would report max_workers; it starts at most one
    // worker per task, as ThreadPoolExecutor does.
    info.workers = pool_size(m_config.model, m_config.model_options.workers);
    info.cores = online_cores();
    info.scale = m_config.workload_options.scale;
    for (const TaskSpec& t : m_workload.tasks) {
        std::uint64_t task_iterations = 0;
        for (const Step& s : t.steps) {
            if (const auto* c = std::get_if<Compute>(&s))
                task_iterations += c->iterations;
        }
        info.iterations = std::max(info.iterations, task_iterations);
    }
    info.engine = std::string(describe(m_config.engine).name);
    if (m_python) {
        const PythonInfo& python = m_python->python();
        info.python = python.version();
        info.gil = !python.free_threaded && (m_script || !describe(m_config.model).worker_processes);
        info.switch_interval_ms = 5.0; // sys.getswitchinterval()'s default; the programs leave it
        info.program = m_config.python.program.script;
        for (const std::string& a : m_config.python.program.args)
            info.program += " " + a;
        if (!m_config.model_options.scheduler.empty())
            info.workers = 0; // a running cluster's: the run does not choose them
        if (m_script) {
            info.model = RunInfo::kScriptModel;
            info.script = m_config.python.program.script;
            info.workers = 0;
        }
    }
    info.cpu_model = cpu_model_name();
    info.hostname = host_name();
    info.date = iso8601_utc_now();
    // The native models record with record_now(); the probe with Python's time.monotonic_ns().
    info.clock = m_python ? "clock_gettime (the probe's time.monotonic_ns)" : std::string(record_clock_name());
    return info;
}

void Runner::prepare()
{
    RunInfo info = run_info();

    std::vector<std::string> names;
    names.reserve(m_workload.tasks.size());
    for (const TaskSpec& t : m_workload.tasks)
        names.emplace_back(t.name);

    if (!m_python)
        measured_ns_per_iteration(); // calibrate before the clock starts
    // Which kernel source this machine allows is found before the clock starts too: opening a
    // perf event to see costs the first task a millisecond otherwise.
    auto kernel = std::make_unique<KernelMonitor>(m_config.kernel);
    // The model's rules predict the native engine's schedule; CPython's speed is its own. Worked
    // out before the clock starts too: for 100,000 tasks it takes ~0.1 s, which the first task
    // waited for when the clock had started.
    IdealSchedule ideal;
    if (!m_python)
        ideal = ideal_schedule(m_workload, ideal_params_for(m_workload, m_config.model, m_config.model_options));
    // Snapshots read what follows under the lock: until then they are empty.
    std::lock_guard lock(m_mutex);
    m_kernel = std::move(kernel);
    const Nanos origin = monotonic_now();
    m_builder = std::make_unique<TraceBuilder>(std::move(info), std::move(names), origin);
    m_builder->set_ideal(std::move(ideal));
    m_kernel->start(origin);
    // Why each thread was off a core, by the kernel's word: every thread of real Python; the
    // native threads model's when it emulates the GIL, to check the emulation against the
    // kernel (without it the model's own waits say why, and a read every millisecond cost
    // square-numbers' two threads 3 % of their makespan).
    // Without the kernel's view there are no blocked pieces to classify: nothing is read.
    if (m_kernel->source() != KernelSource::None && (m_python || (describe(m_config.model).gil && m_config.model_options.gil))) {
        m_waits = std::make_unique<WaitSampler>(origin);
        m_waits->start();
    }
    m_sampler = std::make_unique<CpuSampler>(origin, m_config.cpu_interval);
    m_sampler->start();
    m_origin.store(origin, std::memory_order_release);
}

void Runner::take_events() noexcept
{
    m_last_take = monotonic_now();
    if (!m_take_error.empty())
        return; // the record has a hole already: the run's tasks will fail with it
    try {
        m_scratch.clear();
        m_recorder.collect(m_cursor, m_scratch);
        m_builder->add(m_scratch);
        m_events_taken += m_scratch.size();
    } catch (const std::exception& e) {
        m_take_error = std::string("the run's record could not be kept: ") + e.what();
    }
}

std::size_t Runner::events_taken() const
{
    std::lock_guard lock(m_mutex);
    return m_events_taken;
}

void Runner::run_model(RunContext& ctx)
{
    // The events go to the builder as the run goes, with or without a window asking for
    // snapshots: the recorder's lanes then fill again the memory they have been read from, so
    // a run holds its events once, and recording does not fault in fresh memory all along.
    // Where a window's snapshots take them often enough, this thread leaves them be: what it
    // allocates stays in its own malloc arena, which malloc_trim does not give back.
    // Without it (no thread to be had) the run goes on, and its events are taken at its end.
    // A drain that fails (take_events) loses events: the run goes on, and its tasks fail at the
    // end with the reason.
    std::optional<Every> drain;
    try {
        drain.emplace(kDrainPeriod, [this] {
            std::lock_guard lock(m_mutex);
            if (monotonic_now() - m_last_take >= std::chrono::nanoseconds(kDrainPeriod).count())
                take_events();
        });
    } catch (const std::system_error&) {
    }
    m_model->run(ctx);
}

void Runner::execute()
{
    RunContext ctx { m_workload, m_recorder, m_cancel, m_outcomes, m_builder->origin() };
    ctx.kernel = m_kernel->source() == KernelSource::None ? nullptr : m_kernel.get();
    ctx.declare_task = [this](std::string name, bool thread_row) {
        std::lock_guard lock(m_mutex);
        m_outcomes.add();
        return m_builder->add_task(std::move(name), thread_row);
    };
    ctx.waits = m_waits.get();
    try {
        run_model(ctx);
    } catch (const std::exception& e) {
        for (std::size_t i = 0; i < m_outcomes.size(); ++i) {
            if (m_outcomes.status(i) != State::Done)
                m_outcomes.set(i, TaskOutcome { State::Failed, {}, e.what() });
        }
    }
    m_sampler->stop();
    m_kernel->stop();
    if (m_waits)
        m_waits->stop();
    {
        std::lock_guard lock(m_mutex);
        take_events();
        if (!m_take_error.empty()) {
            for (std::size_t i = 0; i < m_outcomes.size(); ++i) {
                if (m_outcomes.status(i) != State::Done)
                    m_outcomes.set(i, TaskOutcome { State::Failed, {}, m_take_error });
            }
        }
        if (m_python) {
            const PythonOutcome outcome = m_python->outcome();
            m_builder->info().exit = outcome.summary;
            m_builder->info().cluster = outcome.cluster;
            if (!m_config.model_options.scheduler.empty()) {
                // A running cluster's workers: as many as ran the tasks.
                std::set<std::string> workers;
                for (std::size_t i = 0; i < m_outcomes.size(); ++i) {
                    if (const ShortText w = m_outcomes.worker(i); !w.empty())
                        workers.insert(w.str());
                }
                m_builder->info().workers = int(workers.size());
            }
        }
        else
            m_builder->set_gil_hand_overs(ctx.gil_hand_overs);
        // Taken over, not copied: a run never holds two tables of its tasks' outcomes.
        m_builder->set_outcomes(std::move(m_outcomes));
        std::unique_ptr<Trace> final = m_recycler->take();
        build_into(*final, true);
        final->live_run = m_live_run; // shown after the last snapshot: one run, known at once
        m_final = std::shared_ptr<const Trace>(std::move(final));
        // What the trace was built from goes now, not with the runner: a window keeps a finished
        // run for as long as it shows it. (Every writer has ended: the model has returned.)
        m_builder.reset();
        m_recorder.clear();
        m_cursor = {};
        m_scratch = {};
        m_outcomes.clear();
        m_overlay_scratch = {};
    }
    m_recycler->close(); // frees the kept snapshots here, outside the lock snapshot() takes
    m_finished.store(true, std::memory_order_release);
    if (m_on_finished)
        m_on_finished();
}

void Runner::cancel() { m_cancel.cancel(); }

void Runner::wait()
{
    if (m_thread.joinable())
        m_thread.join();
}

std::shared_ptr<const Trace> Runner::snapshot()
{
    std::lock_guard lock(m_mutex);
    if (m_final)
        return m_final;
    if (!m_builder)
        return std::make_shared<const Trace>();
    take_events();
    std::unique_ptr<Trace> trace = m_recycler->take();
    build_into(*trace, false);
    trace->live_run = m_live_run;
    return m_recycler->share(std::move(trace));
}

void Runner::build_into(Trace& trace, bool complete)
{
    const Nanos now = monotonic_now();
    m_builder->build_into(trace, now, m_sampler->samples(), complete);
    if (m_python)
        carve_thread_rows(trace);
    apply_kernel(trace, m_kernel->snapshot(complete ? 0 : now), describe(m_config.model).pool, m_overlay_scratch);
    if (m_waits) {
        // Native threads: only when the emulated GIL was watched (the kernel's view was there).
        if (WaitRecord waits = m_waits->snapshot(); m_python || waits.emulated)
            apply_waits(trace, waits);
    }
}

PythonOutcome Runner::python_outcome() const { return m_python ? m_python->outcome() : PythonOutcome {}; }

PythonProgram python_program_for(const RunConfig& config, const Workload& workload)
{
    const std::string& name = config.workload;
    PythonProgram program;
    std::string file = name;
    std::replace(file.begin(), file.end(), '-', '_');
    program.script = python_dir() + "/" + file + ".py";
    program.args = { "--model", std::string(model_name(config.model)) };
    const WorkloadOptions& o = config.workload_options;
    const ModelOptions& m = config.model_options;
    if (m.workers > 0 && describe(config.model).pool)
        program.args.insert(program.args.end(), { "--workers", std::to_string(m.workers) });
    if (config.model == ModelKind::Dask && !m.scheduler.empty())
        program.args.insert(program.args.end(), { "--scheduler", m.scheduler });
    if (config.model == ModelKind::Dask && m.worker_threads != 1)
        program.args.insert(program.args.end(), { "--worker-threads", std::to_string(m.worker_threads) });
    const WorkloadDescriptor* w = find_workload(name);
    if (!w)
        throw std::invalid_argument("the cpython engine has no program for '" + name + "'");
    const auto compute_of = [](const TaskSpec& t) {
        std::uint64_t n = 0;
        for (const Step& s : t.steps) {
            if (const auto* c = std::get_if<Compute>(&s))
                n += c->iterations;
        }
        return n;
    };
    if (w->waits) {
        // One wait per task, unscaled, as the workload was built (a task count takes the waits
        // in turn).
        std::string list;
        for (const TaskSpec& t : workload.tasks)
            list += (list.empty() ? "" : ",") + format_seconds(t.nominal_seconds);
        program.args.insert(program.args.end(), { "--waits", list });
        if (o.blocking)
            program.args.push_back("--blocking");
    }
    if (w->iterations && !workload.tasks.empty())
        program.args.insert(program.args.end(), { "--iterations", std::to_string(compute_of(workload.tasks.front())) });
    if (w->tasks && !w->waits) {
        // mixed: one CPU task beside the I/O tasks
        const std::size_t n = workload.tasks.size() - (w->io_tasks > 0 ? 1 : 0);
        program.args.insert(program.args.end(), { "--tasks", std::to_string(n) });
    }
    if (w->scaled)
        program.args.insert(program.args.end(), { "--scale", fmt::format("{}", o.scale) });
    return program;
}

std::shared_ptr<const Trace> run_to_end(const RunConfig& config)
{
    Runner runner(config);
    runner.start();
    runner.wait();
    return runner.snapshot();
}

} // namespace timeslice
