#include "core/analysis/wait_summary.h"

namespace timeslice {

ReasonTimes off_core_by_reason(const TaskTrace& task) noexcept
{
    ReasonTimes times {};
    for (const Span& s : task.spans) {
        if (s.reason != WaitReason::None)
            times[static_cast<std::size_t>(s.reason)] += s.duration();
    }
    return times;
}

Nanos running_with_gil(const Trace& trace, GilHold hold) noexcept
{
    Nanos total = 0;
    for (const TaskTrace& task : trace.tasks) {
        for (const Span& s : task.spans) {
            if (s.state == State::Running && s.gil == hold)
                total += s.duration();
        }
    }
    return total;
}

bool has_wait_reasons(const Trace& trace) noexcept
{
    for (const TaskTrace& task : trace.tasks) {
        for (const Span& s : task.spans) {
            if (s.reason != WaitReason::None)
                return true;
        }
    }
    return false;
}

} // namespace timeslice
