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
#include <vector>

namespace timeslice {

// One state change of one task: the task entered `state` at `t`, on worker (pid, tid), core.
struct Event {
    Nanos t = 0;
    std::uint32_t task = 0;
    State state = State::Queued;
    // Set where the model itself knows why a task is off a core: a native blocking sleep on an
    // event loop's thread is a Sleep, which an awaited timer is not.
    WaitReason reason = WaitReason::None;
    std::int16_t core = -1;
    std::int32_t pid = 0;
    std::int32_t tid = 0;
};
static_assert(sizeof(Event) == 24);

// An append-only event log with one writer. Events live in chunks that never move (each twice
// the size of the one before, so an idle lane costs 1.5 KB and a busy one few allocations), and
// the writer publishes its count with a release store: readers copy what is published without
// taking any lock the writer takes.
class Lane {
public:
    Lane();
    ~Lane();
    Lane(const Lane&) = delete;
    Lane& operator=(const Lane&) = delete;

    void record(const Event& event) noexcept
    {
        const std::size_t n = m_count.load(std::memory_order_relaxed);
        if (n == m_tail_end) [[unlikely]]
            grow(n);
        m_tail[n - m_tail_begin] = event;
        m_count.store(n + 1, std::memory_order_release);
    }

    // Appends the events in [from, published count) to out; returns the new count.
    std::size_t copy_since(std::size_t from, std::vector<Event>& out) const;
    std::size_t size() const noexcept { return m_count.load(std::memory_order_acquire); }

    static constexpr std::size_t kFirstChunk = 64;

private:
    void grow(std::size_t n);

    static constexpr int kMaxChunks = 32; // 64 * (2^32 - 1) events
    std::atomic<std::size_t> m_count { 0 };
    Event* m_tail = nullptr;
    std::size_t m_tail_begin = 0;
    std::size_t m_tail_end = 0;
    std::array<std::atomic<Event*>, kMaxChunks> m_chunks {};
};

// Position of a reader in every lane of a recorder.
struct RecorderCursor {
    std::vector<std::size_t> positions;
};

// Hands out lanes to writers (one per thread that reports state changes) and lets a reader
// collect what every lane has published since its last look.
class Recorder {
public:
    Lane& make_lane();
    // Appends every event published since `cursor` (in lane order, not time order).
    void collect(RecorderCursor& cursor, std::vector<Event>& out) const;
    std::size_t event_count() const;

private:
    mutable std::mutex m_mutex; // guards the lane list only; never taken by record()
    std::vector<std::unique_ptr<Lane>> m_lanes;
};

// Fills in the worker identity and core of the calling thread.
Event make_event(std::uint32_t task, State state, Nanos t = record_now()) noexcept;

} // namespace timeslice
