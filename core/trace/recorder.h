#pragma once

#include "core/base/clock.h"
#include "core/base/record_clock.h"
#include "core/trace/state.h"
#include "core/trace/wait_reason.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace timeslice {

// The worker a state change happened on: a process and one of its threads.
struct WorkerId {
    std::int32_t pid = 0;
    std::int32_t tid = 0;
    friend bool operator==(const WorkerId&, const WorkerId&) = default;
};

// One state change of one task, as a lane keeps it: the task entered `state` at `t` on `core`.
// The worker it happened on is the lane's, kept once per lane rather than in every event.
struct LaneEvent {
    Nanos t = 0;
    std::uint32_t task = 0;
    State state = State::Queued;
    // Set where the model itself knows why a task is off a core: a native blocking sleep on an
    // event loop's thread is a Sleep, which an awaited timer is not.
    WaitReason reason = WaitReason::None;
    std::int16_t core = -1;
};
static_assert(sizeof(LaneEvent) == 16);

// One state change of one task with its worker (pid, tid), as a reader collects it.
struct Event : LaneEvent {
    std::int32_t pid = 0;
    std::int32_t tid = 0;
};
static_assert(sizeof(Event) == 24);

// An append-only event log with one writer, whose events all happened on one worker: the one it
// was made for, or else the thread that records its first event. Events live in chunks that never
// move (each twice the size of the one before, so a busy lane makes few allocations and an unused
// one none), and the writer publishes its count with a release store: readers copy what is
// published without taking any lock the writer takes.
class Lane {
public:
    explicit Lane(std::optional<WorkerId> worker = std::nullopt);
    ~Lane();
    Lane(const Lane&) = delete;
    Lane& operator=(const Lane&) = delete;

    void record(const LaneEvent& event) noexcept
    {
        const std::size_t n = m_count.load(std::memory_order_relaxed);
        if (n == m_tail_end) [[unlikely]]
            grow(n);
        m_tail[n - m_tail_begin] = event;
        m_count.store(n + 1, std::memory_order_release);
    }

    // Appends the events in [from, published count) to out, with the lane's worker; returns the
    // new count.
    std::size_t copy_since(std::size_t from, std::vector<Event>& out) const;
    std::size_t size() const noexcept { return m_count.load(std::memory_order_acquire); }
    // Known once an event is published (or from the start, for a lane made for a worker).
    WorkerId worker() const noexcept { return m_worker; }

    static constexpr std::size_t kFirstChunk = 64;

private:
    void grow(std::size_t n);

    static constexpr int kMaxChunks = 32; // 64 * (2^32 - 1) events
    std::atomic<std::size_t> m_count { 0 };
    LaneEvent* m_tail = nullptr;
    std::size_t m_tail_begin = 0;
    std::size_t m_tail_end = 0;
    // Written by the writer before its first event is published (or at construction): a reader
    // that saw a count above zero reads it safely.
    WorkerId m_worker;
    bool m_worker_known = false;
    std::array<std::atomic<LaneEvent*>, kMaxChunks> m_chunks {};
};

// Position of a reader in every lane of a recorder.
struct RecorderCursor {
    std::vector<std::size_t> positions;
};

// Hands out lanes to writers (one per thread that reports state changes) and lets a reader
// collect what every lane has published since its last look.
class Recorder {
public:
    // A lane for the calling thread's events, or for `worker`'s (a writer recording what other
    // processes or threads did).
    Lane& make_lane(std::optional<WorkerId> worker = std::nullopt);
    // Appends every event published since `cursor` (in lane order, not time order).
    void collect(RecorderCursor& cursor, std::vector<Event>& out) const;
    std::size_t event_count() const;
    // Frees every lane, once no writer is left: what they held has been collected.
    void clear();

private:
    mutable std::mutex m_mutex; // guards the lane list only; never taken by record()
    std::vector<std::unique_ptr<Lane>> m_lanes;
};

// A state change on the calling thread's core.
LaneEvent make_event(std::uint32_t task, State state, Nanos t = record_now()) noexcept;

// The calling thread's worker identity (cached per thread: getpid() and gettid() are system calls).
WorkerId this_worker() noexcept;

// For one writer that records what many workers did (a process pool's reader, the probe's
// reader): a lane per worker, made the first time the worker is seen.
class WorkerLanes {
public:
    explicit WorkerLanes(Recorder& recorder)
        : m_recorder(recorder)
    {
    }
    Lane& operator()(WorkerId worker);

private:
    Recorder& m_recorder;
    std::unordered_map<std::uint64_t, Lane*> m_lanes;
    Lane* m_last = nullptr;
};

} // namespace timeslice
