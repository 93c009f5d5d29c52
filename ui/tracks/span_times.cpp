#include "ui/tracks/span_times.h"

namespace timeslice::ui {

namespace {

void add(StateTimes& time, const std::vector<Span>& spans, std::size_t first, std::size_t last)
{
    for (std::size_t i = first; i < last; ++i)
        time[std::size_t(spans[i].state)] += spans[i].duration();
}

} // namespace

SpanTimes::SpanTimes(const Trace& trace)
    : m_trace(&trace)
{
    m_before.reserve(trace.tasks.size());
    for (const TaskTrace& task : trace.tasks) {
        std::vector<StateTimes> before(task.spans.size() / kStride + 1);
        for (std::size_t n = 1; n < before.size(); ++n) {
            before[n] = before[n - 1];
            add(before[n], task.spans, (n - 1) * kStride, n * kStride);
        }
        m_before.push_back(std::move(before));
    }
}

StateTimes SpanTimes::between(const Trace& trace, std::size_t task, std::size_t first, std::size_t last) const
{
    const std::vector<Span>& spans = trace.tasks[task].spans;
    StateTimes time {};
    const std::size_t from = (first + kStride - 1) / kStride;
    const std::size_t to = last / kStride;
    if (&trace != m_trace || m_before[task].size() != spans.size() / kStride + 1 || from >= to) {
        add(time, spans, first, last);
        return time;
    }
    add(time, spans, first, from * kStride);
    for (std::size_t s = 0; s < time.size(); ++s)
        time[s] += m_before[task][to][s] - m_before[task][from][s];
    add(time, spans, to * kStride, last);
    return time;
}

} // namespace timeslice::ui
