#pragma once

#include "core/base/clock.h"
#include "core/base/record_clock.h"
#include "core/trace/state.h"
#include "core/trace/wait_reason.h"
#include "core/trace/worker_id.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace timeslice {

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

// An append-only event log with one writer and one reader, whose events all happened on one
// worker: the one it was made for, or else the thread that records its first event. Events live in
// a list of chunks that never move, each twice the size of the one before up to 2 MiB (one huge
// page), so a busy lane makes few allocations and an unused one none. The writer publishes its
// count with a release store, and the reader copies what is published without taking any lock the
// writer takes. A 2 MiB chunk the reader has copied and the writer has left goes back to the
// writer, which fills it again rather than fault in fresh memory: a long recording that a reader
// drains (the runner, at each live snapshot) stays in the memory it has touched.
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
        m_tail_events[n - m_tail_begin] = event;
        m_count.store(n + 1, std::memory_order_release);
    }

    // The reader's: appends the events in [from, published count) to out, with the lane's worker,
    // and returns the new count. `from` is what the last call returned (0 at first): a lane has one
    // reader, which reads each event once.
    std::size_t copy_since(std::size_t from, std::vector<Event>& out);
    std::size_t size() const noexcept { return m_count.load(std::memory_order_acquire); }
    // Known once an event is published (or from the start, for a lane made for a worker).
    WorkerId worker() const noexcept { return m_worker; }
    // Chunks the lane has allocated (a drained lane reuses its largest ones).
    std::size_t chunks_allocated() const noexcept { return m_allocated.load(std::memory_order_relaxed); }

    // Events in the first chunk, and in each of the largest (2 MiB with its header).
    static constexpr std::size_t kFirstChunk = 64;
    static std::size_t max_chunk_events() noexcept;

private:
    struct Chunk;
    void grow(std::size_t n);
    Chunk* take_spare() noexcept;
    void give_back(Chunk* c) noexcept;

    // The writer's.
    std::atomic<std::size_t> m_count { 0 };
    LaneEvent* m_tail_events = nullptr;
    Chunk* m_tail = nullptr;
    std::size_t m_tail_begin = 0;
    std::size_t m_tail_end = 0;
    std::vector<Chunk*> m_owned; // every chunk allocated, freed with the lane
    std::atomic<std::size_t> m_allocated { 0 };
    // Written by the writer before its first event is published (or at construction): a reader
    // that saw a count above zero reads it safely.
    WorkerId m_worker;
    bool m_worker_known = false;
    // The first chunk, set once; the reader starts from it.
    std::atomic<Chunk*> m_head { nullptr };
    // The reader's: the chunk its next event is in, and how far it has read.
    Chunk* m_read = nullptr;
    std::size_t m_read_count = 0;
    // Largest chunks the reader has handed back: a stack that the reader pushes and the writer pops.
    std::atomic<Chunk*> m_spare { nullptr };
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
    // Appends every event published since `cursor` (in lane order, not time order). A recorder has
    // one reader, with one cursor: what it has read, its lanes may reuse.
    void collect(RecorderCursor& cursor, std::vector<Event>& out);
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
