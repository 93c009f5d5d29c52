#pragma once

// A run's helper thread (the kernel view's reader, the CPU sampler, the wait sampler, the
// drain), started so that it has run before its maker goes on.
//
// The helpers start just before the model's workers, on the runner's thread. A thread just made
// waits on its maker's core until it first runs, so that core looked busy when the next worker
// was made: the kernel put the second worker beside the first, and no idle balance moved it
// until the next tick, 1.4-4 ms on (`perf record -e sched:*`: both workers' wakeup_new on one
// core, the other idle). Square numbers in threads without the GIL lost ~9 ms in such a run:
// 12-19 runs of 120 with the kernel view exact (one more helper), 2-3 of 120 with it off.
// Started this way, each helper has run (and is on its way to its first sleep) before anything
// else is made. Throws std::system_error where no thread can be had, as std::thread does.

#include <future>
#include <thread>
#include <utility>

namespace timeslice {

template <class F>
std::thread start_helper_thread(F body)
{
    // A promise, not a latch on this stack: its state outlives whichever side is done first.
    std::promise<void> begun;
    std::future<void> started = begun.get_future();
    std::thread t([begun = std::move(begun), body = std::move(body)]() mutable {
        begun.set_value();
        body();
    });
    started.wait();
    return t;
}

} // namespace timeslice
