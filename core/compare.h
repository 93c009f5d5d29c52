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

// One model under each engine (--engines native,cpython). The native run's compute steps are
// lengthened by CPython's slowdown measured on this machine, so both compute for about as long;
// `note` says so ("native loops x 87: CPython's speed here").
std::vector<CompareEntry> engine_compare_entries(const RunConfig& base, const std::vector<Engine>& engines, std::string& note);

// How closely the emulation followed real Python on the same workload.
struct Fidelity {
    double makespan_ratio = 0; // cpython / native
    std::vector<std::string> order_native, order_cpython; // tasks by start
    bool same_order = false;
    double hand_overs_per_s_native = 0, hand_overs_per_s_cpython = 0;
    // Mean of (task ran again) − (wait due); "ran again": its first stretch on a core not cut
    // short by a GIL wait.
    double overshoot_ms_native = 0, overshoot_ms_cpython = 0;
    int waits_native = 0, waits_cpython = 0; // waits the overshoot is a mean of
};
// `requested`: each task's waits (seconds, in order) as the workload asked for them.
Fidelity compare_fidelity(const Trace& native, const Trace& cpython, const std::vector<std::vector<Nanos>>& requested);
std::string fidelity_line(const Fidelity& f);
// Each task's non-zero waits, in order.
std::vector<std::vector<Nanos>> requested_waits(const Workload& workload);

// The file a compare run saves each trace to: "DIR/table-loading-threads-gil.json".
std::string compare_trace_name(const CompareEntry& entry);

} // namespace timeslice
