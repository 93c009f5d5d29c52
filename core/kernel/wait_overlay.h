#pragma once

#include "core/kernel/wait_sampler.h"
#include "core/trace/trace.h"

namespace timeslice {

// Real Python: a thread's own row (TaskTrace::thread_row) leaves its thread to a task's row
// while a task runs on it (an asyncio step on the main thread): its running spans lose that
// time, so no core ever shows one thread twice. Call before apply_kernel.
void carve_thread_rows(Trace& trace);

// Real Python: lays what the kernel said each blocked thread slept in over the kernel's pieces
// (pure: a function of the trace and the record, tested on recorded data). Call after
// apply_kernel.
//  - a `blocked` piece takes the reason most of its reads gave: `gil` becomes gil-wait, `io` and
//    `sleep` become waiting (with the I/O's target), `lock`, `child` and `other` stay blocked;
//    a piece no read fell in stays blocked, reason unknown. Nothing is a GIL wait unless the
//    kernel had the thread asleep on the GIL's own futex.
//  - a `running` piece of a process whose GIL was found gets `held` or `released` by the GIL's
//    own fields (locked, last_holder) read while it ran;
//  - the native engine's emulated GIL (record.emulated): its gil-wait spans keep their state and
//    get the reason the kernel gave (its emulated waits keep theirs: they sleep on the Stop
//    token's condition variable, as the emulation says); a gil-wait the kernel saw on another
//    futex or call is counted (RunInfo::gil_waits_elsewhere), a disagreement to look into;
//  - real Python: the run's hand-overs are counted from the spans (a gil-wait followed by running not
//    known to be without the GIL), and the
//    GIL's own switch_number says how many there really were (RunInfo::gil_switch_number).
void apply_waits(Trace& trace, const WaitRecord& record);

} // namespace timeslice
