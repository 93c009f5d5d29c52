#pragma once

#include "core/kernel/overlay.h"
#include "core/kernel/wait_sampler.h"
#include "core/models/model.h"
#include "core/python/engine.h"
#include "core/trace/trace.h"
#include "core/trace/trace_recycler.h"
#include "core/workload/workload.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace timeslice {

struct RunConfig {
    std::string workload = "table-loading";
    ModelKind model = ModelKind::Threads;
    WorkloadOptions workload_options;
    ModelOptions model_options;
    // A workload given as data (its tasks and steps) rather than built from `workload`'s name
    // and `workload_options`; its name becomes `workload`.
    std::optional<Workload> custom;
    // A workload file (see workload_file.h), built with `workload_options` (its scale); its name
    // becomes `workload`.
    std::string workload_file;
    // /proc/stat counts in 10 ms ticks: 20 ms samples are the finest that still say something.
    Nanos cpu_interval = 20 * kNanosPerMilli;
    // The kernel's view of the run's threads (kernel.h): auto takes the best source available.
    KernelOptions kernel;
    // Who runs it: the C++ emulation, or CPython with Timeslice's probe (python_engine.h).
    Engine engine = Engine::Native;
    // cpython: the interpreter (empty: python3 on PATH); a script of the user's own in
    // python.program (then the workload is whatever the script does); whether to keep its
    // output (the window) or pass it through (the command line).
    PythonOptions python;
};

// The program and arguments a built-in workload runs as under the cpython engine.
PythonProgram python_program_for(const RunConfig& config, const Workload& workload);

// Checks a configuration against the limits; returns an empty string when it is valid, else a
// one-line message naming the problem.
std::string validate(const RunConfig& config);

class CpuSampler;

// Owns one run: builds the workload, starts the model and the CPU sampler on a background
// thread, gives live snapshots, stops on request and keeps the final trace.
class Runner {
public:
    // Throws std::invalid_argument when the configuration is invalid.
    explicit Runner(RunConfig config);
    ~Runner(); // stops and joins a run still going
    Runner(const Runner&) = delete;
    Runner& operator=(const Runner&) = delete;

    // Returns at once: the run is set up (its clock, samplers, kernel view, ideal schedule) on
    // its own thread, then runs. `on_finished` is called on that thread once the final trace
    // is ready.
    void start(std::function<void()> on_finished = {});
    void cancel();
    void wait();
    bool finished() const noexcept { return m_finished.load(std::memory_order_acquire); }

    // A consistent view of the run so far; the final trace once finished. Safe from any thread.
    std::shared_ptr<const Trace> snapshot();
    // How many state changes have moved from the recorder's lanes to the trace builder so far,
    // by snapshots, by the run's own drain (kDrainPeriod) and by its final take. Safe from any
    // thread.
    std::size_t events_taken() const;

    const Workload& workload() const noexcept { return m_workload; }
    // The run's time zero on CLOCK_MONOTONIC (trace times count from it); 0 until the run's
    // thread has set it up (a snapshot with rows or spans says it has).
    Nanos origin() const noexcept { return m_origin.load(std::memory_order_acquire); }
    const RunConfig& config() const noexcept { return m_config; }
    // A run's events move from the recorder to the trace builder at least this often while it
    // runs, with or without a window asking for snapshots (a window asks every 30 ms).
    static constexpr std::chrono::milliseconds kDrainPeriod { 50 };
    // The kernel's raw record of the run's threads (kernel.h), as far as it has gone.
    KernelRecord kernel_record() const
    {
        std::lock_guard lock(m_mutex);
        return m_kernel ? m_kernel->snapshot() : KernelRecord {};
    }
    // cpython: how the program ended and what it printed, so far. Empty for the native engine.
    PythonOutcome python_outcome() const;

private:
    RunInfo run_info() const; // what the trace says of the run, at its start
    void prepare();
    void fail_to_prepare(const std::string& why);
    void execute();
    // The model's run, with the recorder drained into the builder as it goes.
    void run_model(RunContext& ctx);
    // Moves what the recorder has published since the last look into the builder (m_mutex held).
    // Never throws: where the move fails (out of memory, or more threads than the session can
    // number: worker_id.h), those events are lost and m_take_error says why; the run's tasks
    // not done then fail with it rather than be drawn wrong.
    void take_events() noexcept;
    void build_into(Trace& trace, bool complete);

    RunConfig m_config;
    Workload m_workload;
    std::unique_ptr<Model> m_model;
    PythonModel* m_python = nullptr; // m_model, under the cpython engine
    bool m_script = false; // a script of the user's own, not one of the built-in workloads
    Recorder m_recorder;
    CancelToken m_cancel;
    Outcomes m_outcomes;
    std::unique_ptr<CpuSampler> m_sampler;
    std::unique_ptr<KernelMonitor> m_kernel;
    std::unique_ptr<WaitSampler> m_waits; // real Python, and native threads with the kernel's view
    std::function<void()> m_on_finished;

    // guards the builder, cursor and final trace, and the samplers and kernel monitor while
    // prepare() makes them
    mutable std::mutex m_mutex;
    std::atomic<Nanos> m_origin { 0 };
    std::unique_ptr<TraceBuilder> m_builder;
    RecorderCursor m_cursor;
    Nanos m_last_take = 0; // when take_events() last ran
    std::string m_take_error; // why events were lost ("": none were)
    std::size_t m_events_taken = 0;
    std::vector<Event> m_scratch;
    OverlayScratch m_overlay_scratch; // apply_kernel's, kept from one snapshot to the next
    std::shared_ptr<const Trace> m_final;
    // Live snapshots are built in the memory of those the window let go of
    std::shared_ptr<TraceRecycler> m_recycler = TraceRecycler::create();
    const std::uint64_t m_live_run = next_live_run(); // Trace::live_run of its snapshots
    static std::uint64_t next_live_run() noexcept;

    std::atomic<bool> m_finished { false };
    std::thread m_thread;
};

// Runs to the end on the calling thread; for the command line and tests.
std::shared_ptr<const Trace> run_to_end(const RunConfig& config);

} // namespace timeslice
