#pragma once

// The run at one instant, for the playhead: each task's state and core, who holds the GIL and
// who waits for it, the event loop's ready queue. Read from the trace's spans alone.

#include "core/trace/trace.h"

#include <optional>
#include <vector>

namespace timeslice {

struct TaskNow {
    std::size_t task = 0;
    State state = State::Queued;
    int core = -1; // the core it is on, where it is on one and the trace says which
    Nanos since = 0; // when this state began (a state split over adjacent spans counts from the first)
};

struct Now {
    Nanos at = 0;
    std::vector<TaskNow> tasks; // the tasks with a span at `at`, in the trace's order
    // Threads under a GIL: the thread holding it (running, or preempted by the kernel while it
    // holds it), and those waiting for it, longest waiting first. Empty where the run had no GIL.
    std::optional<std::size_t> gil_holder;
    std::vector<std::size_t> gil_waiters;
    // Async: the task the loop runs, and its ready queue (tasks whose timer expired, and tasks
    // not yet started) in the order they joined it, which is the order asyncio's loop runs them
    // (a FIFO of callbacks).
    std::optional<std::size_t> loop_running;
    std::vector<std::size_t> ready_queue;
};

Now now_at(const Trace& trace, Nanos at);

// The first span boundary of any task after `at` (before it), or nothing at the run's end
// (start): stepping the playhead from one state change to the next.
std::optional<Nanos> next_change(const Trace& trace, Nanos at);
std::optional<Nanos> previous_change(const Trace& trace, Nanos at);

} // namespace timeslice
