#pragma once

#include "core/run/runner.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace timeslice {

// "All models": the same workload under processes, threads with the GIL, threads without it,
// and async, run one after the other so they do not compete for the cores. Under the cpython
// engine threads run as the interpreter does, with its GIL or (a free-threaded build) without;
// `note` says which row is left out and why.
struct CompareEntry {
    std::string label; // "processes", "threads (GIL)", "threads (no GIL)", "async"
    RunConfig config;
};

// `only`: these models alone (in the registry's order); empty: every model the engine runs.
std::vector<CompareEntry> compare_entries(const RunConfig& base, std::string& note, const std::vector<ModelKind>& only = {});

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

// A comparison kept as a set: its traces, each in a file of its own, beside a manifest
// (kComparisonFile) that names them in order with their labels, so the set reopens as it was
// and each trace still opens alone (Timeslice, Perfetto).
struct ComparisonSet {
    std::string title; // "every model", "native against CPython"
    std::string note; // what the picture should be read with: loop scaling, the fidelity line
    std::vector<std::string> labels;
    std::vector<std::string> files; // names inside the set's directory, one per trace
    std::vector<std::shared_ptr<const Trace>> traces;
};
inline constexpr const char* kComparisonFile = "comparison.json";
inline constexpr std::size_t kMaxComparisonRuns = 16;

// Writes every trace of `set` into `dir` (created if missing) and then the manifest, each
// atomically; a file name missing from set.files is made from the run's label. Returns an
// empty string, else a message naming the file and the reason.
// With write_traces false only the manifest is written, for traces already saved under
// set.files (the command line saves each run as it ends).
std::string save_comparison(const ComparisonSet& set, const std::string& dir, bool write_traces = true);
// Reads a set from its manifest, or from a directory that holds one. On error returns false
// and says which file is wrong and how.
bool load_comparison(const std::string& path, ComparisonSet& out, std::string& error);
// True when `text` is a comparison manifest rather than a trace or a workload file.
bool looks_like_comparison(std::string_view text);

} // namespace timeslice
