#include "core/runner.h"

#include "core/analysis.h"
#include "core/cpu_sampler.h"
#include "core/kernel_view.h"
#include "core/machine_info.h"
#include "core/workload_file.h"

#include <stdexcept>

namespace timeslice {

namespace {
// The checks beyond the workload's own, on the workload already built.
std::string validate_model(const RunConfig& config, const Workload& w)
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
        if (config.model == ModelKind::Threads && int(w.tasks.size()) > Limits::kMaxThreadWorkers * 10)
            return "threads: at most " + std::to_string(Limits::kMaxThreadWorkers * 10) + " tasks";
        if (config.model == ModelKind::Processes && int(w.tasks.size()) > Limits::kMaxProcessWorkers * 64)
            return "processes: at most " + std::to_string(Limits::kMaxProcessWorkers * 64) + " tasks";
    }
    return {};
}


Workload build_workload(const RunConfig& config)
{
    if (config.custom)
        return *config.custom;
    if (!config.workload_file.empty())
        return load_workload_file(config.workload_file, config.workload_options);
    return make_workload(config.workload, config.workload_options);
}
}

std::string validate(const RunConfig& config)
{
    try {
        return validate_model(config, build_workload(config));
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
}

Runner::Runner(RunConfig config)
    : m_config(std::move(config))
{
    m_workload = build_workload(m_config); // throws invalid_argument
    if (m_config.custom || !m_config.workload_file.empty())
        m_config.workload = m_workload.name;
    if (const std::string error = validate_model(m_config, m_workload); !error.empty())
        throw std::invalid_argument(error);
    m_model = make_model(m_config.model, m_config.model_options);
    m_outcomes.resize(m_workload.tasks.size());
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
    RunInfo info;
    info.workload = m_workload.name;
    info.model = std::string(model_name(m_config.model));
    info.gil = m_config.model == ModelKind::Threads && m_config.model_options.gil;
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
    info.cpu_model = cpu_model_name();
    info.hostname = host_name();
    info.date = iso8601_utc_now();

    std::vector<std::string> names;
    names.reserve(m_workload.tasks.size());
    for (const TaskSpec& t : m_workload.tasks)
        names.push_back(t.name);

    measured_ns_per_iteration(); // calibrate before the clock starts
    const Nanos origin = monotonic_now();
    m_builder = std::make_unique<TraceBuilder>(std::move(info), std::move(names), origin);
    m_builder->set_ideal(ideal_schedule(m_workload, ideal_params_for(m_workload, m_config.model, m_config.model_options)));
    m_kernel = std::make_unique<KernelMonitor>(m_config.kernel, origin);
    m_kernel->start();
    m_sampler = std::make_unique<CpuSampler>(origin, m_config.cpu_interval);
    m_sampler->start();
    m_thread = std::thread([this] { execute(); });
}

void Runner::execute()
{
    RunContext ctx { m_workload, m_recorder, m_cancel, m_outcomes, m_builder->origin() };
    ctx.kernel = m_kernel->source() == KernelSource::None ? nullptr : m_kernel.get();
    try {
        m_model->run(ctx);
    } catch (const std::exception& e) {
        for (auto& o : m_outcomes) {
            if (o.status != State::Done)
                o = TaskOutcome { State::Failed, {}, e.what() };
        }
    }
    m_sampler->stop();
    m_kernel->stop();
    {
        std::lock_guard lock(m_mutex);
        m_scratch.clear();
        m_recorder.collect(m_cursor, m_scratch);
        m_builder->add(m_scratch);
        for (std::size_t i = 0; i < m_outcomes.size(); ++i)
            m_builder->set_outcome(i, m_outcomes[i]);
        m_builder->set_gil_hand_overs(ctx.gil_hand_overs);
        m_final = std::make_shared<const Trace>(build(true));
    }
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
    m_scratch.clear();
    m_recorder.collect(m_cursor, m_scratch);
    m_builder->add(m_scratch);
    return std::make_shared<const Trace>(build(false));
}

Trace Runner::build(bool complete)
{
    const Nanos now = monotonic_now();
    Trace trace = m_builder->build(now, m_sampler->samples(), complete);
    apply_kernel(trace, m_kernel->snapshot(complete ? 0 : now));
    return trace;
}

std::shared_ptr<const Trace> run_to_end(const RunConfig& config)
{
    Runner runner(config);
    runner.start();
    runner.wait();
    return runner.snapshot();
}

} // namespace timeslice
