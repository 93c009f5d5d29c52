#include "core/analysis/range_summary.h"

#include <algorithm>

namespace timeslice {

namespace {

Nanos overlap(Nanos a0, Nanos a1, Nanos b0, Nanos b1) { return std::max<Nanos>(0, std::min(a1, b1) - std::max(a0, b0)); }

bool is_running(State s) { return model_state(s) == State::Running; }

} // namespace

RangeSummary summarise_range(const Trace& trace, Nanos start, Nanos end)
{
    RangeSummary r;
    r.start = std::min(start, end);
    r.end = std::max(start, end);
    r.task_time.resize(trace.tasks.size());
    for (std::size_t i = 0; i < trace.tasks.size(); ++i) {
        const std::vector<Span>& spans = trace.tasks[i].spans;
        // Spans of a task are in time order: skip those that end before the range.
        auto it = std::lower_bound(spans.begin(), spans.end(), r.start, [](const Span& s, Nanos t) { return s.end <= t; });
        for (; it != spans.end() && it->start < r.end; ++it) {
            const auto state = std::size_t(it->state);
            if (state >= std::size_t(kSpanStateCount))
                continue;
            const Nanos d = overlap(it->start, it->end, r.start, r.end);
            r.task_time[i][state] += d;
            r.time_in_state[state] += d;
            if (trace.info.gil && is_running(it->state) && it != spans.begin() && std::prev(it)->state == State::GilWait
                && it->start >= r.start)
                ++r.gil_hand_overs;
        }
    }

    // Each sample covers the interval since the one before (the first: since the run's start).
    bool own = !trace.cpu.empty();
    for (const CpuSample& c : trace.cpu)
        own = own && c.own_total >= 0;
    double weighted = 0;
    Nanos covered = 0;
    Nanos previous = 0;
    for (const CpuSample& c : trace.cpu) {
        const Nanos d = overlap(previous, c.t, r.start, r.end);
        if (d > 0) {
            weighted += double(d) * double(own ? c.own_total : c.total);
            covered += d;
        }
        previous = std::max(previous, c.t);
    }
    if (covered > 0) {
        r.cpu_percent = weighted / double(covered);
        r.cpu_is_own = own;
    }
    return r;
}

} // namespace timeslice
