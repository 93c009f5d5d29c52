#pragma once

#include "core/trace/trace.h"

#include <array>
#include <string>
#include <vector>

namespace timeslice {

// One row of the per-task statistics table and its CSV export.
struct TaskStats {
    std::string name;
    State status = State::Queued;
    std::int32_t pid = 0;
    std::int32_t tid = 0;
    Nanos start = -1; // first moment it ran or waited on a worker; -1: never
    Nanos end = -1; // -1: not finished
    std::array<Nanos, kSpanStateCount> time_in_state {};
    // Its thread's CPU time when measured, else the kernel's on-core time; -1: neither.
    Nanos cpu = -1;
};

std::vector<TaskStats> task_stats(const Trace& trace);

// A header line and one line per task, times in seconds to the nanosecond; names quoted as
// RFC 4180 asks when they hold a comma, a quote or a line break.
std::string task_stats_csv(const Trace& trace);

} // namespace timeslice
