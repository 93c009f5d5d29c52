#pragma once

#include "core/trace/trace.h"

#include <array>
#include <cstdint>
#include <vector>

namespace timeslice {

// What happened inside a chosen time range [start, end) of a trace: the window's range
// selection. A pure function of the trace, so it is tested exactly.
struct RangeSummary {
    Nanos start = 0;
    Nanos end = 0;
    // Per task (same order as trace.tasks), the time each state covers inside the range.
    std::vector<std::array<Nanos, kSpanStateCount>> task_time;
    std::array<Nanos, kSpanStateCount> time_in_state {}; // every task together
    // Mean CPU use inside the range, percent of every core, weighted by how much of each sample's
    // interval falls inside; the run's own use when the trace has it (cpu_is_own), else the whole
    // machine's. -1: no sample covers the range.
    double cpu_percent = -1;
    bool cpu_is_own = false;
    // Under the GIL: how many times a thread that waited for the GIL took it inside the range
    // (a gil-wait span followed by a running one starting in the range). 0 without the GIL.
    std::uint64_t gil_hand_overs = 0;

    Nanos length() const noexcept { return end - start; }
};

// Any start and end are accepted: they are put in order, and an empty range gives zeros.
RangeSummary summarise_range(const Trace& trace, Nanos start, Nanos end);

} // namespace timeslice
