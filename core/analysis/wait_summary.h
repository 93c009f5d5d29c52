#pragma once

// Real Python: where each task's off-core time went, by the kernel's reason, and how long
// threads ran without the GIL (in C code that released it).

#include "core/trace/trace.h"

#include <array>
#include <string>

namespace timeslice {

using ReasonTimes = std::array<Nanos, kWaitReasons.size()>; // by WaitReason

// The time a task's spans were off a core, by reason (spans with none are not counted).
ReasonTimes off_core_by_reason(const TaskTrace& task) noexcept;
// Every task's running time in which its thread ran without (or with) the GIL.
Nanos running_with_gil(const Trace& trace, GilHold hold) noexcept;
// True when a thread of the trace ran on a core without the GIL (real Python).
bool ran_without_gil(const Trace& trace) noexcept;
// What the kernel and the GIL said of one span, for a person ("" when nothing): "why: lock —
// asleep on another futex…", "waiting for: socket 127.0.0.1:5000", "GIL: released…".
std::string span_why(const Trace& trace, const Span& span);
// True when any span of the trace carries a reason (the waits were read).
bool has_wait_reasons(const Trace& trace) noexcept;

} // namespace timeslice
