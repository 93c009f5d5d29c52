#pragma once

// Every built-in workload, described once: its name, description, which options apply, its
// default waits and its builder. The command line, the window, compare and the trace read these
// rows. A new built-in workload is its builder, a row here and its test.

#include "core/workload/workload.h"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace timeslice {

struct WorkloadDescriptor {
    std::string_view name;
    std::string_view description;
    // Which options apply.
    bool waits; // --waits and --blocking: one task per wait, or --tasks of them in turn
    bool tasks; // --tasks
    bool iterations; // --iterations
    std::vector<double> default_waits; // seconds, unscaled
    Workload (*build)(const WorkloadOptions&);
    bool scaled; // --scale applies: it has waits to multiply
    bool one_task_per_core; // by default: one task per core (its description quotes the article's iterations)
    int io_tasks; // beside a CPU task: --tasks counts these I/O tasks (their default), the CPU task comes on top
    bool cpu_sized_in_time; // its CPU task is sized to last about a second at scale 1: other engines resize it
};

Workload build_table_loading(const WorkloadOptions& options);
Workload build_square_numbers(const WorkloadOptions& options);
Workload build_async_delay(const WorkloadOptions& options);
Workload build_mixed(const WorkloadOptions& options);

inline const std::array<WorkloadDescriptor, 4> kWorkloads { {
    { "table-loading", "I/O-bound: load tables A, B, C, waiting 1 s, 2 s and 5 s (the article's ThreadPoolExecutor example)",
        true, true, false, { 1, 2, 5 }, build_table_loading, true, false, 0, false },
    { "square-numbers",
        "CPU-bound: one task per core, each summing i*i for i below 100,000,000 (the article's ProcessPoolExecutor example)",
        false, true, true, {}, build_square_numbers, false, true, 0, false },
    { "async-delay", "Awaited delays: tasks A, B, C sleeping 2 s, 1 s and 3 s (the article's asyncio example)", true, true,
        false, { 2, 1, 3 }, build_async_delay, true, false, 0, false },
    { "mixed", "I/O tasks that wait 20 x 50 ms, beside one CPU task: shows event-loop lag and the GIL's convoy effect",
        false, true, true, {}, build_mixed, true, false, 3, true },
} };

const WorkloadDescriptor* find_workload(std::string_view name);
// "table-loading, square-numbers, async-delay or mixed", for messages.
std::string workload_choices();

} // namespace timeslice
