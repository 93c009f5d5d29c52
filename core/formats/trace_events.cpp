// Responsible for checking each event of a trace and keeping what the trace needs of it.
#include "core/formats/trace_events.h"

#include "core/base/populate.h"

#include "core/formats/read_error.h"
#include "core/formats/trace_json.h"
#include "core/workload/workload.h"

#include <algorithm>
#include <climits>
#include <tuple>

namespace timeslice {

std::string event_where(std::size_t index) { return "traceEvents[" + std::to_string(index) + "]"; }

namespace {

// Where an event's field is, spelled out only when something is wrong with it.
struct Where {
    std::size_t index;
    const char* sub = "";
    std::string str() const { return event_where(index) + sub; }
};

const Value& need(const Value& v, const Where& where, const char* key)
{
    if (v.kind == Value::Missing)
        fail(where.str(), std::string("missing field '") + key + "'");
    return v;
}

std::string_view need_string(const Value& v, const Where& where, const char* key)
{
    if (need(v, where, key).kind != Value::String)
        fail(where.str() + "." + key, "must be a string");
    return v.s;
}

double need_number(const Value& v, const Where& where, const char* key, double lo, double hi)
{
    const Value& n = need(v, where, key);
    if (n.kind != Value::Int && n.kind != Value::Float)
        fail(where.str() + "." + key, "must be a number");
    if (!std::isfinite(n.d) || n.d < lo || n.d > hi)
        fail(where.str() + "." + key,
            "must be between " + format_seconds(lo) + " and " + format_seconds(hi) + ", not " + format_seconds(n.d));
    return n.d;
}

long long need_integer(const Value& v, const Where& where, const char* key, long long lo, long long hi)
{
    const Value& n = need(v, where, key);
    if (n.kind != Value::Int)
        fail(where.str() + "." + key, "must be an integer");
    if (n.i < lo || n.i > hi)
        fail(where.str() + "." + key,
            "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", not " + std::to_string(n.i));
    return n.i;
}

// A counter's values per core: cpu0, cpu1, ... in order.
void read_per_core(const EventFields& e, const Where& args, std::vector<float>& out)
{
    for (std::size_t k = 0; k < e.args.size(); ++k) {
        const std::string key = "cpu" + std::to_string(k);
        if (e.args[k].first != key)
            fail(args.str(), "expected '" + key + "', found '" + std::string(e.args[k].first) + "'");
        out.push_back(float(need_number(e.args[k].second, args, key.c_str(), 0, 100)));
    }
}

} // namespace

void TraceEvents::add(const EventFields& e, std::size_t index)
{
    const std::string_view ph = need_string(e.ph, Where { index }, "ph");
    if (ph == "X")
        add_task_span(e, index);
    else if (ph == "C")
        add_cpu_sample(e, index);
}

void TraceEvents::add_task_span(const EventFields& e, std::size_t index)
{
    const Where where { index };
    const Where args { index, ".args" };
    const long long pid = need_integer(e.pid, where, "pid", INT32_MIN, INT32_MAX);
    if (pid == kCoresTrackPid) {
        add_core_span(e, index);
        return;
    }
    if (pid != kTaskTrackPid)
        return; // a worker-process track: the same spans again, for Perfetto
    const auto tid = std::size_t(need_integer(e.tid, where, "tid", 1, Limits::kMaxTasks));
    const std::string_view cat = need_string(e.cat, where, "cat");
    const auto state = state_from_name(cat);
    if (!state || is_terminal(*state))
        fail(where.str() + ".cat", "unknown state '" + std::string(cat) + "'");
    Span span;
    span.state = *state;
    span.start = micros_to_nanos(need_number(e.ts, where, "ts", -kMaxMicros, kMaxMicros));
    span.end = span.start + micros_to_nanos(need_number(e.dur, where, "dur", 0, kMaxMicros));
    if (!e.has_args)
        fail(where.str(), "missing field 'args'");
    span.set_worker({ std::int32_t(need_integer(e.worker_pid, args, "worker_pid", 0, INT32_MAX)),
        std::int32_t(need_integer(e.worker_tid, args, "worker_tid", 0, INT32_MAX)) });
    span.core = std::int16_t(need_integer(e.core, args, "core", -1, INT16_MAX));
    if (!e.args.empty())
        read_span_why(e, index, span);
    if (tid >= m_spans.size()) {
        m_spans.resize(tid + 1);
        m_first_event_of_tid.resize(tid + 1, index);
    }
    if (m_spans[tid].empty())
        m_first_event_of_tid[tid] = index;
    push_back_populated(m_spans[tid], span); // a million spans: page faults were a tenth of a load
}

void TraceEvents::read_span_why(const EventFields& e, std::size_t index, Span& span)
{
    const Where args { index, ".args" };
    // A name one of `from_name`'s, or a clear message naming the ones allowed.
    const auto named = [&](const auto& value, const char* key, auto from_name, const char* allowed) {
        const std::string_view name = need_string(value, args, key);
        const auto got = from_name(name);
        if (!got)
            fail(args.str() + "." + key, std::string("must be ") + allowed + ", not '" + std::string(name) + "'");
        return *got;
    };
    for (const auto& [key, value] : e.args) {
        if (key == "reason") {
            span.reason = named(value, "reason", wait_reason_from_name, "gil, lock, io, sleep, child, other or unknown");
        } else if (key == "gil") {
            span.gil = named(value, "gil", gil_hold_from_name, "held, released or unknown");
        } else if (key == "target") {
            const std::string_view target = need_string(value, args, "target");
            const auto it = std::find(m_targets.begin(), m_targets.end(), target);
            if (it != m_targets.end()) {
                span.target = std::uint16_t(it - m_targets.begin());
            } else if (m_targets.size() < 65535) {
                span.target = std::uint16_t(m_targets.size());
                m_targets.emplace_back(target);
            }
        }
    }
}

void TraceEvents::add_core_span(const EventFields& e, std::size_t index)
{
    const Where where { index };
    const Where args { index, ".args" };
    CoreSpan c;
    c.core = std::int16_t(need_integer(e.tid, where, "tid", 1, INT16_MAX) - 1);
    c.start = micros_to_nanos(need_number(e.ts, where, "ts", -kMaxMicros, kMaxMicros));
    c.end = c.start + micros_to_nanos(need_number(e.dur, where, "dur", 0, kMaxMicros));
    if (!e.has_args || e.args.empty() || e.args[0].first != "task_index")
        fail(args.str(), "missing field 'task_index'");
    c.task = std::uint32_t(need_integer(e.args[0].second, args, "task_index", 0, Limits::kMaxTasks - 1));
    if (e.args.size() > 1 && e.args[1].first == "dur_ns")
        c.end = c.start + need_integer(e.args[1].second, args, "dur_ns", 0, kMaxNanos);
    push_back_populated(m_cores, c);
}

void TraceEvents::add_cpu_sample(const EventFields& e, std::size_t index)
{
    const Where where { index };
    const Where args { index, ".args" };
    const std::string_view name = need_string(e.name, where, "name");
    const Nanos t = micros_to_nanos(need_number(e.ts, where, "ts", -kMaxMicros, kMaxMicros));
    if (!e.has_args)
        fail(where.str(), "missing field 'args'");
    if (name == kCpuPerCoreCounter) {
        CpuSample sample;
        sample.t = t;
        read_per_core(e, args, sample.per_core);
        if (m_own.own_total >= 0 && m_own.t == t) {
            sample.own_per_core = std::move(m_own.own_per_core);
            sample.own_total = m_own.own_total;
        }
        m_own = CpuSample {};
        m_cpu.push_back(std::move(sample));
    } else if (name == kRunCpuPerCoreCounter) {
        // Written just before the machine's sample at the same time: kept until it comes.
        m_own = CpuSample {};
        m_own.t = t;
        read_per_core(e, args, m_own.own_per_core);
    } else if (name == kRunCpuTotalCounter) {
        if (m_own.t != t || e.args.size() != 1 || e.args[0].first != "total")
            fail(args.str(), "a run's total CPU sample needs its per-core sample at the same time");
        m_own.own_total = float(need_number(e.args[0].second, args, "total", 0, 100));
    } else if (name == kCpuTotalCounter) {
        if (m_cpu.empty() || m_cpu.back().t != t)
            fail(where.str(), "total CPU sample without a per-core sample at the same time");
        if (e.args.size() != 1 || e.args[0].first != "total")
            fail(args.str(), "missing field 'total'");
        m_cpu.back().total = float(need_number(e.args[0].second, args, "total", 0, 100));
    }
}

void TraceEvents::finish(Trace& out)
{
    for (std::size_t tid = 1; tid < m_spans.size(); ++tid) {
        if (!m_spans[tid].empty() && tid > out.tasks.size())
            fail(event_where(m_first_event_of_tid[tid]) + ".tid",
                "must be between 1 and " + std::to_string(out.tasks.size()) + ", not " + std::to_string(tid));
    }
    for (std::size_t i = 0; i < out.tasks.size(); ++i) {
        if (i + 1 < m_spans.size()) {
            out.tasks[i].spans = std::move(m_spans[i + 1]);
            auto& spans = out.tasks[i].spans;
            release_unused(spans); // grown by doubling, in memory faulted in: up to twice its size
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
    if (m_targets.size() > 1)
        out.targets = std::move(m_targets);
    for (const CoreSpan& c : m_cores) {
        if (c.task >= out.tasks.size())
            fail("CPU cores track",
                "names task " + std::to_string(c.task) + "; the trace has " + std::to_string(out.tasks.size()));
    }
    out.cores = std::move(m_cores);
    std::stable_sort(out.cores.begin(), out.cores.end(),
        [](const CoreSpan& a, const CoreSpan& b) { return std::tie(a.core, a.start) < std::tie(b.core, b.start); });
}

} // namespace timeslice
