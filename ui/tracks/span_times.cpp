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
    m_first.reserve(trace.tasks.size() + 1);
    m_first.push_back(0);
    std::size_t total = 0;
    for (const TaskTrace& task : trace.tasks) {
        total += task.spans.size() / kStride;
        m_first.push_back(std::uint32_t(total));
    }
    m_before.resize(total);
    for (std::size_t t = 0; t < trace.tasks.size(); ++t) {
        const std::vector<Span>& spans = trace.tasks[t].spans;
        StateTimes sum {};
        for (std::size_t n = 1; n <= spans.size() / kStride; ++n) {
            add(sum, spans, (n - 1) * kStride, n * kStride);
            m_before[m_first[t] + n - 1] = sum;
        }
    }
}

StateTimes SpanTimes::between(const Trace& trace, std::size_t task, std::size_t first, std::size_t last) const
{
    const std::vector<Span>& spans = trace.tasks[task].spans;
    StateTimes time {};
    const std::size_t from = (first + kStride - 1) / kStride;
    const std::size_t to = last / kStride;
    if (&trace != m_trace || task + 1 >= m_first.size() || m_first[task + 1] - m_first[task] != spans.size() / kStride
        || from >= to) {
        add(time, spans, first, last);
        return time;
    }
    const auto before = [&](std::size_t n) { return n == 0 ? StateTimes {} : m_before[m_first[task] + n - 1]; };
    add(time, spans, first, from * kStride);
    const StateTimes a = before(from);
    const StateTimes b = before(to);
    for (std::size_t s = 0; s < time.size(); ++s)
        time[s] += b[s] - a[s];
    add(time, spans, to * kStride, last);
    return time;
}

} // namespace timeslice::ui
