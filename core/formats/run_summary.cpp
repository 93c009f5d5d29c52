// Responsible for the run's summary blocks of a trace file: otherData.timeslice and "metadata".
#include "core/formats/run_summary.h"

#include "core/formats/trace_json.h"
#include "core/models/registry.h"
#include "core/workload/workload.h"

namespace timeslice {

namespace {

// ,"state_s":{"queued":0.1,...}: seconds in each span state, for a task or a whole run.
template <typename TimeIn> void write_state_seconds(JsonWriter& w, TimeIn time_in)
{
    w.raw(R"(,"state_s":{)");
    for (int s = 0; s < kSpanStateCount; ++s) {
        if (s)
            w.raw(",");
        w.raw("\"");
        w.raw(state_name(State(s)));
        w.raw("\":");
        w.number(to_seconds(time_in(State(s))));
    }
    w.raw("}");
}
void read_ideal(const json& ideal, Trace& out)
{
    const std::string where = "otherData.timeslice.ideal";
    if (!ideal.is_object())
        fail(where, "must be an object");
    out.ideal.makespan = get_integer(ideal, "makespan_ns", where, 0, kMaxNanos);
    out.ideal.serial = get_integer(ideal, "serial_ns", where, 0, kMaxNanos);
    const json& tasks = member(ideal, "tasks", where);
    if (!tasks.is_array() || tasks.size() > std::size_t(Limits::kMaxTasks))
        fail(where + ".tasks", "must be an array of at most " + std::to_string(Limits::kMaxTasks) + " tasks");
    out.ideal.tasks.resize(tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const std::string w = where + ".tasks[" + std::to_string(i) + "]";
        if (!tasks[i].is_array())
            fail(w, "must be an array");
        for (std::size_t k = 0; k < tasks[i].size(); ++k) {
            const json& span = tasks[i][k];
            const std::string sw = w + "[" + std::to_string(k) + "]";
            if (!span.is_array() || span.size() != 3 || !span[0].is_number_integer() || !span[1].is_number_integer()
                || !span[2].is_string())
                fail(sw, "must be [start_ns, end_ns, state]");
            const auto state = state_from_name(span[2].get<std::string>());
            if (!state || is_terminal(*state))
                fail(sw, "unknown state");
            const Nanos start = span[0].get<Nanos>(), end = span[1].get<Nanos>();
            if (start < 0 || end < start || end > kMaxNanos)
                fail(sw, "must have 0 <= start <= end");
            out.ideal.tasks[i].push_back(IdealSpan { start, end, *state });
        }
    }
}

} // namespace

// Perfetto drops otherData but shows a top-level "metadata" object: the run's summary for people,
// as flat keys. (otherData.timeslice stays the complete record Timeslice reads back.)
void write_viewer_metadata(JsonWriter& w, const Trace& trace, const std::optional<Scorecard>& scorecard)
{
    const RunInfo& info = trace.info;
    w.raw(R"("metadata":{"timeslice-workload":)");
    w.string(info.workload);
    w.raw(R"(,"timeslice-model":)");
    const ModelDescriptor* model = find_model(info.model);
    w.string(info.model + (model && model->gil ? (info.gil ? " with the GIL" : " without the GIL") : ""));
    w.raw(R"(,"timeslice-engine":)");
    w.string(info.engine + (info.python.empty() ? "" : " " + info.python));
    w.raw(R"(,"timeslice-makespan-s":)");
    w.number(to_seconds(info.makespan));
    w.raw(R"(,"timeslice-workers":)");
    w.integer(info.workers);
    w.raw(R"(,"timeslice-cores":)");
    w.integer(info.cores);
    w.raw(R"(,"timeslice-cpu":)");
    w.string(info.cpu_model);
    w.raw(R"(,"timeslice-date":)");
    w.string(info.date);
    w.raw(R"(,"timeslice-kernel":)");
    w.string(trace.kernel.note.empty() ? std::string(kernel_source_name(trace.kernel.source)) : trace.kernel.note);
    if (scorecard)
        w.raw(R"(,"timeslice-scorecard":)"), w.string(scorecard_text(*scorecard));
    w.raw("},\n");
}

void write_run_summary(JsonWriter& w, const Trace& trace, const std::optional<Scorecard>& scorecard)
{
    const RunInfo& info = trace.info;
    w.raw(R"("otherData":{"timeslice":{"version":)");
    w.integer(kTraceFormatVersion);
    w.raw(R"(,"workload":)");
    w.string(info.workload);
    w.raw(R"(,"model":)");
    w.string(info.model);
    w.raw(R"(,"gil":)");
    w.raw(info.gil ? "true" : "false");
    w.raw(R"(,"switch_interval_ms":)");
    w.number(info.switch_interval_ms);
    w.raw(R"(,"workers":)");
    w.integer(info.workers);
    w.raw(R"(,"cores":)");
    w.integer(info.cores);
    w.raw(R"(,"scale":)");
    w.number(info.scale);
    w.raw(R"(,"iterations":)");
    w.integer((long long)info.iterations);
    w.raw(R"(,"cpu_model":)");
    w.string(info.cpu_model);
    w.raw(R"(,"hostname":)");
    w.string(info.hostname);
    w.raw(R"(,"date":)");
    w.string(info.date);
    w.raw(R"(,"complete":)");
    w.raw(trace.complete ? "true" : "false");
    w.raw(R"(,"makespan_s":)");
    w.number(to_seconds(info.makespan));
    w.raw(R"(,"makespan_ns":)");
    w.integer(info.makespan);
    w.raw(R"(,"gil_hand_overs":)");
    w.integer((long long)info.gil_hand_overs);
    w.raw(R"(,"engine":)");
    w.string(info.engine);
    if (info.engine != "native") {
        w.raw(R"(,"python":)");
        w.string(info.python);
        w.raw(R"(,"program":)");
        w.string(info.program);
        w.raw(R"(,"exit":)");
        w.string(info.exit);
        w.raw(R"(,"gil_inferred":)");
        w.raw(info.gil_inferred ? "true" : "false");
    }
    // The kernel's view: its source, in words, and where it disagrees with the model.
    w.raw(R"(,"kernel":")");
    w.raw(kernel_source_name(trace.kernel.source));
    w.raw(R"(","kernel_note":)");
    w.string(trace.kernel.note);
    w.raw(R"(,"kernel_check":{"gil_wait_ns":)");
    w.integer(trace.kernel.gil_wait);
    w.raw(R"(,"gil_wait_on_core_ns":)");
    w.integer(trace.kernel.gil_wait_on_core);
    w.raw(R"(,"waiting_ns":)");
    w.integer(trace.kernel.waiting);
    w.raw(R"(,"waiting_on_core_ns":)");
    w.integer(trace.kernel.waiting_on_core);
    w.raw("}");
    if (scorecard) {
        const Scorecard& sc = *scorecard;
        w.raw(R"(,"scorecard":{"makespan_s":)");
        w.number(to_seconds(sc.makespan));
        w.raw(R"(,"ideal_makespan_s":)");
        w.number(to_seconds(sc.ideal_makespan));
        w.raw(R"(,"vs_ideal":)");
        w.number(sc.vs_ideal);
        w.raw(R"(,"serial_s":)");
        w.number(to_seconds(sc.serial));
        w.raw(R"(,"speedup":)");
        w.number(sc.speedup);
        w.raw(R"(,"cpu_utilisation_pct":)");
        w.number(sc.cpu_utilisation);
        w.raw(R"(,"concurrency":)");
        w.number(sc.concurrency);
        w.raw(R"(,"mean_startup_s":)");
        w.number(to_seconds(sc.mean_startup));
        w.raw(R"(,"max_startup_s":)");
        w.number(to_seconds(sc.max_startup));
        w.raw(R"(,"gil_switches":)");
        w.integer((long long)sc.gil_switches);
        w.raw(R"(,"cpu_is_own":)");
        w.raw(sc.cpu_is_own ? "true" : "false");
        write_state_seconds(w, [&](State st) { return sc.time_in_state[std::size_t(st)]; });
        w.raw("}");
    }
    if (!trace.ideal.empty()) {
        // The predicted schedule, so a saved run still shows it: per task [start_ns, end_ns, state].
        w.raw(R"(,"ideal":{"makespan_ns":)");
        w.integer(trace.ideal.makespan);
        w.raw(R"(,"serial_ns":)");
        w.integer(trace.ideal.serial);
        w.raw(R"(,"tasks":[)");
        for (std::size_t i = 0; i < trace.ideal.tasks.size(); ++i) {
            w.raw(i ? ",[" : "[");
            for (std::size_t k = 0; k < trace.ideal.tasks[i].size(); ++k) {
                const IdealSpan& span = trace.ideal.tasks[i][k];
                w.raw(k ? ",[" : "[");
                w.integer(span.start);
                w.raw(",");
                w.integer(span.end);
                w.raw(",\"");
                w.raw(state_name(span.state));
                w.raw("\"]");
            }
            w.raw("]");
        }
        w.raw("]}");
    }
    w.raw(R"(,"tasks":[)");
    for (std::size_t i = 0; i < trace.tasks.size(); ++i) {
        const TaskTrace& t = trace.tasks[i];
        w.raw(i ? ",\n{" : "\n{");
        w.raw(R"("name":)");
        w.string(t.name);
        w.raw(R"(,"pid":)");
        w.integer(t.pid);
        w.raw(R"(,"tid":)");
        w.integer(t.tid);
        w.raw(R"(,"submitted_s":)");
        w.number(t.submitted < 0 ? -1.0 : to_seconds(t.submitted));
        w.raw(R"(,"started_s":)");
        w.number(t.started < 0 ? -1.0 : to_seconds(t.started));
        w.raw(R"(,"finished_s":)");
        w.number(t.finished < 0 ? -1.0 : to_seconds(t.finished));
        w.raw(R"(,"submitted_ns":)");
        w.integer(t.submitted);
        w.raw(R"(,"started_ns":)");
        w.integer(t.started);
        w.raw(R"(,"finished_ns":)");
        w.integer(t.finished);
        w.raw(R"(,"status":")");
        w.raw(state_name(t.status));
        w.raw(R"(","result":)");
        w.string(t.result);
        if (!t.reason.empty()) {
            w.raw(R"(,"reason":)");
            w.string(t.reason);
        }
        if (t.cpu_time >= 0) {
            w.raw(R"(,"cpu_time_ns":)");
            w.integer(t.cpu_time);
        }
        if (t.kernel) {
            const KernelStats& k = *t.kernel;
            w.raw(R"(,"kernel":{"on_core_s":)");
            w.number(to_seconds(k.on_core));
            w.raw(R"(,"preempted_s":)");
            w.number(to_seconds(k.preempted));
            w.raw(R"(,"blocked_s":)");
            w.number(to_seconds(k.blocked));
            w.raw(R"(,"on_core_ns":)");
            w.integer(k.on_core);
            w.raw(R"(,"preempted_ns":)");
            w.integer(k.preempted);
            w.raw(R"(,"blocked_ns":)");
            w.integer(k.blocked);
            w.raw(R"(,"preemptions":)");
            w.integer(k.preemptions);
            w.raw(R"(,"switches":)");
            w.integer(k.switches);
            w.raw(R"(,"migrations":)");
            w.integer(k.migrations);
            w.raw("}");
        }
        write_state_seconds(w, [&](State st) { return t.time_in(st); });
        w.raw("}");
    }
    w.raw("]}}");
}

void read_run_summary(const json& ts, Trace& out)
{
    const std::string where = "otherData.timeslice";
    const long long version = get_integer(ts, "version", where, 0, 1'000'000);
    if (version != kTraceFormatVersion)
        fail(where + ".version", "is " + std::to_string(version) + "; this Timeslice reads version "
                + std::to_string(kTraceFormatVersion));
    RunInfo& info = out.info;
    info.workload = get_string(ts, "workload", where);
    info.model = get_string(ts, "model", where);
    const json& gil = member(ts, "gil", where);
    if (!gil.is_boolean())
        fail(where + ".gil", "must be true or false");
    info.gil = gil.get<bool>();
    info.switch_interval_ms = get_number(ts, "switch_interval_ms", where, 0, 1e6);
    info.workers = int(get_integer(ts, "workers", where, 0, 1'000'000));
    info.cores = int(get_integer(ts, "cores", where, 0, 100'000));
    info.scale = get_number(ts, "scale", where, 0, 1e6);
    info.iterations = std::uint64_t(get_integer(ts, "iterations", where, 0, (long long)Limits::kMaxIterations));
    info.cpu_model = get_string(ts, "cpu_model", where);
    info.hostname = get_string(ts, "hostname", where);
    info.date = get_string(ts, "date", where);
    info.makespan = get_integer(ts, "makespan_ns", where, 0, kMaxNanos);
    if (ts.contains("gil_hand_overs"))
        info.gil_hand_overs = std::uint64_t(get_integer(ts, "gil_hand_overs", where, 0, kMaxNanos));
    if (ts.contains("engine")) {
        info.engine = get_string(ts, "engine", where);
        if (!find_engine(info.engine))
            fail(where + ".engine", "must be " + engine_choices() + ", not '" + info.engine + "'");
    }
    for (auto [key, field] : { std::pair { "python", &RunInfo::python }, { "program", &RunInfo::program }, { "exit", &RunInfo::exit } }) {
        if (ts.contains(key))
            info.*field = get_string(ts, key, where);
    }
    if (const auto inferred = ts.find("gil_inferred"); inferred != ts.end()) {
        if (!inferred->is_boolean())
            fail(where + ".gil_inferred", "must be true or false");
        info.gil_inferred = inferred->get<bool>();
    }
    if (ts.contains("kernel")) {
        const std::string source = get_string(ts, "kernel", where);
        const auto k = kernel_source_from_name(source);
        if (!k)
            fail(where + ".kernel", "must be exact, sampled or none, not '" + source + "'");
        out.kernel.source = *k;
        if (ts.contains("kernel_note"))
            out.kernel.note = get_string(ts, "kernel_note", where);
        if (const auto check = ts.find("kernel_check"); check != ts.end()) {
            const std::string w = where + ".kernel_check";
            if (!check->is_object())
                fail(w, "must be an object");
            out.kernel.gil_wait = get_integer(*check, "gil_wait_ns", w, 0, kMaxNanos);
            out.kernel.gil_wait_on_core = get_integer(*check, "gil_wait_on_core_ns", w, 0, kMaxNanos);
            out.kernel.waiting = get_integer(*check, "waiting_ns", w, 0, kMaxNanos);
            out.kernel.waiting_on_core = get_integer(*check, "waiting_on_core_ns", w, 0, kMaxNanos);
        }
    }
    const auto complete = ts.find("complete");
    out.complete = complete == ts.end() || (complete->is_boolean() && complete->get<bool>());

    if (const auto ideal = ts.find("ideal"); ideal != ts.end())
        read_ideal(*ideal, out);

    const json& tasks = member(ts, "tasks", where);
    if (!tasks.is_array())
        fail(where + ".tasks", "must be an array");
    if (tasks.size() > std::size_t(Limits::kMaxTasks))
        fail(where + ".tasks", "has " + std::to_string(tasks.size()) + " tasks; at most "
                + std::to_string(Limits::kMaxTasks) + " are allowed");
    out.tasks.resize(tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const std::string w = where + ".tasks[" + std::to_string(i) + "]";
        const json& t = tasks[i];
        if (!t.is_object())
            fail(w, "must be an object");
        TaskTrace& task = out.tasks[i];
        task.name = get_string(t, "name", w);
        task.pid = std::int32_t(get_integer(t, "pid", w, 0, INT32_MAX));
        task.tid = std::int32_t(get_integer(t, "tid", w, 0, INT32_MAX));
        task.submitted = get_integer(t, "submitted_ns", w, -1, kMaxNanos);
        task.started = get_integer(t, "started_ns", w, -1, kMaxNanos);
        task.finished = get_integer(t, "finished_ns", w, -1, kMaxNanos);
        const std::string status = get_string(t, "status", w);
        const auto state = state_from_name(status);
        if (!state)
            fail(w + ".status", "unknown state '" + status + "'");
        task.status = *state;
        task.result = get_string(t, "result", w);
        if (t.contains("reason"))
            task.reason = get_string(t, "reason", w);
        if (t.contains("cpu_time_ns"))
            task.cpu_time = get_integer(t, "cpu_time_ns", w, -1, kMaxNanos);
        if (const auto k = t.find("kernel"); k != t.end()) {
            const std::string kw = w + ".kernel";
            if (!k->is_object())
                fail(kw, "must be an object");
            KernelStats stats;
            stats.on_core = get_integer(*k, "on_core_ns", kw, 0, kMaxNanos);
            stats.preempted = get_integer(*k, "preempted_ns", kw, 0, kMaxNanos);
            stats.blocked = get_integer(*k, "blocked_ns", kw, 0, kMaxNanos);
            stats.preemptions = std::uint32_t(get_integer(*k, "preemptions", kw, 0, UINT32_MAX));
            stats.switches = std::uint32_t(get_integer(*k, "switches", kw, 0, UINT32_MAX));
            stats.migrations = std::uint32_t(get_integer(*k, "migrations", kw, 0, UINT32_MAX));
            task.kernel = stats;
        }
    }
}

} // namespace timeslice
