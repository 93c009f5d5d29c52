// Responsible for the events of a trace file (traceEvents), written by hand in one pass.
#include "core/formats/trace_writer.h"

#include "core/base/atomic_file.h"
#include "core/formats/json_writer.h"
#include "core/formats/run_summary.h"
#include "core/formats/trace_json.h"
#include "core/models/registry.h"

#include <algorithm>
#include <map>
#include <set>

namespace timeslice {

namespace {

// A span's duration as viewers add it up: JavaScript viewers (speedscope, Chrome DevTools) compute
// ts + dur in float64 microseconds, often after taking the track's first ts away, and where two
// spans meet the sum can land a hair past the next span's ts, which nests or drops the later one
// ("1723.8910000000046" against "...0033"). So a span that meets the next one is written 1 ns
// short, a gap no rounding of times below a few days can close, and shorter still if float64
// needs it. The reader restores the meeting point (kViewerSlackNanos).
Nanos viewer_safe_duration(const Span& s, Nanos next_start)
{
    Nanos d = s.duration();
    if (next_start < s.end)
        return d;
    if (next_start == s.end && d > 0)
        --d;
    const double next = double(next_start) / 1000.0;
    while (d > 0 && double(s.start) / 1000.0 + double(d) / 1000.0 >= next)
        --d;
    return d;
}

void write_span(JsonWriter& w, std::int32_t pid, std::int32_t tid, std::string_view name, const Span& s,
    std::string_view task, Nanos next_start, const std::vector<std::string>& targets)
{
    w.raw(R"({"ph":"X","name":)");
    w.string(name);
    w.raw(R"(,"cat":")");
    w.raw(state_name(s.state));
    w.raw(R"(","pid":)");
    w.integer(pid);
    w.raw(R"(,"tid":)");
    w.integer(tid);
    w.raw(R"(,"ts":)");
    w.micros(s.start);
    w.raw(R"(,"dur":)");
    w.micros(viewer_safe_duration(s, next_start));
    w.raw(R"(,"args":{"worker_pid":)");
    w.integer(s.pid());
    w.raw(R"(,"worker_tid":)");
    w.integer(s.tid());
    w.raw(R"(,"core":)");
    w.integer(s.core);
    if (!task.empty()) {
        w.raw(R"(,"task":)");
        w.string(task);
    }
    if (s.reason != WaitReason::None) {
        w.raw(R"(,"reason":")");
        w.raw(wait_reason_name(s.reason));
        w.raw("\"");
    }
    if (s.gil != GilHold::Unknown) {
        w.raw(R"(,"gil":")");
        w.raw(gil_hold_name(s.gil));
        w.raw("\"");
    }
    if (s.target != 0 && s.target < targets.size()) {
        w.raw(R"(,"target":)");
        w.string(targets[s.target]);
    }
    w.raw("}},\n");
}

void write_metadata(JsonWriter& w, std::string_view what, std::int32_t pid, std::int32_t tid, std::string_view key,
    std::string_view text, long long number = 0)
{
    // "ts": 0 though the format does not ask it of metadata: tracerbench nests by ts and put
    // a span under metadata that had none.
    w.raw(R"({"ph":"M","ts":0,"name":")");
    w.raw(what);
    w.raw(R"(","cat":"__metadata","pid":)");
    w.integer(pid);
    w.raw(R"(,"tid":)");
    w.integer(tid);
    w.raw(R"(,"args":{")");
    w.raw(key);
    w.raw(R"(":)");
    if (key == "name" || key == "labels")
        w.string(text);
    else
        w.integer(number);
    w.raw("}},\n");
}

void write_task_tracks(JsonWriter& w, const Trace& trace, const ModelDescriptor* model)
{
    const std::string title = "Timeslice: " + trace.info.workload + " / " + trace.info.model
        + (model && model->gil ? (trace.info.gil ? " (GIL)" : " (no GIL)") : "");
    write_metadata(w, "process_name", kTaskTrackPid, 0, "name", title);
    write_metadata(w, "process_sort_index", kTaskTrackPid, 0, "sort_index", {}, 0);
    for (std::size_t i = 0; i < trace.tasks.size(); ++i) {
        const std::int32_t tid = std::int32_t(i + 1);
        write_metadata(w, "thread_name", kTaskTrackPid, tid, "name", trace.tasks[i].name);
        write_metadata(w, "thread_sort_index", kTaskTrackPid, tid, "sort_index", {}, (long long)i);
    }
    for (std::size_t i = 0; i < trace.tasks.size(); ++i) {
        const TaskTrace& task = trace.tasks[i];
        const std::int32_t tid = std::int32_t(i + 1);
        for (std::size_t k = 0; k < task.spans.size(); ++k) {
            const Nanos next = k + 1 < task.spans.size() ? task.spans[k + 1].start : kNoNextSpan;
            write_span(w, kTaskTrackPid, tid, state_name(task.spans[k].state), task.spans[k], {}, next, trace.targets);
        }
        if (task.finished >= 0) {
            w.raw(R"({"ph":"i","s":"t","name":")");
            w.raw(state_name(task.status));
            w.raw(R"(","cat":"end","pid":)");
            w.integer(kTaskTrackPid);
            w.raw(R"(,"tid":)");
            w.integer(tid);
            w.raw(R"(,"ts":)");
            w.micros(task.finished);
            w.raw("},\n");
        }
    }
}

// The processes model: one more track per worker process, showing which task it ran when.
void write_worker_tracks(JsonWriter& w, const Trace& trace)
{
    std::set<std::int32_t> workers;
    for (const TaskTrace& task : trace.tasks) {
        for (const Span& s : task.spans) {
            if (s.pid() > 0 && s.state != State::Queued && workers.insert(s.pid()).second) {
                write_metadata(w, "process_name", s.pid(), 0, "name", "worker process " + std::to_string(s.pid()));
                write_metadata(w, "process_sort_index", s.pid(), 0, "sort_index", {}, 1 + (long long)workers.size());
                write_metadata(w, "thread_name", s.pid(), s.pid(), "name", "worker " + std::to_string(s.pid()));
            }
        }
    }
    // Each worker's spans in time order, so each knows where the next one on its track starts.
    struct WorkerSpan {
        const Span* span;
        const TaskTrace* task;
    };
    std::map<std::int32_t, std::vector<WorkerSpan>> by_worker;
    for (const TaskTrace& task : trace.tasks) {
        for (const Span& s : task.spans) {
            if (s.pid() > 0 && s.state != State::Queued)
                by_worker[s.pid()].push_back({ &s, &task });
        }
    }
    for (auto& [pid, spans] : by_worker) {
        std::stable_sort(spans.begin(), spans.end(),
            [](const WorkerSpan& a, const WorkerSpan& b) { return a.span->start < b.span->start; });
        for (std::size_t k = 0; k < spans.size(); ++k) {
            const Nanos next = k + 1 < spans.size() ? spans[k + 1].span->start : kNoNextSpan;
            // "C · waiting": a viewer that reads only names (speedscope ignores cat) still
            // tells a task's back-to-back states apart.
            const std::string name = spans[k].task->name + " · " + std::string(state_name(spans[k].span->state));
            write_span(w, pid, pid, name, *spans[k].span, spans[k].task->name, next, trace.targets);
        }
    }
}

// The kernel's view: which task's thread was on which core, one track per core.
void write_core_tracks(JsonWriter& w, const Trace& trace)
{
    write_metadata(w, "process_name", kCoresTrackPid, 0, "name", "CPU cores");
    write_metadata(w, "process_sort_index", kCoresTrackPid, 0, "sort_index", {}, 1);
    std::set<int> named;
    for (const CoreSpan& c : trace.cores) {
        if (named.insert(c.core).second) {
            write_metadata(w, "thread_name", kCoresTrackPid, c.core + 1, "name", "CPU " + std::to_string(c.core));
            write_metadata(w, "thread_sort_index", kCoresTrackPid, c.core + 1, "sort_index", {}, c.core);
        }
    }
    for (std::size_t k = 0; k < trace.cores.size(); ++k) {
        const CoreSpan& c = trace.cores[k];
        const Nanos next
            = k + 1 < trace.cores.size() && trace.cores[k + 1].core == c.core ? trace.cores[k + 1].start : kNoNextSpan;
        const std::string& name = c.task < trace.tasks.size() ? trace.tasks[c.task].name : std::string("?");
        w.raw(R"({"ph":"X","name":)");
        w.string(name);
        w.raw(R"(,"cat":"core","pid":)");
        w.integer(kCoresTrackPid);
        w.raw(R"(,"tid":)");
        w.integer(c.core + 1);
        w.raw(R"(,"ts":)");
        w.micros(c.start);
        w.raw(R"(,"dur":)");
        w.micros(viewer_safe_duration(Span { c.start, c.end, 0, 0, c.core, State::Running }, next));
        w.raw(R"(,"args":{"task_index":)");
        w.integer((long long)c.task);
        // Two threads' switches on one core are nanoseconds apart, not equal: the exact
        // length, since "dur" may be shortened for float64 viewers.
        w.raw(R"(,"dur_ns":)");
        w.integer(c.end - c.start);
        w.raw("}},\n");
    }
}

// A counter event up to its values: `name` at time t.
void write_counter_head(JsonWriter& w, std::string_view name, Nanos t)
{
    w.raw(R"({"ph":"C","name":")");
    w.raw(name);
    w.raw(R"(","cat":"cpu","pid":)");
    w.integer(kTaskTrackPid);
    w.raw(R"(,"tid":0,"ts":)");
    w.micros(t);
    w.raw(R"(,"args":{)");
}

void write_per_core_counter(JsonWriter& w, std::string_view name, Nanos t, const std::vector<float>& per_core)
{
    write_counter_head(w, name, t);
    for (std::size_t k = 0; k < per_core.size(); ++k) {
        w.raw(k ? ",\"cpu" : "\"cpu");
        w.integer((long long)k);
        w.raw("\":");
        w.number(per_core[k]);
    }
    w.raw("}},\n");
}

void write_total_counter(JsonWriter& w, std::string_view name, Nanos t, float total)
{
    write_counter_head(w, name, t);
    w.raw(R"("total":)");
    w.number(total);
    w.raw("}},\n");
}

void write_cpu_counters(JsonWriter& w, const Trace& trace)
{
    for (const CpuSample& c : trace.cpu) {
        if (c.own_total >= 0) {
            write_per_core_counter(w, kRunCpuPerCoreCounter, c.t, c.own_per_core);
            write_total_counter(w, kRunCpuTotalCounter, c.t, c.own_total);
        }
        write_per_core_counter(w, kCpuPerCoreCounter, c.t, c.per_core);
        write_total_counter(w, kCpuTotalCounter, c.t, c.total);
    }
}

} // namespace

std::string trace_to_json(const Trace& trace, const std::optional<Scorecard>& scorecard)
{
    JsonWriter w;
    w.out.reserve(256 + trace.span_count() * 190 + trace.cpu.size() * 64);
    w.raw("{\"traceEvents\":[\n");
    const ModelDescriptor* model = find_model(trace.info.model);
    write_task_tracks(w, trace, model);
    if (model && model->worker_processes)
        write_worker_tracks(w, trace);
    if (!trace.cores.empty())
        write_core_tracks(w, trace);
    write_cpu_counters(w, trace);
    // A last metadata event: no trailing comma, and every real event above ends with one.
    write_metadata(w, "process_labels", kTaskTrackPid, 0, "labels", "Timeslice");
    w.out.resize(w.out.size() - 2);
    w.raw("\n],\n\"displayTimeUnit\":\"ms\",\n");
    write_viewer_metadata(w, trace, scorecard);
    write_run_summary(w, trace, scorecard);
    w.raw("}\n");
    return std::move(w.out);
}

std::string save_trace(const Trace& trace, const std::optional<Scorecard>& scorecard, const std::string& path)
{
    return write_file_atomically(path, trace_to_json(trace, scorecard));
}

} // namespace timeslice
