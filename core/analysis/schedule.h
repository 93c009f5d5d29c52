#pragma once

#include "core/models/model.h"
#include "core/trace/trace.h"
#include "core/workload/workload.h"

#include <array>
#include <optional>
#include <string>

namespace timeslice {

// The predicted schedule ("ideal" in the code and the trace, "predicted" wherever a person reads
// it): what the model's rules alone predict for a workload. It includes pool sizes and queueing,
// computing tasks sharing the cores equally, the GIL's one-computing-thread-at-a-time, and the
// event loop's order (asyncio's turns, so a timer that expires during a slice resumes two slices
// later). It leaves out start-up costs, timer slack, other programs, and one GIL rule: a thread
// back from a wait is assumed to get the GIL at once, where CPython makes it wait for the holder
// to drop it (up to a switch interval). So it is not a lower bound under the GIL: the convoy
// effect shows as the gap between outline and bar.
struct IdealParams {
    ModelKind model = ModelKind::Threads;
    int workers = 1; // pool size (processes, threads)
    bool gil = false;
    int cores = 1;
    double ns_per_iteration = 0.6; // how long one iteration of the square-numbers loop takes
};

IdealParams ideal_params_for(const Workload& workload, ModelKind model, const ModelOptions& options);

// Runs a short square-numbers loop once per process and returns its speed.
double measured_ns_per_iteration();

IdealSchedule ideal_schedule(const Workload& workload, const IdealParams& params);

// The numbers a person compares runs by.
struct Scorecard {
    Nanos makespan = 0;
    Nanos ideal_makespan = 0;
    Nanos serial = 0; // the tasks one after another, each alone
    double vs_ideal = 0; // makespan / ideal makespan
    double speedup = 0; // serial / makespan
    // Percent of all cores over the makespan: the run's own threads' time on a core when the
    // kernel's data is there (cpu_is_own), else the whole machine's mean use from /proc/stat.
    double cpu_utilisation = 0;
    bool cpu_is_own = false;
    double concurrency = 0; // mean number of tasks in progress (running, waiting, GIL wait, ready)
    std::array<Nanos, kSpanStateCount> time_in_state {};
    Nanos mean_startup = 0; // time a task spent waiting for its worker to start (processes)
    Nanos max_startup = 0;
    std::uint64_t gil_switches = 0; // hand-overs of the GIL from one thread to another
    // The kernel's account, summed over tasks (KernelStats); source None: no kernel data.
    KernelSource kernel = KernelSource::None;
    KernelStats kernel_total;
    double gil_wait_on_core = 0; // share of GIL-wait time the kernel had on a core (should be ~0)
    double waiting_on_core = 0; // share of waiting time on a core (should be ~0)
};

Scorecard compute_scorecard(const Trace& trace);

// The most spans in `state` that were going on at one instant, across all tasks: how many waits
// were in flight at once, how many tasks computed side by side. A count no load can bend: asked
// for `running`, it counts the model's running time, preempted and blocked pieces included.
int peak_at_once(const Trace& trace, State state);

// A scorecard only means something for a run whose every task is done (not stopped or failed).
bool has_scorecard(const Trace& trace);
// The scorecard where the run has one: what a saved trace carries in its summary.
std::optional<Scorecard> scorecard_if_any(const Trace& trace);

// Two lines for people: "makespan 5.003 s (predicted 5.000 s, 1.00x) · speedup 1.60x vs one after
// another · CPU 3 % · 2.9 tasks at once" and the time per state.
std::string scorecard_text(const Scorecard& s);

} // namespace timeslice
