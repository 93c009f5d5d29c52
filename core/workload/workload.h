#pragma once

#include "core/base/clock.h"
#include "core/base/short_text.h"
#include "core/workload/step_list.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace timeslice {

struct Compute {
    std::uint64_t iterations = 0; // sum of i*i for i in [0, iterations)
    // Given as CPU time ({"cpu_s": 0.12}, a derived workload's): the seconds `iterations` was
    // calibrated from on this machine (ns_per_iteration()), so the file is written back as it
    // was read; 0 for a step given in iterations.
    double cpu_seconds = 0;
};

struct Wait {
    Nanos duration = 0; // a blocking sleep (processes, threads) or an awaited timer (async)
    // A blocking sleep under every model: time.sleep() rather than await asyncio.sleep(). Under
    // async it holds the loop thread, so no other task runs meanwhile.
    bool blocking = false;
};

using Step = std::variant<Compute, Wait>;

struct TaskSpec {
    ShortText name;
    StepList<Step> steps;
    // What a wait-only task returns: the article's unscaled seconds ("1" for table A).
    double nominal_seconds = 0;
};

struct Workload {
    std::string name;
    std::vector<TaskSpec> tasks;
    // The pool size the work was recorded with (a derived workload's "workers"): what a pool
    // model uses when no size is asked for; 0: the model's default.
    int workers = 0;
};

// The upper bounds every entry point checks before a run, so no input exhausts the machine.
struct Limits {
    static constexpr int kMaxTasks = 1'000'000;
    static constexpr int kMaxTaskCountSquare = 1024;
    static constexpr int kMaxTaskCountWaits = 100'000; // table-loading, async-delay: --tasks cycling the waits
    static constexpr std::uint64_t kMaxIterations = 100'000'000'000ULL;
    static constexpr double kMaxScale = 100.0;
    static constexpr double kMaxWaitSeconds = 3600.0;
    static constexpr int kMaxThreadWorkers = 10'000;
    static constexpr int kMaxProcessWorkers = 256;
};

constexpr std::uint64_t kSquareNumbersIterations = 100'000'000; // the article's range(100000000)
constexpr std::uint64_t kMixedIterations = 1'000'000'000;

struct WorkloadOptions {
    double scale = 1.0; // multiplies every wait
    int tasks = 0; // square-numbers: 0 = one per online core; mixed: I/O tasks, 0 = 3; waits: 0 = one per wait
    std::uint64_t iterations = 0; // loop length per compute task; 0 = the workload's default
    std::vector<double> waits; // table-loading / async-delay: override the article's seconds
    bool blocking = false; // table-loading / async-delay: time.sleep() instead of an awaited sleep
};

const std::vector<std::string_view>& builtin_workload_names();
// The most tasks --tasks may ask of a built-in workload.
int max_task_count(std::string_view workload);
std::string_view workload_description(std::string_view name);

// The article's workloads with its exact defaults, adjusted by the options. Throws
// std::invalid_argument with a one-line message for an unknown name or an out-of-range option.
Workload make_workload(std::string_view name, const WorkloadOptions& options);
// How many tasks make_workload would make, after the same checks (it throws as make_workload
// does), without making them: 100,000 tasks took the window 3-29 ms to make at each field edit.
std::size_t workload_task_count(std::string_view name, const WorkloadOptions& options);

// The default wait list of a wait-based workload (seconds, unscaled); empty for the others.
std::vector<double> default_waits(std::string_view name);

int online_cores();

// Shortest decimal text for a number of seconds: 1 -> "1", 2.5 -> "2.5".
std::string format_seconds(double seconds);

} // namespace timeslice
