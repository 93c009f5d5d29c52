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

bool ran_without_gil(const Trace& trace) noexcept
{
    for (const TaskTrace& t : trace.tasks) {
        for (const Span& s : t.spans) {
            if (s.state == State::Running && s.gil == GilHold::Released)
                return true;
        }
    }
    return false;
}

std::string span_why(const Trace& trace, const Span& span)
{
    std::string out;
    if (span.reason != WaitReason::None) {
        const WaitReasonInfo& info = kWaitReasons[std::size_t(span.reason)];
        out = "why, by the kernel: " + std::string(info.name) + " — " + std::string(info.help);
        if (span.state == State::GilWait && span.reason != WaitReason::Gil)
            out += "; the emulation called it a GIL wait, the kernel did not";
        if (span.target > 0 && span.target < trace.targets.size())
            out += "\nwaiting for: " + trace.targets[span.target];
    }
    if (span.state == State::Running && span.gil != GilHold::Unknown)
        out = span.gil == GilHold::Held ? "GIL: held" : "GIL: released (on a core in C code that let go of it)";
    return out;
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
