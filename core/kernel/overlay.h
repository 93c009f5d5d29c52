#pragma once

#include "core/kernel/monitor.h"
#include "core/trace/trace.h"

namespace timeslice {

// Lays the kernel's record of the run's threads over the model's states (pure: a function of
// the trace and the record, tested on recorded data):
//  - a `running` span is split where the kernel had its thread off every core: `preempted`
//    when runnable, `blocked` when asleep; running pieces get the core the kernel named. Time
//    the kernel did not watch keeps the model's state: nothing is drawn that was not measured.
//  - each task gets its KernelStats, over the spans in which it held its thread (its running
//    spans; under threads and processes also its waits and GIL waits);
//  - the Cores view's spans: each task's running pieces, by core;
//  - each CPU sample gets the run's own use per core (time its watched threads were on that core);
//  - the summary counts gil-wait and waiting time the kernel saw on a core (disagreements).
// Why a real Python thread was blocked is wait_overlay.h's: the kernel's word, never a guess.
// Does nothing but record the source when the record has no data.
// `tasks_own_threads`: a task holds its worker's thread from its start to its end (a pool), so
// its waits are its thread's too; false for one event loop, whose thread is everyone's.
void apply_kernel(Trace& trace, const KernelRecord& record, bool tasks_own_threads = true);

// Memory apply_kernel works in, kept by a caller that applies it again and again (a live run's
// snapshots), so no snapshot allocates it afresh.
struct OverlayScratch {
    std::vector<Span> spans;
    std::vector<CoreSpan> cores;
};
void apply_kernel(Trace& trace, const KernelRecord& record, bool tasks_own_threads, OverlayScratch& scratch);

} // namespace timeslice
