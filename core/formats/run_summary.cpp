// Responsible for the run's summary blocks of a trace file: otherData.timeslice and "metadata".
#include "core/formats/run_summary.h"

#include "core/formats/trace_fields.h"
#include "core/models/registry.h"
#include "core/workload/workload.h"

namespace timeslice {

namespace {

// Written for people and other tools; Timeslice computes the scorecard again from the trace.
const Fields<Scorecard>& scorecard_fields()
{
    using S = FieldOf<Scorecard>;
    static const Fields<Scorecard> fields {
        S::seconds("makespan_s", &Scorecard::makespan),
        S::seconds("ideal_makespan_s", &Scorecard::ideal_makespan),
        S::shown("vs_ideal", &Scorecard::vs_ideal),
        S::seconds("serial_s", &Scorecard::serial),
        S::shown("speedup", &Scorecard::speedup),
        S::shown("cpu_utilisation_pct", &Scorecard::cpu_utilisation),
        S::shown("concurrency", &Scorecard::concurrency),
        S::seconds("mean_startup_s", &Scorecard::mean_startup),
        S::seconds("max_startup_s", &Scorecard::max_startup),
        S::shown("gil_switches", &Scorecard::gil_switches),
        S::shown("cpu_is_own", &Scorecard::cpu_is_own),
        state_seconds_field<Scorecard>([](const Scorecard& s, State st) { return s.time_in_state[std::size_t(st)]; }),
    };
    return fields;
}

// The predicted schedule, so a saved run still shows it: per task [start_ns, end_ns, state].
void write_ideal(JsonWriter& w, const IdealSchedule& ideal)
{
    w.raw(R"(,"ideal":{"makespan_ns":)");
    w.integer(ideal.makespan);
    w.raw(R"(,"serial_ns":)");
    w.integer(ideal.serial);
    w.raw(R"(,"tasks":[)");
    for (std::size_t i = 0; i < ideal.tasks.size(); ++i) {
        w.raw(i ? ",[" : "[");
        for (std::size_t k = 0; k < ideal.tasks[i].size(); ++k) {
            const IdealSpan& span = ideal.tasks[i][k];
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

void read_tasks(const json& tasks, const std::string& where, Trace& out)
{
    if (!tasks.is_array())
        fail(where, "must be an array");
    if (tasks.size() > std::size_t(Limits::kMaxTasks))
        fail(where,
            "has " + std::to_string(tasks.size()) + " tasks; at most " + std::to_string(Limits::kMaxTasks)
                + " are allowed");
    out.tasks.resize(tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const std::string w = where + "[" + std::to_string(i) + "]";
        if (!tasks[i].is_object())
            fail(w, "must be an object");
        read_fields(tasks[i], w, task_fields(), out.tasks[i]);
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
    w.raw(R"("otherData":{"timeslice":{)");
    write_fields(w, run_fields(), trace);
    if (scorecard) {
        w.raw(R"(,"scorecard":{)");
        write_fields(w, scorecard_fields(), *scorecard);
        w.raw("}");
    }
    if (!trace.ideal.empty())
        write_ideal(w, trace.ideal);
    w.raw(R"(,"tasks":[)");
    for (std::size_t i = 0; i < trace.tasks.size(); ++i) {
        w.raw(i ? ",\n{" : "\n{");
        write_fields(w, task_fields(), trace.tasks[i]);
        w.raw("}");
    }
    w.raw("]}}");
}

void read_run_summary(const json& timeslice, Trace& out)
{
    const std::string where = "otherData.timeslice";
    read_fields(timeslice, where, run_fields(), out);
    if (const auto ideal = timeslice.find("ideal"); ideal != timeslice.end())
        read_ideal(*ideal, out);
    read_tasks(member(timeslice, "tasks", where), where + ".tasks", out);
}

} // namespace timeslice
