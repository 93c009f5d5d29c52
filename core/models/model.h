#pragma once

#include "core/base/cancel_token.h"
#include "core/kernel/monitor.h"
#include "core/trace/recorder.h"
#include "core/models/registry.h"
#include "core/trace/trace.h"
#include "core/workload/workload.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace timeslice {

class WaitSampler;

std::string_view model_name(ModelKind kind) noexcept;
std::optional<ModelKind> model_from_name(std::string_view name) noexcept;
const std::vector<std::string_view>& model_names();

struct ModelOptions {
    int workers = 0; // 0: the Python executor's default for the model
    bool gil = false; // threads: emulate CPython's GIL
    Nanos switch_interval = 5 * kNanosPerMilli; // threads with GIL: like sys.setswitchinterval
    std::string worker_path; // processes: the worker executable; empty = next to this program
    // dask: a running scheduler's address (tcp://HOST:PORT); empty: a LocalCluster of `workers`
    // worker processes started for the run and stopped with it
    std::string scheduler;
    int worker_threads = 1; // dask, local cluster: threads in each worker process
};

// What a model needs to run a workload: where to report state changes, when to stop, and a
// slot per task for how it ended. Each slot is written by one thread at a time.
struct RunContext {
    const Workload& workload;
    Recorder& recorder;
    CancelToken& cancel;
    Outcomes& outcomes;
    Nanos origin = 0;
    std::uint64_t gil_hand_overs = 0; // set by a model that emulates the GIL
    // Told of every thread that runs tasks, before it runs one (null: no kernel data).
    KernelMonitor* kernel = nullptr;
    // Adds a task found while running (a Python script's) and a slot for it in `outcomes`;
    // returns its index. Null when the workload's tasks are all there are.
    // `thread_row`: the row is a thread's own (TaskTrace::thread_row).
    std::function<std::uint32_t(std::string name, bool thread_row)> declare_task = nullptr;
    // Reads why each watched thread is blocked, and real Python's GIL (null: no kernel data,
    // or a model with nothing to check).
    WaitSampler* waits = nullptr;

    // Tells the kernel's record and the wait sampler, where there are any, of a thread that
    // runs tasks, and that it is done.
    void watch_thread(std::int32_t pid, std::int32_t tid) const;
    void unwatch_thread(std::int32_t pid, std::int32_t tid) const;
};

// Watches the calling thread (RunContext::watch_thread) for as long as it is in scope: a pool
// thread's loop, the event loop's run.
class WatchThisThread {
public:
    explicit WatchThisThread(const RunContext& ctx);
    ~WatchThisThread();
    WatchThisThread(const WatchThisThread&) = delete;
    WatchThisThread& operator=(const WatchThisThread&) = delete;

private:
    const RunContext& m_ctx;
    std::int32_t m_pid;
    std::int32_t m_tid;
};

class Model {
public:
    virtual ~Model() = default;
    virtual ModelKind kind() const noexcept = 0;
    // Pool size actually used for `workload` (1 for async).
    virtual int workers_for(const Workload& workload) const noexcept = 0;
    // Runs every task to an end (done, failed or cancelled) before it returns.
    virtual void run(RunContext& context) = 0;
};

// Made by the model's descriptor (registry.h).
std::unique_ptr<Model> make_model(ModelKind kind, const ModelOptions& options);

} // namespace timeslice
