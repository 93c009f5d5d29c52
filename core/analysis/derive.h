#pragma once

#include "core/trace/trace.h"
#include "core/workload/workload.h"

#include <string>
#include <string_view>
#include <vector>

namespace timeslice {

// A recorded run turned back into the work it did, so it can be run under every model: per task,
// in the order the tasks were submitted, its steps in order. Time on a core becomes a compute
// step of that many CPU seconds ({"cpu_s": ...}); a wait stays a wait. What a model decides is
// left out: queueing for a worker, starting one, GIL waits, lock waits (a Queue, a Future, a
// Lock), waits for other tasks (real Python with the kernel's view: a wait that ends within a
// millisecond after another task ended, as asyncio.gather's does), waiting ready for a busy
// loop, and being preempted. Without the kernel's view a running span may include time the OS
// gave the core away: where the task's CPU time was measured, its compute is scaled down to it.
//
// A wait is awaitable ({"wait": s}) unless the task blocked a thread it shared with other tasks
// alive at the same time, that is an event loop's: there it is blocking ({"block": s}), because
// asleep in the kernel (time.sleep inside a coroutine) it stalled every task of the loop. The
// trace says so where the thread slept outside the loop's poll from the wait's start to its end
// (real Python: the thread's own row, by the kernel's word), or where the span names why it slept
// (native: the model's blocking sleep; a lock taken on the loop's thread). Waits on a thread of
// its own (threads, processes) are awaitable: the same I/O could be awaited.
struct Derived {
    Workload workload; // its `workers` is the recorded pool's size (processes and threads)
    std::string description; // where it came from, one line, for the file
    // Totals over the derived steps, and what was left out, in seconds.
    double compute_s = 0;
    double wait_s = 0;
    double block_s = 0;
    int waits = 0;
    int blocking_waits = 0;
    double left_out_gil_s = 0;
    double left_out_lock_s = 0; // and waits for other tasks
    double left_out_queued_s = 0; // queued, starting, ready
    double left_out_preempted_s = 0; // preempted, and asleep inside a compute step
    // Anything a person should know: tasks that did not finish, thread rows used as tasks.
    std::vector<std::string> notes;
};

// Throws std::invalid_argument, with a message that names the problem, for a trace that cannot
// be derived: another tool's, a run still going, one without tasks, or one whose tasks neither
// computed nor waited. `source` names the trace in the description ("run.json").
Derived derive_workload(const Trace& trace, std::string_view source = {});

// The lines `timeslice derive` prints: the steps found and what was left out.
std::string derive_summary(const Derived& derived);

} // namespace timeslice
