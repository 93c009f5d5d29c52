#pragma once

#include "core/base/clock.h"
#include "core/base/short_text.h"
#include "core/trace/kernel_source.h"
#include "core/trace/outcomes.h"
#include "core/trace/recorder.h"
#include "core/trace/state.h"
#include "core/trace/wait_reason.h"
#include "core/trace/worker_id.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace timeslice {

// Times in a trace are nanoseconds since the run's start (its origin on CLOCK_MONOTONIC).
//
// 24 bytes, so a 10 M-span trace keeps 240 MB of spans: the worker is a number the process
// gave it (worker_id.h) rather than its pid and tid, and the small fields share 32 bits.
struct Span {
    Nanos start = 0;
    Nanos end = 0;
    // Its worker (a process and one of its threads) by number: pid(), tid() and worker() read it.
    std::uint32_t worker_number : kWorkerNumberBits = 0;
    // Real Python: whether a running thread held the GIL, by the interpreter's own fields.
    GilHold gil : 2 = GilHold::Unknown;
    State state : 4 = State::Queued;
    // Real Python: why the thread was off every core (blocked, gil-wait and waiting pieces the
    // kernel classified).
    WaitReason reason : 4 = WaitReason::None;
    std::int16_t core = -1;
    // What it waited for: an index into Trace::targets (0: none).
    std::uint16_t target = 0;

    Span() = default;
    Span(Nanos start, Nanos end, std::int32_t pid, std::int32_t tid, int core = -1, State state = State::Queued,
        WaitReason reason = WaitReason::None, GilHold gil = GilHold::Unknown, std::uint16_t target = 0)
        : start(start)
        , end(end)
        , worker_number(timeslice::worker_number({ pid, tid }))
        , gil(gil)
        , state(state)
        , reason(reason)
        , core(std::int16_t(core))
        , target(target)
    {
    }

    // The same, for a worker that has its number already (the trace builder's events).
    struct Numbered {
        std::uint32_t number;
    };
    Span(Nanos start, Nanos end, Numbered worker, int core, State state, WaitReason reason = WaitReason::None) noexcept
        : start(start)
        , end(end)
        , worker_number(worker.number)
        , state(state)
        , reason(reason)
        , core(std::int16_t(core))
    {
    }

    WorkerId worker() const noexcept { return worker_of(worker_number); }
    std::int32_t pid() const noexcept { return worker().pid; }
    std::int32_t tid() const noexcept { return worker().tid; }
    void set_worker(WorkerId w) { worker_number = timeslice::worker_number(w); }
    Nanos duration() const noexcept { return end - start; }
    friend bool operator==(const Span&, const Span&) = default;
};
static_assert(sizeof(Span) == 24);

// What the kernel says a task's thread did while it held the task (see kernel_view.h).
struct KernelStats {
    Nanos on_core = 0; // on a core
    Nanos preempted = 0; // runnable but off every core
    Nanos blocked = 0; // asleep inside a compute step (page faults, I/O, locks)
    std::uint32_t preemptions = 0; // involuntary switches
    std::uint32_t switches = 0; // every switch off a core
    std::uint32_t migrations = 0; // moves from one core to another
    friend bool operator==(const KernelStats&, const KernelStats&) = default;
};

struct TaskTrace {
    std::string name;
    State status = State::Queued; // its last state; terminal once it has ended
    std::string result; // decimal text: square-numbers results exceed 64 bits
    std::string reason; // why it failed or was cancelled
    Nanos submitted = -1;
    Nanos started = -1; // first moment it ran or waited on a worker
    Nanos finished = -1;
    std::int32_t pid = 0; // worker that ran it
    std::int32_t tid = 0;
    Nanos cpu_time = -1; // CPU time its thread spent on it (CLOCK_THREAD_CPUTIME_ID); -1: not measured
    std::optional<KernelStats> kernel; // none without kernel data
    std::vector<Span> spans;
    // A thread's own row (real Python: a threading.Thread or the main thread), not a task's:
    // its spans leave out the time a task's row has its thread
    bool thread_row = false;
    // Where it ran when a pid and tid do not say: a Dask worker's address ("" otherwise)
    std::string worker;

    bool ended() const noexcept { return is_terminal(status); }
    Nanos time_in(State s) const noexcept;
    friend bool operator==(const TaskTrace&, const TaskTrace&) = default;
};

struct CpuSample {
    Nanos t = 0; // end of the interval the utilisation was measured over
    std::vector<float> per_core; // percent, 0..100: the whole machine (/proc/stat)
    float total = 0;
    std::vector<float> own_per_core; // percent: the run's own threads (kernel data); empty without
    float own_total = -1; // percent of every core; -1 without kernel data
    friend bool operator==(const CpuSample&, const CpuSample&) = default;
};

struct RunInfo {
    std::string workload;
    std::string model;
    bool gil = false;
    double switch_interval_ms = 5.0;
    int workers = 0;
    int cores = 0;
    double scale = 1.0;
    std::uint64_t iterations = 0;
    std::string cpu_model;
    std::string hostname;
    std::string date; // ISO 8601, UTC, when the run started
    Nanos makespan = 0;
    std::uint64_t gil_hand_overs = 0; // counted by the emulated GIL itself, or inferred (below)
    std::string engine = "native"; // native (the C++ emulation) or cpython (real Python)
    std::string python = {}; // cpython: the interpreter's version ("3.11.7", "3.13.0 free-threaded")
    std::string program = {}; // cpython: the script and its arguments
    std::string script = {}; // a user's script: its path, as run (program starts with it)
    std::string exit = {}; // cpython: how the program ended ("exit status 0", "stopped", ...)
    // cpython: gil-wait spans and hand-overs were inferred from the kernel's record (a thread
    // asleep off every core, outside any wait the probe saw, while another thread of its
    // process ran)
    // (traces of Timeslice 0.x only: they inferred GIL waits; nothing is inferred any more)
    bool gil_inferred = false;
    // cpython: where the GIL's fields were found and how, or why not ("" for native runs)
    std::string gil_found = {};
    // cpython: hand-overs by the GIL's own switch_number (its increase over the run, every
    // process summed); -1: not read
    std::int64_t gil_switch_number = -1;
    // cpython: how blocked time was classified: "" or why it could not be (no access...)
    std::string waits_note = {};
    // native threads: gil-wait spans of the emulation in which the kernel had the thread asleep
    // on something other than the emulated GIL (a disagreement: should be 0); -1: not checked
    std::int64_t gil_waits_elsewhere = -1;
    // a workload file's run: the file, absolute, so the run can be made again ("" otherwise)
    std::string workload_file = {};
    // cpython on a Dask cluster: where its data came from (the task stream, the kernel's view
    // of the workers this machine runs) and how far the clocks were moved ("" otherwise)
    std::string cluster = {};
    // what the state changes' times were read with: "tsc" (the time-stamp counter, re-anchored
    // to CLOCK_MONOTONIC every millisecond) or "clock_gettime ..." and why ("": not said)
    std::string clock = {};

    // A script of the user's own ran (no model of Timeslice's): `model` says so.
    static constexpr std::string_view kScriptModel = "script";
    bool ran_script() const noexcept { return model == kScriptModel; }
    friend bool operator==(const RunInfo&, const RunInfo&) = default;
};

// The schedule the model's rules predict (see analysis.h), kept with the trace so a saved run
// still shows it.
struct IdealSpan {
    Nanos start = 0;
    Nanos end = 0;
    State state = State::Running;
    friend bool operator==(const IdealSpan&, const IdealSpan&) = default;
};

struct IdealSchedule {
    Nanos makespan = 0;
    Nanos serial = 0; // every task alone, one after another
    std::vector<std::vector<IdealSpan>> tasks;
    bool empty() const noexcept { return tasks.empty(); }
    friend bool operator==(const IdealSchedule&, const IdealSchedule&) = default;
};

// A task's thread on a core (the Cores view's lanes and the trace's "CPU cores" tracks).
struct CoreSpan {
    Nanos start = 0;
    Nanos end = 0;
    std::uint32_t task = 0;
    std::int16_t core = -1;
    friend bool operator==(const CoreSpan&, const CoreSpan&) = default;
};

// Where the kernel's data came from, and where it disagrees with the model's states.
struct KernelSummary {
    KernelSource source = KernelSource::None;
    std::string note;
    Nanos gil_wait = 0; // gil-wait time of threads the kernel watched
    Nanos gil_wait_on_core = 0; // ...of which the kernel had them on a core
    Nanos waiting = 0;
    Nanos waiting_on_core = 0;
    friend bool operator==(const KernelSummary&, const KernelSummary&) = default;
};

// A Chrome trace Timeslice did not write (Node's --trace-events-enabled, Chromium, VizTracer):
// shown read-only. Each row of the Trace is one thread at one nesting depth (TaskTrace::name its
// label, its spans all "running"); each span is drawn by its name.
struct ForeignTrace {
    std::string source; // "Node.js", "VizTracer" or "Chrome trace", guessed from the file
    std::vector<std::string> names; // every span name, once
    std::vector<std::vector<std::uint32_t>> span_names; // per row, per span: index into names
    std::vector<int> depth; // per row: 0 for a thread's outermost spans
    std::size_t threads = 0;
    std::vector<std::string> not_understood; // counted, one line per kind: "3 events with ph 'C' (counter)"
    friend bool operator==(const ForeignTrace&, const ForeignTrace&) = default;
};

struct Trace {
    RunInfo info;
    std::optional<ForeignTrace> foreign; // set for a trace Timeslice did not write
    KernelSummary kernel;
    std::vector<CoreSpan> cores; // sorted by core, then start
    IdealSchedule ideal;
    std::vector<TaskTrace> tasks;
    std::vector<CpuSample> cpu;
    // What blocked threads waited for ("socket 127.0.0.1:5000", "pipe", a path): Span::target
    // indexes it; [0] is "" (none)
    std::vector<std::string> targets;
    bool complete = false; // false while the run is still going
    // A live run's snapshots and its final trace all carry its number (never saved; 0 for a
    // loaded trace), so the window knows them for one run without comparing 100,000 task names.
    std::uint64_t live_run = 0;

    // The latest time anything in the trace covers (a live snapshot's: its own time).
    Nanos end_time() const noexcept;
    std::size_t span_count() const noexcept;
    friend bool operator==(const Trace&, const Trace&) = default;
};

// Turns recorded events into per-task state spans. Events may arrive out of time order across
// lanes (a reader can see a worker's "running" before the dispatcher's "queued"); each task's
// events are kept sorted as they come.
class TraceBuilder {
public:
    TraceBuilder(RunInfo info, std::vector<std::string> task_names, Nanos origin);

    void add(std::span<const Event> events);
    void set_outcome(std::size_t task, TaskOutcome outcome);
    // Every task's outcome at once, the table taken over rather than copied; it replaces any
    // outcome set before. Slots past the task count are not read, and a task added after it
    // has none until set_outcome gives it one. Until an outcome is set, the builder keeps no
    // table of its own.
    void set_outcomes(Outcomes all);
    void set_ideal(IdealSchedule ideal) { m_ideal = std::move(ideal); }
    void set_gil_hand_overs(std::uint64_t n) { m_info.gil_hand_overs = n; }
    RunInfo& info() noexcept { return m_info; }
    // A task found while running (a Python script's); returns its index.
    // `thread_row`: a thread's own row (TaskTrace::thread_row), not a task's.
    std::uint32_t add_task(std::string name, bool thread_row = false);
    std::size_t task_count() const noexcept { return m_names.size(); }
    // Open spans of tasks still going end at `now` (absolute monotonic time).
    Trace build(Nanos now, std::vector<CpuSample> cpu, bool complete) const;
    // The same, in a trace built before (a live run's earlier snapshot, let go): every field is
    // set again, but its rows, span vectors and core spans keep their memory, so a snapshot of
    // a run with 100,000 tasks allocates nothing once its rows have all been seen.
    void build_into(Trace& trace, Nanos now, std::vector<CpuSample> cpu, bool complete) const;

    Nanos origin() const noexcept { return m_origin; }
    std::size_t event_count() const noexcept { return m_events; }

private:
    RunInfo m_info;
    IdealSchedule m_ideal;
    std::vector<std::string> m_names;
    Nanos m_origin;
    // A task's event as the builder keeps it: the task is the list it is in, and its worker a
    // number (worker_id.h); 16 bytes, not an Event's 24.
    struct TaskEvent {
        Nanos t = 0;
        std::uint32_t worker = 0;
        State state = State::Queued;
        WaitReason reason = WaitReason::None;
        std::int16_t core = -1;
    };
    static_assert(sizeof(TaskEvent) == 16);

    std::vector<std::vector<TaskEvent>> m_task_events;
    Outcomes m_outcomes;
    std::vector<bool> m_has_outcome;
    std::vector<bool> m_thread_rows;
    std::size_t m_events = 0;
};

// Recomputes the per-task summary (submitted, started, finished, worker) from the spans; the
// trace reader and the builder share it so both give the same answer.
void summarise_task(TaskTrace& task);

} // namespace timeslice
