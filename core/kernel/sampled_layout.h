#pragma once

// Responsible for turning the sampled source's counters (time on a core, time queued, per thread
// and per reading) into slices that could have happened: no two threads on one core at once,
// and no thread on two cores at once. Within one reading the order is not known; the layout
// picks one, and says so.

#include "core/kernel/monitor.h"

#include <utility>
#include <vector>

namespace timeslice {

// Where each core is taken in the layout so far. Keeps only recent time (forget_before).
class CoreOccupancy {
public:
    using Interval = std::pair<Nanos, Nanos>;

    // The free parts of [from, to) on `core`, in time order.
    std::vector<Interval> free(int core, Nanos from, Nanos to) const;
    void take(int core, Nanos from, Nanos to);
    void forget_before(Nanos t);
    // Every interval taken on `core` still kept, in time order, disjoint.
    const std::vector<Interval>& taken(int core) const;
    int cores() const noexcept { return int(m_busy.size()); }
    // Makes sure cores 0..n-1 exist (the layout looks for room on every core).
    void reserve_cores(int n);

private:
    std::vector<std::vector<Interval>> m_busy;
};

// How far back time counted late (at a scheduler tick, or when a wait ended) may be given back:
// a few ticks (4 ms at HZ=250).
constexpr Nanos kBackFillWindow = 50 * kNanosPerMilli;

// Lays out one reading [start, end) of one thread: `on_core` ns on a core, `queued` ns runnable
// off every core, the rest asleep. The time on a core goes where `core` (the one the thread last
// ran on) is free in `cores`, earliest first; what does not fit there goes where another core is
// free (the thread migrated: which core when, the reading does not say). A counter that moved by
// more than the reading (the kernel counts a running thread's time at its ticks) gives the rest
// back to where this thread was laid out as off a core in the last kBackFillWindow, on a core that
// is free there. Off-core time is queued first, then asleep. Appends to `out` (merging slices that
// continue each other), marks `cores`, and returns the time on a core that fitted nowhere.
Nanos lay_out_sample(std::vector<KernelSlice>& out, CoreOccupancy& cores, Nanos start, Nanos end, Nanos on_core,
    Nanos queued, int core);

} // namespace timeslice
