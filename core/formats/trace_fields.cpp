// Responsible for the two tables of the trace's metadata fields: the run's and each task's.
#include "core/formats/trace_fields.h"

#include "core/formats/trace_json.h"
#include "core/models/registry.h"
#include "core/workload/workload.h"

namespace timeslice {

namespace {

using F = FieldOf<Trace>;
using T = FieldOf<TaskTrace>;

template <typename Value> auto info(Value RunInfo::*field)
{
    return [field](auto& trace) -> auto& { return trace.info.*field; };
}

template <typename Value> auto kernel(Value KernelSummary::*field)
{
    return [field](auto& trace) -> auto& { return trace.kernel.*field; };
}

// The fields only real Python's runs have.
bool ran_python(const Trace& t) { return t.info.engine != describe(Engine::Native).name; }
bool ran_script(const Trace& t) { return !t.info.script.empty(); }
bool from_workload_file(const Trace& t) { return !t.info.workload_file.empty(); }
bool checked_gil_waits(const Trace& t) { return t.info.gil_waits_elsewhere >= 0; }
bool on_a_cluster(const Trace& t) { return !t.info.cluster.empty(); }

Field<Trace> version_field()
{
    return { "version", [](JsonWriter& w, const Trace&) { w.integer(kTraceFormatVersion); },
        [](const json& o, const char* k, const std::string& where, Trace&) {
            const long long version = get_integer(o, k, where, 0, 1'000'000);
            if (version != kTraceFormatVersion)
                fail(where + ".version",
                    "is " + std::to_string(version) + "; this Timeslice reads version "
                        + std::to_string(kTraceFormatVersion));
        } };
}

// Traces from before the field was written are complete; a value that is not true or false is not.
Field<Trace> complete_field()
{
    return { "complete", [](JsonWriter& w, const Trace& t) { w.raw(t.complete ? "true" : "false"); },
        [](const json& o, const char* k, const std::string&, Trace& t) {
            const auto complete = o.find(k);
            t.complete = complete == o.end() || (complete->is_boolean() && complete->get<bool>());
        } };
}

Field<Trace> engine_field()
{
    return { "engine", [](JsonWriter& w, const Trace& t) { w.string(t.info.engine); },
        [](const json& o, const char* k, const std::string& where, Trace& t) {
            if (!o.contains(k))
                return;
            t.info.engine = get_string(o, k, where);
            if (!find_engine(t.info.engine))
                fail(where + ".engine", "must be " + engine_choices() + ", not '" + t.info.engine + "'");
        } };
}

// The kernel's view: its source, in words.
Field<Trace> kernel_source_field()
{
    return { "kernel",
        [](JsonWriter& w, const Trace& t) {
            w.raw("\"");
            w.raw(kernel_source_name(t.kernel.source));
            w.raw("\"");
        },
        [](const json& o, const char* k, const std::string& where, Trace& t) {
            if (!o.contains(k))
                return;
            const std::string source = get_string(o, k, where);
            const auto kernel = kernel_source_from_name(source);
            if (!kernel)
                fail(where + ".kernel", "must be exact, sampled or none, not '" + source + "'");
            t.kernel.source = *kernel;
        } };
}

// Where the kernel's view disagrees with the model: time the model called waiting that the kernel
// had on a core.
const Fields<KernelSummary>& kernel_check_fields()
{
    using K = FieldOf<KernelSummary>;
    static const Fields<KernelSummary> fields {
        K::integer("gil_wait_ns", &KernelSummary::gil_wait, 0, kMaxNanos),
        K::integer("gil_wait_on_core_ns", &KernelSummary::gil_wait_on_core, 0, kMaxNanos),
        K::integer("waiting_ns", &KernelSummary::waiting, 0, kMaxNanos),
        K::integer("waiting_on_core_ns", &KernelSummary::waiting_on_core, 0, kMaxNanos),
    };
    return fields;
}

const Fields<KernelStats>& kernel_stats_fields()
{
    using K = FieldOf<KernelStats>;
    static const Fields<KernelStats> fields {
        K::seconds("on_core_s", &KernelStats::on_core),
        K::seconds("preempted_s", &KernelStats::preempted),
        K::seconds("blocked_s", &KernelStats::blocked),
        K::integer("on_core_ns", &KernelStats::on_core, 0, kMaxNanos),
        K::integer("preempted_ns", &KernelStats::preempted, 0, kMaxNanos),
        K::integer("blocked_ns", &KernelStats::blocked, 0, kMaxNanos),
        K::integer("preemptions", &KernelStats::preemptions, 0, UINT32_MAX),
        K::integer("switches", &KernelStats::switches, 0, UINT32_MAX),
        K::integer("migrations", &KernelStats::migrations, 0, UINT32_MAX),
    };
    return fields;
}

// A task's moment in seconds for people, -1 where it has none.
Field<TaskTrace> moment_seconds(const char* key, Nanos TaskTrace::*moment)
{
    return { key,
        [moment](JsonWriter& w, const TaskTrace& t) { w.number(t.*moment < 0 ? -1.0 : to_seconds(t.*moment)); } };
}

Field<TaskTrace> status_field()
{
    return { "status",
        [](JsonWriter& w, const TaskTrace& t) {
            w.raw("\"");
            w.raw(state_name(t.status));
            w.raw("\"");
        },
        [](const json& o, const char* k, const std::string& where, TaskTrace& t) {
            const std::string status = get_string(o, k, where);
            const auto state = state_from_name(status);
            if (!state)
                fail(where + ".status", "unknown state '" + status + "'");
            t.status = *state;
        } };
}

bool has_reason(const TaskTrace& t) { return !t.reason.empty(); }
bool says_clock(const Trace& t) { return !t.info.clock.empty(); }
bool is_thread_row(const TaskTrace& t) { return t.thread_row; }
bool has_worker(const TaskTrace& t) { return !t.worker.empty(); }
bool has_cpu_time(const TaskTrace& t) { return t.cpu_time >= 0; }

} // namespace

const Fields<Trace>& run_fields()
{
    static const Fields<Trace> fields {
        version_field(),
        F::string("workload", info(&RunInfo::workload)),
        written_if(from_workload_file, F::string("workload_file", info(&RunInfo::workload_file), Presence::Optional)),
        F::string("model", info(&RunInfo::model)),
        F::boolean("gil", info(&RunInfo::gil)),
        F::number("switch_interval_ms", info(&RunInfo::switch_interval_ms), 0, 1e6),
        F::integer("workers", info(&RunInfo::workers), 0, 1'000'000),
        F::integer("cores", info(&RunInfo::cores), 0, 100'000),
        F::number("scale", info(&RunInfo::scale), 0, 1e6),
        F::integer("iterations", info(&RunInfo::iterations), 0, (long long)Limits::kMaxIterations),
        F::string("cpu_model", info(&RunInfo::cpu_model)),
        F::string("hostname", info(&RunInfo::hostname)),
        F::string("date", info(&RunInfo::date)),
        complete_field(),
        F::seconds("makespan_s", info(&RunInfo::makespan)),
        F::integer("makespan_ns", info(&RunInfo::makespan), 0, kMaxNanos),
        F::integer("gil_hand_overs", info(&RunInfo::gil_hand_overs), 0, kMaxNanos, Presence::Optional),
        engine_field(),
        written_if(ran_python, F::string("python", info(&RunInfo::python), Presence::Optional)),
        written_if(ran_python, F::string("program", info(&RunInfo::program), Presence::Optional)),
        written_if(ran_script, F::string("script", info(&RunInfo::script), Presence::Optional)),
        written_if(ran_python, F::string("exit", info(&RunInfo::exit), Presence::Optional)),
        written_if(ran_python, F::boolean("gil_inferred", info(&RunInfo::gil_inferred), Presence::Optional)),
        written_if(ran_python, F::string("gil_found", info(&RunInfo::gil_found), Presence::Optional)),
        written_if(ran_python, F::integer("gil_switch_number", info(&RunInfo::gil_switch_number), -1, kMaxNanos, Presence::Optional)),
        written_if(ran_python, F::string("waits_note", info(&RunInfo::waits_note), Presence::Optional)),
        written_if(on_a_cluster, F::string("cluster", info(&RunInfo::cluster), Presence::Optional)),
        written_if(checked_gil_waits, F::integer("gil_waits_elsewhere", info(&RunInfo::gil_waits_elsewhere), -1, kMaxNanos, Presence::Optional)),
        written_if(says_clock, F::string("clock", info(&RunInfo::clock), Presence::Optional)),
        kernel_source_field(),
        read_with("kernel", F::string("kernel_note", kernel(&KernelSummary::note), Presence::Optional)),
        read_with("kernel", F::object("kernel_check", &Trace::kernel, kernel_check_fields())),
    };
    return fields;
}

const Fields<TaskTrace>& task_fields()
{
    static const Fields<TaskTrace> fields {
        T::string("name", &TaskTrace::name),
        T::integer("pid", &TaskTrace::pid, 0, INT32_MAX),
        T::integer("tid", &TaskTrace::tid, 0, INT32_MAX),
        moment_seconds("submitted_s", &TaskTrace::submitted),
        moment_seconds("started_s", &TaskTrace::started),
        moment_seconds("finished_s", &TaskTrace::finished),
        T::integer("submitted_ns", &TaskTrace::submitted, -1, kMaxNanos),
        T::integer("started_ns", &TaskTrace::started, -1, kMaxNanos),
        T::integer("finished_ns", &TaskTrace::finished, -1, kMaxNanos),
        status_field(),
        T::string("result", &TaskTrace::result),
        written_if(has_reason, T::string("reason", &TaskTrace::reason, Presence::Optional)),
        written_if(has_cpu_time, T::integer("cpu_time_ns", &TaskTrace::cpu_time, -1, kMaxNanos, Presence::Optional)),
        written_if(is_thread_row, T::boolean("thread", &TaskTrace::thread_row, Presence::Optional)),
        written_if(has_worker, T::string("worker", &TaskTrace::worker, Presence::Optional)),
        T::optional_object("kernel", &TaskTrace::kernel, kernel_stats_fields()),
        state_seconds_field<TaskTrace>([](const TaskTrace& t, State s) { return t.time_in(s); }),
    };
    return fields;
}

} // namespace timeslice
