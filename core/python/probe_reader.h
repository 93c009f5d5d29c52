#pragma once

// The probe's lines (resources/python/probe/timeslice_probe.py, whose docstring is the protocol)
// turned into the recorder's events: the cpython engine reads them off its pipe as they come.

#include "core/models/model.h"
#include "core/python/engine.h"
#include "core/trace/recorder.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace timeslice {

// Turns the probe's lines into the recorder's events, one task per key: a Python run's tasks
// (executor work items, asyncio tasks) and threads, as the probe reports them.
class ProbeReader {
public:
    ProbeReader(RunContext& ctx, bool builtin, std::int32_t root_pid)
        : m_ctx(ctx)
        , m_builtin(builtin)
        , m_lanes(ctx.recorder)
        , m_root_pid(root_pid)
    {
    }

    struct Task {
        std::uint32_t index = 0;
        bool ignored = false; // asyncio's top-level task in a built-in program
        bool ended = false;
        bool thread = false; // a thread's own row
        Nanos deadline = 0; // when the sleep it waits in is due
        Nanos last = 0; // its latest event
        Nanos created = 0; // when it was submitted (T)
        bool placed = false; // a Dask task: its first piece on a worker has been read
        State state = State::Queued;
        std::int32_t tid = 0;
    };

    void line(std::string_view text);

    // Every task not yet ended ends now: `state`, for `reason`.
    void end_all(State state, const std::string& reason);

    void unwatch_all();

    // Threads of the probed processes the probe never named (a C extension's), found by
    // listing /proc/PID/task at most every `every`: watched from the first time they are seen.
    // Their rows, "thread TID (native)", are made when the run ends (end_all), once every
    // Python thread has had the time to name itself.
    void find_unnamed_threads(Nanos now, Nanos every = 20 * kNanosPerMilli);

    // A Dask run's notes (its clocks) and where its tasks' times came from ("" otherwise).
    std::string cluster_note() const;

    std::uint64_t lines() const { return m_lines; }
    std::uint64_t bad() const { return m_bad; }

private:
    static std::uint64_t key_of(std::int32_t pid, std::int32_t tid) { return (std::uint64_t(std::uint32_t(pid)) << 32) | std::uint32_t(tid); }

    void watch(std::int32_t pid, std::int32_t tid);

    // "S kind name": every thread is watched; a threading.Thread (and the program's main
    // thread) of a user's script is a row of its own. An executor's worker threads are not:
    // their work items are the rows.
    void thread_started(const ProbeLine& p);

    void thread_ended(const ProbeLine& p);

    // Rows for the threads find_unnamed_threads saw and the probe never named; one still there
    // at the last listing ends `now`, with its process.
    void native_rows(Nanos now);

    static std::string thread_key(std::int32_t pid, std::int32_t tid);

    void created(const ProbeLine& p);
    // A line about one task: it runs, waits, is ready or ends.
    void task_line(Task& task, ProbeLine& p);

    void record(Task& task, const ProbeLine& p, State state, WaitReason reason = WaitReason::None);
    // The same, even where the task is already in `state`.
    void append(Task& task, const ProbeLine& p, State state, WaitReason reason);
    // "K": a piece of a Dask task's time, from the scheduler's task stream.
    void piece(Task& task, const ProbeLine& p);

    void end(Task& task, const ProbeLine& p, State state, std::string text);

    RunContext& m_ctx;
    bool m_builtin;
    WorkerLanes m_lanes; // one per Python thread
    std::int32_t m_root_pid;
    std::unordered_map<std::string, Task> m_tasks;
    std::unordered_set<std::uint64_t> m_watched;
    std::size_t m_next_builtin = 0;
    std::unordered_set<std::int32_t> m_probed; // processes the probe runs in ("P")
    std::unordered_set<std::uint64_t> m_named; // every thread the probe named ("S")
    struct Unnamed {
        Nanos first = 0; // when a listing first showed it
        Nanos last = 0; // ...and last
        bool gone = false;
    };
    std::map<std::uint64_t, Unnamed> m_unnamed; // by key_of(pid, tid): in order for the rows
    Nanos m_next_scan = 0;
    std::vector<std::string> m_notes; // "N"
    std::uint32_t m_on_watched_workers = 0, m_on_other_workers = 0; // Dask tasks by where they ran
    // What the cluster cost its tasks, summed: submission to the first piece on a worker
    // (scheduling), and each kind of piece.
    Nanos m_to_worker = 0;
    std::unordered_map<std::string, Nanos> m_piece_time;
    std::uint64_t m_lines = 0;
    std::uint64_t m_bad = 0;
};

} // namespace timeslice
