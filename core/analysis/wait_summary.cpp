#include "core/analysis/wait_summary.h"

#include "core/models/registry.h"

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
    // Only real Python's GIL is read (the native engine's spans never say): a native run of
    // 100,000 tasks was a pass over every span at each live snapshot, for nothing.
    if (const EngineDescriptor* engine = find_engine(trace.info.engine); !engine || engine->engine != Engine::CPython)
        return false;
    for (const TaskTrace& t : trace.tasks) {
        for (const Span& s : t.spans) {
            if (s.state == State::Running && s.gil == GilHold::Released)
                return true;
        }
    }
    return false;
}

bool reason_from_the_model(const Trace& trace, const Span& span) noexcept
{
    // The native async model names its own blocking sleep on the loop's thread; the kernel's
    // reasons in a native run are only ever on GIL waits it checked.
    return span.state == State::Waiting && span.reason != WaitReason::None
        && trace.info.engine == describe(Engine::Native).name;
}

std::string span_why(const Trace& trace, const Span& span)
{
    std::string out;
    if (reason_from_the_model(trace, span)) {
        out = "why, by the model: a blocking sleep on the event loop's thread (time.sleep inside a coroutine): "
              "no other task of the loop runs meanwhile";
    } else if (span.reason != WaitReason::None) {
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
            if (s.reason != WaitReason::None && !reason_from_the_model(trace, s))
                return true;
        }
    }
    return false;
}

} // namespace timeslice
