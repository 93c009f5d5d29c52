#pragma once

#include "core/models/model.h"
#include "core/trace/trace.h"

#include <array>
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace timeslice {

// The article's "What to use?" table, rebuilt from measurements on this machine: each cell holds
// what was measured, the article's verdict, and whether the two agree.
struct AdviceCell {
    std::string measured; // "1.60x overlap", "98% of 2 cores"
    std::string verdict; // what the measurement says, in the article's words: "Yes", "No", "Some", "High"
    std::string article; // the article's word for the cell
    bool agrees = true;
};

struct AdviceRow {
    std::string feature;
    std::array<AdviceCell, 3> cells; // processes, threads, async
};

// One point of the scalability sweep: N tasks that each wait, under one model.
struct SweepPoint {
    ModelKind model = ModelKind::Async;
    int tasks = 0;
    double overhead_us_per_task = 0; // (makespan - the wait) / N
    double memory_kb_per_task = 0; // resident memory added per task
    bool ok = true; // every task done
};

struct Advice {
    std::vector<AdviceRow> rows;
    std::vector<SweepPoint> sweep;
    std::string workload; // the one the decision rule is applied to
    std::string decision; // the article's rule, applied, with the reasons
};

struct AdviseOptions {
    std::string workload = "table-loading"; // the user's workload, for the decision rule
    // The work on screen, when it is not a built-in at its defaults: a built-in with its
    // parameters, a workload file's, a run derived (derive.h). The decision rule is applied to it.
    std::optional<Workload> decide_for;
    double scale = 0.2; // for the I/O measurements: table A waits 0.2 s, far longer than starting a worker
    std::uint64_t iterations = 300'000'000; // square-numbers, per task: long enough to be steady
    Nanos sweep_wait = 200 * kNanosPerMilli; // each task of the sweep waits this long
    std::vector<int> async_sizes { 10, 100, 1'000, 10'000, 100'000 };
    std::vector<int> thread_sizes { 10, 100, 1'000 };
    std::vector<int> process_sizes { 2, 8, 32, 64 };
    // Checked between measurements: set it to stop early (each step takes well under a second).
    const std::atomic<bool>* cancel = nullptr;
};

// Runs the measurements (about 15 s with the defaults). `progress` gets a line per step.
Advice measure_advice(const AdviseOptions& options, const std::function<void(const std::string&)>& progress = {});

std::string format_advice(const Advice& advice);

// The scalability rule: the largest N of the sweep that ran with at most this much start-up
// overhead and resident memory per task decides; 10,000 or more is High ("thousands+"), 100 or
// more Medium ("hundreds"), fewer Low. The bounds: ten thousand tasks start within 2.5 s and
// fit in 640 MB. The per-task figures sit 4x (threads) to 500x (async) inside them on a quiet
// machine, so a busy one does not move a verdict.
constexpr double kScaleOverheadUs = 250;
constexpr double kScaleMemoryKb = 64;
std::string scalability_verdict(int largest_cheap);

// The article's rule: I/O-bound and very slow I/O: asyncio; I/O-bound: threads; else processes.
std::string decide(const Workload& workload, std::string* reasons = nullptr);

} // namespace timeslice
