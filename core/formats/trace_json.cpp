#include "core/formats/trace_json.h"

#include "core/analysis/schedule.h"
#include "core/base/atomic_file.h"
#include "core/formats/foreign_trace.h"
#include "core/models/registry.h"
#include "core/base/utf8.h"
#include "core/workload/workload.h"

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

namespace timeslice {

namespace {

using json = nlohmann::json;

// ---- writing: streamed by hand, 1,000,000 spans must save in well under a second ----

class Writer {
public:
    std::string out;

    void raw(std::string_view s) { out.append(s); }
    void integer(long long v)
    {
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof buf, v);
        out.append(buf, r.ptr);
    }
    // Nanoseconds as microseconds with three decimals: exact, and what the format expects.
    void micros(Nanos ns)
    {
        if (ns < 0) {
            out.push_back('-');
            ns = -ns;
        }
        integer(ns / 1000);
        const int frac = int(ns % 1000);
        out.push_back('.');
        out.push_back(char('0' + frac / 100));
        out.push_back(char('0' + frac / 10 % 10));
        out.push_back(char('0' + frac % 10));
    }
    // Shortest text that reads back to the same float or double.
    template <typename Real> void number(Real v)
    {
        if (!std::isfinite(v)) {
            out.append("0");
            return;
        }
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, v);
        out.append(buf, r.ptr);
    }
    // A JSON string; bytes that are not valid UTF-8 become U+FFFD so the file stays valid.
    void string(std::string_view s)
    {
        out.push_back('"');
        for (std::size_t i = 0; i < s.size();) {
            const unsigned char c = static_cast<unsigned char>(s[i]);
            if (c == '"' || c == '\\') {
                out.push_back('\\');
                out.push_back(char(c));
                ++i;
            } else if (c < 0x20) {
                static const char* hex = "0123456789abcdef";
                out.append("\\u00");
                out.push_back(hex[c >> 4]);
                out.push_back(hex[c & 15]);
                ++i;
            } else if (c < 0x80) {
                out.push_back(char(c));
                ++i;
            } else {
                const std::size_t n = utf8_length(s.data() + i, s.data() + s.size());
                if (n == 0) {
                    out.append("\xEF\xBF\xBD");
                    ++i;
                } else {
                    out.append(s.substr(i, n));
                    i += n;
                }
            }
        }
        out.push_back('"');
    }
};

// A span's duration as viewers add it up: JavaScript viewers (speedscope, Chrome DevTools) compute
// ts + dur in float64 microseconds, and where two spans meet the sum can land a hair past the
// next span's ts, which nests or drops the later one. So the written duration is the span's,
// less the few nanoseconds that keep ts + dur <= the next span's ts in float64. (double(ns) /
// 1000 is correctly rounded, so it is exactly what parsing the written "123.456" gives.) The
// reader restores the meeting point.
Nanos viewer_safe_duration(const Span& s, Nanos next_start)
{
    Nanos d = s.duration();
    if (next_start < s.end)
        return d;
    const double next = double(next_start) / 1000.0;
    while (d > 0 && double(s.start) / 1000.0 + double(d) / 1000.0 > next)
        --d;
    return d;
}

void write_span(Writer& w, std::int32_t pid, std::int32_t tid, std::string_view name, const Span& s, std::string_view task,
    Nanos next_start)
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
    w.integer(s.pid);
    w.raw(R"(,"worker_tid":)");
    w.integer(s.tid);
    w.raw(R"(,"core":)");
    w.integer(s.core);
    if (!task.empty()) {
        w.raw(R"(,"task":)");
        w.string(task);
    }
    w.raw("}},\n");
}

void write_metadata(Writer& w, std::string_view what, std::int32_t pid, std::int32_t tid, std::string_view key,
    std::string_view text, long long number = 0)
{
    w.raw(R"({"ph":"M","name":")");
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

// ,"state_s":{"queued":0.1,...}: seconds in each span state, for a task or a whole run.
template <typename TimeIn> void write_state_seconds(Writer& w, TimeIn time_in)
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

// Perfetto drops otherData but shows a top-level "metadata" object: the run's summary for people,
// as flat keys. (otherData.timeslice stays the complete record Timeslice reads back.)
void write_viewer_metadata(Writer& w, const Trace& trace, const std::optional<Scorecard>& scorecard)
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

void write_summary(Writer& w, const Trace& trace, const std::optional<Scorecard>& scorecard)
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

} // namespace

std::string trace_to_json(const Trace& trace, const std::optional<Scorecard>& scorecard)
{
    Writer w;
    w.out.reserve(256 + trace.span_count() * 190 + trace.cpu.size() * 64);
    w.raw("{\"traceEvents\":[\n");
    const ModelDescriptor* model = find_model(trace.info.model);
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
            write_span(w, kTaskTrackPid, tid, state_name(task.spans[k].state), task.spans[k], {}, next);
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
    // The processes model: one more track per worker process, showing which task it ran when.
    if (model && model->worker_processes) {
        std::set<std::int32_t> workers;
        for (const TaskTrace& task : trace.tasks) {
            for (const Span& s : task.spans) {
                if (s.pid > 0 && s.state != State::Queued && workers.insert(s.pid).second) {
                    write_metadata(w, "process_name", s.pid, 0, "name", "worker process " + std::to_string(s.pid));
                    write_metadata(w, "process_sort_index", s.pid, 0, "sort_index", {}, 1 + (long long)workers.size());
                    write_metadata(w, "thread_name", s.pid, s.pid, "name", "worker " + std::to_string(s.pid));
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
                if (s.pid > 0 && s.state != State::Queued)
                    by_worker[s.pid].push_back({ &s, &task });
            }
        }
        for (auto& [pid, spans] : by_worker) {
            std::stable_sort(spans.begin(), spans.end(), [](const WorkerSpan& a, const WorkerSpan& b) { return a.span->start < b.span->start; });
            for (std::size_t k = 0; k < spans.size(); ++k) {
                const Nanos next = k + 1 < spans.size() ? spans[k + 1].span->start : kNoNextSpan;
                write_span(w, pid, pid, spans[k].task->name, *spans[k].span, spans[k].task->name, next);
            }
        }
    }
    // The kernel's view: which task's thread was on which core, one track per core.
    if (!trace.cores.empty()) {
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
            const Nanos next = k + 1 < trace.cores.size() && trace.cores[k + 1].core == c.core ? trace.cores[k + 1].start
                                                                                               : kNoNextSpan;
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
    for (const CpuSample& c : trace.cpu) {
        if (c.own_total >= 0) {
            w.raw(R"x({"ph":"C","name":"CPU usage of this run per core (%)","cat":"cpu","pid":)x");
            w.integer(kTaskTrackPid);
            w.raw(R"(,"tid":0,"ts":)");
            w.micros(c.t);
            w.raw(R"(,"args":{)");
            for (std::size_t k = 0; k < c.own_per_core.size(); ++k) {
                w.raw(k ? ",\"cpu" : "\"cpu");
                w.integer((long long)k);
                w.raw("\":");
                w.number(c.own_per_core[k]);
            }
            w.raw("}},\n");
            w.raw(R"x({"ph":"C","name":"CPU usage of this run total (%)","cat":"cpu","pid":)x");
            w.integer(kTaskTrackPid);
            w.raw(R"(,"tid":0,"ts":)");
            w.micros(c.t);
            w.raw(R"(,"args":{"total":)");
            w.number(c.own_total);
            w.raw("}},\n");
        }
        w.raw(R"x({"ph":"C","name":"CPU usage per core (%)","cat":"cpu","pid":)x");
        w.integer(kTaskTrackPid);
        w.raw(R"(,"tid":0,"ts":)");
        w.micros(c.t);
        w.raw(R"(,"args":{)");
        for (std::size_t k = 0; k < c.per_core.size(); ++k) {
            w.raw(k ? ",\"cpu" : "\"cpu");
            w.integer((long long)k);
            w.raw("\":");
            w.number(c.per_core[k]);
        }
        w.raw("}},\n");
        w.raw(R"x({"ph":"C","name":"CPU usage total (%)","cat":"cpu","pid":)x");
        w.integer(kTaskTrackPid);
        w.raw(R"(,"tid":0,"ts":)");
        w.micros(c.t);
        w.raw(R"(,"args":{"total":)");
        w.number(c.total);
        w.raw("}},\n");
    }
    // A last metadata event: no trailing comma, and every real event above ends with one.
    write_metadata(w, "process_labels", kTaskTrackPid, 0, "labels", "Timeslice");
    w.out.resize(w.out.size() - 2);
    w.raw("\n],\n\"displayTimeUnit\":\"ms\",\n");
    write_viewer_metadata(w, trace, scorecard);
    write_summary(w, trace, scorecard);
    w.raw("}\n");
    return std::move(w.out);
}

// ---- reading ----

namespace {

struct ReadError {
    std::string message;
};

[[noreturn]] void fail(const std::string& where, const std::string& what) { throw ReadError { where + ": " + what }; }

const json& member(const json& object, const char* key, const std::string& where)
{
    const auto it = object.find(key);
    if (it == object.end())
        fail(where, std::string("missing field '") + key + "'");
    return *it;
}

std::string get_string(const json& object, const char* key, const std::string& where)
{
    const json& v = member(object, key, where);
    if (!v.is_string())
        fail(where + "." + key, "must be a string");
    return v.get<std::string>();
}

double get_number(const json& object, const char* key, const std::string& where, double lo, double hi)
{
    const json& v = member(object, key, where);
    if (!v.is_number())
        fail(where + "." + key, "must be a number");
    const double d = v.get<double>();
    if (!std::isfinite(d) || d < lo || d > hi)
        fail(where + "." + key, "must be between " + format_seconds(lo) + " and " + format_seconds(hi) + ", not "
                + format_seconds(d));
    return d;
}

long long get_integer(const json& object, const char* key, const std::string& where, long long lo, long long hi)
{
    const json& v = member(object, key, where);
    if (!v.is_number_integer())
        fail(where + "." + key, "must be an integer");
    const long long n = v.get<long long>();
    if (n < lo || n > hi)
        fail(where + "." + key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", not "
                + std::to_string(n));
    return n;
}

constexpr double kMaxMicros = 1e14; // about three years of trace
constexpr long long kMaxNanos = 100'000'000'000'000'000LL;

Nanos micros_to_nanos(double us) { return Nanos(std::llround(us * 1000.0)); }

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

void read_info(const json& ts, Trace& out)
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

// One scalar of an event, with its JSON type, so the checks can say "must be an integer".
struct Value {
    enum Kind { Missing, Int, Float, String, Bool, Other } kind = Missing;
    long long i = 0;
    double d = 0;
    std::string s;
};

struct EventFields {
    Value ph, name, cat, pid, tid, ts, dur;
    bool has_args = false;
    Value worker_pid, worker_tid, core;
    std::vector<std::pair<std::string, Value>> args;

    // Ready for the next event, keeping the memory of this one.
    void clear()
    {
        for (Value* v : { &ph, &name, &cat, &pid, &tid, &ts, &dur, &worker_pid, &worker_tid, &core })
            v->kind = Value::Missing;
        has_args = false;
        args.clear();
    }
};

// Thrown where the text is not JSON at all (as opposed to JSON that is not a trace).
struct SyntaxError {
    std::string message;
};

using simdjson::ondemand::json_type;

// Reads traceEvents one event at a time with simdjson's On Demand API, so a trace of a million
// spans is never a million-node DOM; otherData (small) is handed to nlohmann-json and read by
// read_info. Every value is checked to be JSON, the fields the reader skips included.
class TraceReader {
public:
    static constexpr std::size_t kMaxDepth = 64;

    // The root object, already known to start with '{' (level 1).
    void read(simdjson::ondemand::document& doc)
    {
        simdjson::ondemand::object root = doc.get_object();
        for (auto entry : root) {
            simdjson::ondemand::field field = std::move(entry);
            const std::string_view key = key_of(field);
            simdjson::ondemand::value value = field.value();
            if (key == "traceEvents") {
                if (value.type() != json_type::array)
                    fail("traceEvents", "must be an array");
                m_seen_events = true;
                read_events(value.get_array());
            } else if (key == "otherData") {
                const json_type type = value.type();
                if (type == json_type::object) {
                    simdjson::ondemand::object other = value.get_object();
                    read_other(other.raw_json().value());
                }
                else if (type == json_type::array)
                    skip(value, 2);
                else {
                    skip(value, 2);
                    fail("otherData", "must be an object");
                }
            } else {
                skip(value, 2);
            }
        }
        const char* rest = nullptr;
        if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS)
            throw simdjson::simdjson_error(simdjson::TRAILING_CONTENT);
    }


    // After a successful parse: checks what only the whole file can tell and fills `out`.
    void finish(Trace& out)
    {
        const auto ts = m_other.is_object() ? m_other.find("timeslice") : m_other.end();
        if (!m_other.is_object() || ts == m_other.end())
            throw ReadError { "not a Timeslice trace: otherData.timeslice is missing (Timeslice opens the traces it "
                              "writes)" };
        if (!ts->is_object())
            fail("otherData.timeslice", "must be an object");
        read_info(*ts, out);
        if (!m_seen_events)
            fail("trace", "missing field 'traceEvents'");
        for (std::size_t tid = 1; tid < m_spans.size(); ++tid) {
            if (!m_spans[tid].empty() && tid > out.tasks.size())
                fail(event_where(m_first_event_of_tid[tid]) + ".tid",
                    "must be between 1 and " + std::to_string(out.tasks.size()) + ", not " + std::to_string(tid));
        }
        for (std::size_t i = 0; i < out.tasks.size(); ++i) {
            if (i + 1 < m_spans.size()) {
                out.tasks[i].spans = std::move(m_spans[i + 1]);
                auto& spans = out.tasks[i].spans;
                const auto by_start = [](const Span& a, const Span& b) { return a.start < b.start; };
                if (!std::is_sorted(spans.begin(), spans.end(), by_start)) // as written: already sorted
                    std::stable_sort(spans.begin(), spans.end(), by_start);
                // A task's spans meet; the writer shortened a few by nanoseconds for float64 viewers.
                for (std::size_t k = 0; k + 1 < spans.size(); ++k) {
                    if (spans[k].end < spans[k + 1].start && spans[k + 1].start - spans[k].end <= kViewerSlackNanos)
                        spans[k].end = spans[k + 1].start;
                }
            }
        }
        out.cpu = std::move(m_cpu);
        for (const CoreSpan& c : m_cores) {
            if (c.task >= out.tasks.size())
                fail("CPU cores track", "names task " + std::to_string(c.task) + "; the trace has "
                        + std::to_string(out.tasks.size()));
        }
        out.cores = std::move(m_cores);
        std::stable_sort(out.cores.begin(), out.cores.end(),
            [](const CoreSpan& a, const CoreSpan& b) { return std::tie(a.core, a.start) < std::tie(b.core, b.start); });
    }


private:
    static void too_deep()
    {
        throw ReadError { "not a Timeslice trace: nesting deeper than " + std::to_string(kMaxDepth) + " levels" };
    }

    static std::string event_where(std::size_t i) { return "traceEvents[" + std::to_string(i) + "]"; }

    // A key as written, without unescaping when it has no escapes (every key Timeslice writes):
    // this is most of a trace's text, and copying it costs a third of the read.
    static std::string_view key_of(simdjson::ondemand::field& field)
    {
        const char* raw = field.key().raw();
        std::size_t n = 0;
        while (raw[n] != '"' && raw[n] != '\\')
            ++n;
        if (raw[n] == '"')
            return { raw, n };
        return field.unescaped_key();
    }

    // A string value, likewise read in place when it has no escapes.
    static std::string_view string_of(simdjson::ondemand::value& value)
    {
        const std::string_view token = value.raw_json_token();
        if (token.find('\\') != std::string_view::npos)
            return value.get_string();
        const char* raw = value.get_raw_json_string().value().raw();
        return { raw, std::size_t(std::find(raw, token.data() + token.size(), '"') - raw) };
    }

    // A value the reader has no use for, at nesting level `level`: still checked to be JSON.
    static void skip(simdjson::ondemand::value value, std::size_t level)
    {
        switch (value.type()) {
        case json_type::object:
            if (level > kMaxDepth)
                too_deep();
            for (auto field : value.get_object()) {
                (void)std::string_view(field.unescaped_key());
                skip(field.value(), level + 1);
            }
            break;
        case json_type::array:
            if (level > kMaxDepth)
                too_deep();
            for (auto element : value.get_array())
                skip(element.value(), level + 1);
            break;
        case json_type::string:
            (void)std::string_view(value.get_string());
            break;
        case json_type::number:
            (void)value.get_number().value();
            break;
        case json_type::boolean:
            (void)bool(value.get_bool());
            break;
        case json_type::null:
            if (!bool(value.is_null()))
                throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
            break;
        }
    }

    // A scalar field, with its JSON type; an object or array there is skipped and leaves it as it was.
    static void scalar(simdjson::ondemand::value value, Value& out, std::size_t level)
    {
        switch (value.type()) {
        case json_type::object:
        case json_type::array:
            skip(value, level);
            return;
        case json_type::string: {
            const std::string_view s = string_of(value);
            out.kind = Value::String;
            out.s.assign(s);
            return;
        }
        case json_type::number: {
            simdjson::ondemand::number n = value.get_number();
            switch (n.get_number_type()) {
            case simdjson::ondemand::number_type::signed_integer:
                out.kind = Value::Int;
                out.i = n.get_int64();
                out.d = double(out.i);
                return;
            case simdjson::ondemand::number_type::unsigned_integer:
                if (n.get_uint64() > std::uint64_t(LLONG_MAX)) {
                    out.kind = Value::Float;
                    out.d = double(n.get_uint64());
                } else {
                    out.kind = Value::Int;
                    out.i = (long long)n.get_uint64();
                    out.d = double(out.i);
                }
                return;
            default:
                out.kind = Value::Float;
                out.d = n.get_double();
                return;
            }
        }
        case json_type::boolean:
            out.kind = Value::Bool;
            out.i = bool(value.get_bool()) ? 1 : 0;
            return;
        case json_type::null:
            if (!bool(value.is_null()))
                throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
            out.kind = Value::Other;
            return;
        }
    }

    // otherData: small, read as a DOM; its nesting counts from its level (2) in the whole file.
    void read_other(std::string_view raw)
    {
        const auto bounded = [](int depth, json::parse_event_t event, json&) {
            if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start)
                && std::size_t(depth) + 2 > kMaxDepth)
                too_deep();
            return true;
        };
        try {
            m_other = json::parse(raw, bounded);
        } catch (const json::parse_error& e) {
            throw SyntaxError { std::string("in otherData: ") + e.what() };
        }
    }

    void read_events(simdjson::ondemand::array events)
    {
        for (auto element : events) {
            simdjson::ondemand::value value = element.value();
            if (value.type() != json_type::object) {
                if (value.type() != json_type::array)
                    skip(value, 3);
                fail(event_where(m_index++), "must be an object");
            }
            m_event.clear();
            for (auto entry : value.get_object()) {
                simdjson::ondemand::field field = std::move(entry);
                const std::string_view key = key_of(field);
                simdjson::ondemand::value v = field.value();
                if (Value EventFields::*member = event_field(key))
                    scalar(v, m_event.*member, 4);
                else if (key == "args" && v.type() == json_type::object) {
                    m_event.has_args = true;
                    read_args(v.get_object());
                } else {
                    skip(v, 4);
                }
            }
            finish_event();
        }
    }

    static Value EventFields::*event_field(std::string_view key)
    {
        switch (key.size()) {
        case 2:
            return key == "ph" ? &EventFields::ph : key == "ts" ? &EventFields::ts : nullptr;
        case 3:
            return key == "cat" ? &EventFields::cat
                : key == "pid"  ? &EventFields::pid
                : key == "tid"  ? &EventFields::tid
                : key == "dur"  ? &EventFields::dur
                                : nullptr;
        case 4:
            return key == "name" ? &EventFields::name : nullptr;
        default:
            return nullptr;
        }
    }

    // A span's three known fields, or a counter's values (cpu0, cpu1, ..., total).
    void read_args(simdjson::ondemand::object args)
    {
        for (auto entry : args) {
            simdjson::ondemand::field field = std::move(entry);
            const std::string_view key = key_of(field);
            simdjson::ondemand::value v = field.value();
            if (key == "worker_pid")
                scalar(v, m_event.worker_pid, 5);
            else if (key == "worker_tid")
                scalar(v, m_event.worker_tid, 5);
            else if (key == "core")
                scalar(v, m_event.core, 5);
            else if (const json_type type = v.type(); type == json_type::object || type == json_type::array)
                skip(v, 5);
            else if (m_event.args.size() < 100'000) {
                auto& [name, value] = m_event.args.emplace_back(std::string(key), Value {});
                (void)name;
                scalar(v, value, 5);
            } else
                fail(event_where(m_index) + ".args", "has too many fields");
        }
    }


    // Where an event's field is, spelled out only when something is wrong with it.
    struct Where {
        std::size_t index;
        const char* sub = "";
        std::string str() const { return event_where(index) + sub; }
    };

    static const Value& need(const Value& v, const Where& where, const char* key)
    {
        if (v.kind == Value::Missing)
            fail(where.str(), std::string("missing field '") + key + "'");
        return v;
    }
    static const std::string& need_string(const Value& v, const Where& where, const char* key)
    {
        if (need(v, where, key).kind != Value::String)
            fail(where.str() + "." + key, "must be a string");
        return v.s;
    }
    static double need_number(const Value& v, const Where& where, const char* key, double lo, double hi)
    {
        const Value& n = need(v, where, key);
        if (n.kind != Value::Int && n.kind != Value::Float)
            fail(where.str() + "." + key, "must be a number");
        if (!std::isfinite(n.d) || n.d < lo || n.d > hi)
            fail(where.str() + "." + key, "must be between " + format_seconds(lo) + " and " + format_seconds(hi) + ", not "
                    + format_seconds(n.d));
        return n.d;
    }
    static long long need_integer(const Value& v, const Where& where, const char* key, long long lo, long long hi)
    {
        const Value& n = need(v, where, key);
        if (n.kind != Value::Int)
            fail(where.str() + "." + key, "must be an integer");
        if (n.i < lo || n.i > hi)
            fail(where.str() + "." + key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", not "
                    + std::to_string(n.i));
        return n.i;
    }

    void finish_event()
    {
        const std::size_t index = m_index++;
        const Where where { index };
        const Where args { index, ".args" };
        const EventFields& e = m_event;
        const std::string& ph = need_string(e.ph, where, "ph");
        if (ph == "X") {
            const long long pid = need_integer(e.pid, where, "pid", INT32_MIN, INT32_MAX);
            if (pid == kCoresTrackPid) {
                CoreSpan c;
                c.core = std::int16_t(need_integer(e.tid, where, "tid", 1, INT16_MAX) - 1);
                c.start = micros_to_nanos(need_number(e.ts, where, "ts", -kMaxMicros, kMaxMicros));
                c.end = c.start + micros_to_nanos(need_number(e.dur, where, "dur", 0, kMaxMicros));
                if (!e.has_args || e.args.empty() || e.args[0].first != "task_index")
                    fail(args.str(), "missing field 'task_index'");
                c.task = std::uint32_t(need_integer(e.args[0].second, args, "task_index", 0, Limits::kMaxTasks - 1));
                if (e.args.size() > 1 && e.args[1].first == "dur_ns")
                    c.end = c.start + need_integer(e.args[1].second, args, "dur_ns", 0, kMaxNanos);
                m_cores.push_back(c);
                return;
            }
            if (pid != kTaskTrackPid)
                return; // a worker-process track: the same spans again, for Perfetto
            const auto tid = std::size_t(need_integer(e.tid, where, "tid", 1, Limits::kMaxTasks));
            const std::string& cat = need_string(e.cat, where, "cat");
            const auto state = state_from_name(cat);
            if (!state || is_terminal(*state))
                fail(where.str() + ".cat", "unknown state '" + cat + "'");
            Span span;
            span.state = *state;
            span.start = micros_to_nanos(need_number(e.ts, where, "ts", -kMaxMicros, kMaxMicros));
            span.end = span.start + micros_to_nanos(need_number(e.dur, where, "dur", 0, kMaxMicros));
            if (!e.has_args)
                fail(where.str(), "missing field 'args'");
            span.pid = std::int32_t(need_integer(e.worker_pid, args, "worker_pid", 0, INT32_MAX));
            span.tid = std::int32_t(need_integer(e.worker_tid, args, "worker_tid", 0, INT32_MAX));
            span.core = std::int16_t(need_integer(e.core, args, "core", -1, INT16_MAX));
            if (tid >= m_spans.size()) {
                m_spans.resize(tid + 1);
                m_first_event_of_tid.resize(tid + 1, index);
            }
            if (m_spans[tid].empty())
                m_first_event_of_tid[tid] = index;
            m_spans[tid].push_back(span);
        } else if (ph == "C") {
            const std::string& name = need_string(e.name, where, "name");
            const Nanos t = micros_to_nanos(need_number(e.ts, where, "ts", -kMaxMicros, kMaxMicros));
            if (!e.has_args)
                fail(where.str(), "missing field 'args'");
            if (name == "CPU usage per core (%)") {
                CpuSample sample;
                sample.t = t;
                for (std::size_t k = 0; k < e.args.size(); ++k) {
                    const std::string key = "cpu" + std::to_string(k);
                    if (e.args[k].first != key)
                        fail(args.str(), "expected '" + key + "', found '" + e.args[k].first + "'");
                    sample.per_core.push_back(float(need_number(e.args[k].second, args, key.c_str(), 0, 100)));
                }
                if (m_own.own_total >= 0 && m_own.t == t) {
                    sample.own_per_core = std::move(m_own.own_per_core);
                    sample.own_total = m_own.own_total;
                }
                m_own = CpuSample {};
                m_cpu.push_back(std::move(sample));
            } else if (name == "CPU usage of this run per core (%)" || name == "CPU usage of this run total (%)") {
                // Written just before the machine's sample at the same time: kept until it comes.
                const bool total = name == "CPU usage of this run total (%)";
                if (!total) {
                    m_own = CpuSample {};
                    m_own.t = t;
                    for (std::size_t k = 0; k < e.args.size(); ++k) {
                        const std::string key = "cpu" + std::to_string(k);
                        if (e.args[k].first != key)
                            fail(args.str(), "expected '" + key + "', found '" + e.args[k].first + "'");
                        m_own.own_per_core.push_back(float(need_number(e.args[k].second, args, key.c_str(), 0, 100)));
                    }
                } else {
                    if (m_own.t != t || e.args.size() != 1 || e.args[0].first != "total")
                        fail(args.str(), "a run's total CPU sample needs its per-core sample at the same time");
                    m_own.own_total = float(need_number(e.args[0].second, args, "total", 0, 100));
                }
            } else if (name == "CPU usage total (%)") {
                if (m_cpu.empty() || m_cpu.back().t != t)
                    fail(where.str(), "total CPU sample without a per-core sample at the same time");
                if (e.args.size() != 1 || e.args[0].first != "total")
                    fail(args.str(), "missing field 'total'");
                m_cpu.back().total = float(need_number(e.args[0].second, args, "total", 0, 100));
            }
        }
    }


    EventFields m_event;
    std::size_t m_index = 0;
    bool m_seen_events = false;
    json m_other;
    std::vector<std::vector<Span>> m_spans; // by track tid (task index + 1)
    std::vector<std::size_t> m_first_event_of_tid;
    std::vector<CpuSample> m_cpu;
    CpuSample m_own { 0, {}, 0, {}, -1 }; // the run's own use, waiting for the machine's sample
    std::vector<CoreSpan> m_cores;
};

} // namespace


namespace {

// The deepest nesting of arrays and objects in `text`, strings left out. Asked only of text that
// is not JSON, so that a file nested past the limit says so even where it is also cut short.
std::size_t nesting_depth(std::string_view text)
{
    std::size_t depth = 0, deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

[[noreturn]] void not_json(std::string_view text, const std::string& what)
{
    if (nesting_depth(text) > TraceReader::kMaxDepth)
        throw ReadError { "not a Timeslice trace: nesting deeper than " + std::to_string(TraceReader::kMaxDepth) + " levels" };
    throw ReadError { "not valid JSON (" + what + "); the file may be truncated" };
}

// `text` is followed by at least SIMDJSON_PADDING readable bytes.
void read_trace(simdjson::padded_string_view text, Trace& out)
{
    const std::string_view view(text);
    const std::size_t first = view.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        throw ReadError { "the file is empty" };
    if (view[first] == '[')
        fail("the top level", "must be an object with traceEvents, not an array (not a Timeslice trace)");
    if (view[first] != '{') {
        try {
            const json scalar = json::parse(view);
            (void)scalar;
        } catch (const json::parse_error& e) {
            not_json(view, e.what());
        }
        fail("the top level", "must be an object with traceEvents (not a Timeslice trace)");
    }
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc;
    bool iterating = false;
    TraceReader reader;
    try {
        doc = parser.iterate(text);
        iterating = true;
        reader.read(doc);
    } catch (const simdjson::simdjson_error& e) {
        std::string where;
        const char* at = nullptr;
        if (iterating && doc.current_location().get(at) == simdjson::SUCCESS && at >= view.data() && at <= view.data() + view.size())
            where = "at byte " + std::to_string(at - view.data()) + ": ";
        not_json(view, where + e.what());
    } catch (const SyntaxError& e) {
        not_json(view, e.message);
    }
    reader.finish(out);
}

bool read_trace_or_say_why(simdjson::padded_string_view text, Trace& out, std::string& error)
{
    out = Trace {};
    try {
        read_trace(text, out);
    } catch (const ReadError& e) {
        error = e.message;
        out = Trace {};
        return false;
    } catch (const std::exception& e) {
        error = std::string("cannot read the trace: ") + e.what();
        out = Trace {};
        return false;
    }
    return true;
}

// Whether the file carries otherData.timeslice, the mark of a trace Timeslice wrote. Asked only
// of a file the Timeslice reader refused, to tell a broken Timeslice trace from a foreign one.
bool has_timeslice_data(simdjson::padded_string_view text)
{
    try {
        simdjson::ondemand::parser parser;
        simdjson::ondemand::document doc = parser.iterate(text);
        simdjson::ondemand::object root = doc.get_object();
        for (auto entry : root) {
            simdjson::ondemand::field field = std::move(entry);
            if (std::string_view(field.unescaped_key()) != "otherData")
                continue;
            simdjson::ondemand::object other;
            simdjson::ondemand::value timeslice;
            if (field.value().get_object().get(other) == simdjson::SUCCESS
                && other.find_field_unordered("timeslice").get(timeslice) == simdjson::SUCCESS)
                return true;
        }
    } catch (const simdjson::simdjson_error&) {
    }
    return false;
}

} // namespace

bool trace_from_json(std::string_view text, Trace& out, std::string& error)
{
    const simdjson::padded_string padded(text);
    return read_trace_or_say_why(padded, out, error);
}

std::string save_trace(const Trace& trace, const std::optional<Scorecard>& scorecard, const std::string& path)
{
    return write_file_atomically(path, trace_to_json(trace, scorecard));
}

bool load_trace(const std::string& path, Trace& out, std::string& error)
{
    std::string text;
    if (!read_file(path, text, error, kMaxTraceFileBytes))
        return false;
    // simdjson reads up to SIMDJSON_PADDING bytes past the end: room for them, without a copy
    // when the string already has it.
    if (text.capacity() < text.size() + simdjson::SIMDJSON_PADDING)
        text.reserve(text.size() + simdjson::SIMDJSON_PADDING);
    const simdjson::padded_string_view padded(text.data(), text.size(), text.capacity());
    if (read_trace_or_say_why(padded, out, error))
        return true;
    // A Chrome trace from another tool (Node, Chromium, VizTracer): shown read-only.
    if (error.rfind("not valid JSON", 0) != 0 && error != "the file is empty" && !has_timeslice_data(padded)) {
        std::string why;
        if (foreign_trace_from_json(text, out, why))
            return true;
        error = "not a Timeslice trace (no otherData.timeslice), nor a Chrome trace it can show: " + why;
    }
    error = "'" + path + "': " + error;
    return false;
}

} // namespace timeslice
