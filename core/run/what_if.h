#pragma once

#include "core/run/compare.h"
#include "core/workload/workload.h"

#include <memory>
#include <string>
#include <vector>

namespace timeslice {

// "What if…?": one workload (a derived run, a workload file, a built-in) under every model —
// process pools of several sizes, threads with the GIL and without it (a free-threaded Python),
// one event loop — each predicted by the model's rules and run for real by the native engine,
// then the article's four questions answered for this workload with the counts that decide them,
// and a recommendation that names them.
struct WhatIfOptions {
    // Multiplies every step, compute included, so the workload keeps its shape at any length.
    double scale = 1.0;
    // Process pools to try; empty: 1, the cores, and one per task (at most four per core).
    std::vector<int> process_pools;
};

// The runs, in order: processes for each pool size, threads (GIL), threads (no GIL), async.
// Threads get one thread per task (up to the model's limit), so they wait as widely as a loop.
// Throws std::invalid_argument for an empty workload or a bad option.
std::vector<CompareEntry> what_if_entries(const Workload& workload, const WhatIfOptions& options = {});

struct WhatIfRow {
    std::string label; // "processes (2)", "threads (GIL)", ...
    ModelKind model = ModelKind::Processes;
    bool gil = false;
    int workers = 0; // 0: one loop
    double predicted_s = 0; // the model's rules alone (schedule.h)
    double makespan_s = 0; // the emulated run's
    double cpu_percent = 0; // of every core, over the makespan
    int waits_at_once = 0; // the most waits in flight at one instant
    int computing_at_once = 0; // the most tasks computing at one instant
    double gil_wait_s = 0;
    std::uint64_t gil_hand_overs = 0;
    double ready_s = 0; // async: time tasks spent ready while the loop was busy
    bool finished = false; // every task done
};

struct WhatIfAnswer {
    std::string question; // the article's
    std::string answer; // for this workload, with the counts
};

struct WhatIf {
    std::string workload;
    int tasks = 0;
    double compute_s = 0; // CPU seconds the tasks need, on this machine
    double wait_s = 0; // awaitable waits
    double block_s = 0; // waits that block their thread (stall a loop)
    int waits = 0;
    int blocking_waits = 0;
    std::vector<WhatIfRow> rows;
    std::vector<WhatIfAnswer> answers;
    std::string recommended; // a row's label; empty when no run finished
    std::string recommendation; // one paragraph, naming the measurements behind it
};

// Reads the finished runs (one trace per entry, null where a run could not start).
WhatIf summarise_what_if(const Workload& workload, const std::vector<CompareEntry>& entries,
    const std::vector<std::shared_ptr<const Trace>>& traces);

// The answers and the recommendation, from the rows and the workload's totals. The advice is the
// cheapest model whose makespan is within 5 % (and 2 ms) of the fastest: async, then threads with
// the GIL, then processes (fewest workers first), then threads without it (a free-threaded build).
void conclude_what_if(WhatIf& w);

std::string format_what_if(const WhatIf& w);
std::string what_if_json(const WhatIf& w);

} // namespace timeslice
