#pragma once

#include "core/runner.h"

#include <string>
#include <vector>

namespace timeslice {

// "All models": the same workload under processes, threads with the GIL, threads without it,
// and async, run one after the other so they do not compete for the cores.
struct CompareEntry {
    std::string label; // "processes", "threads (GIL)", "threads (no GIL)", "async"
    RunConfig config;
};

std::vector<CompareEntry> compare_entries(const RunConfig& base);

// The file a compare run saves each trace to: "DIR/table-loading-threads-gil.json".
std::string compare_trace_name(const CompareEntry& entry);

} // namespace timeslice
