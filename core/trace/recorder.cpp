#include "core/trace/recorder.h"

#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bit>
#include <cstdlib>
#include <new>
#include <span>

namespace timeslice {

namespace {
// Chunk k holds kFirstChunk << k events and starts at index kFirstChunk * (2^k - 1).
struct ChunkPos {
    int chunk;
    std::size_t offset;
};

ChunkPos locate(std::size_t index) noexcept
{
    const std::size_t j = index / Lane::kFirstChunk + 1;
    const int k = std::bit_width(j) - 1;
    return { k, index - Lane::kFirstChunk * ((std::size_t(1) << k) - 1) };
}

std::size_t chunk_size(int k) noexcept { return Lane::kFirstChunk << k; }

// Big chunks are asked for in transparent huge pages: a busy lane then takes one page fault per
// 2 MiB instead of one per 4 KiB, which is most of what an append costs once a lane is large.
LaneEvent* allocate_chunk(std::size_t events)
{
    constexpr std::size_t kHuge = std::size_t(2) << 20;
    const std::size_t bytes = events * sizeof(LaneEvent);
    void* p = nullptr;
    if (bytes >= kHuge) {
        p = std::aligned_alloc(kHuge, (bytes + kHuge - 1) / kHuge * kHuge);
        if (p)
            madvise(p, bytes, MADV_HUGEPAGE);
    } else {
        p = std::malloc(bytes);
    }
    if (!p)
        throw std::bad_alloc();
    return static_cast<LaneEvent*>(p);
}
}

Lane::Lane(std::optional<WorkerId> worker)
    : m_worker(worker.value_or(WorkerId {}))
    , m_worker_known(worker.has_value())
{
    for (auto& c : m_chunks)
        c.store(nullptr, std::memory_order_relaxed);
}

Lane::~Lane()
{
    for (auto& c : m_chunks)
        std::free(c.load(std::memory_order_relaxed));
}

void Lane::grow(std::size_t n)
{
    if (!m_worker_known) {
        // The first event: the lane's events are the recording thread's.
        m_worker = this_worker();
        m_worker_known = true;
    }
    const ChunkPos pos = locate(n);
    if (pos.chunk >= kMaxChunks)
        throw std::bad_alloc();
    m_tail = allocate_chunk(chunk_size(pos.chunk));
    m_tail_begin = n;
    m_tail_end = n + chunk_size(pos.chunk);
    m_chunks[std::size_t(pos.chunk)].store(m_tail, std::memory_order_release);
}

std::size_t Lane::copy_since(std::size_t from, std::vector<Event>& out) const
{
    const std::size_t to = m_count.load(std::memory_order_acquire);
    if (to <= from)
        return from;
    out.reserve(out.size() + (to - from));
    const WorkerId worker = m_worker; // written before the first event was published
    for (std::size_t i = from; i < to;) {
        const ChunkPos pos = locate(i);
        const LaneEvent* chunk = m_chunks[std::size_t(pos.chunk)].load(std::memory_order_acquire);
        const std::size_t n = std::min(chunk_size(pos.chunk) - pos.offset, to - i);
        for (const LaneEvent& e : std::span(chunk + pos.offset, n))
            out.push_back(Event { e, worker.pid, worker.tid });
        i += n;
    }
    return to;
}

Lane& Recorder::make_lane(std::optional<WorkerId> worker)
{
    std::lock_guard lock(m_mutex);
    m_lanes.push_back(std::make_unique<Lane>(worker));
    return *m_lanes.back();
}

void Recorder::collect(RecorderCursor& cursor, std::vector<Event>& out) const
{
    std::lock_guard lock(m_mutex);
    cursor.positions.resize(m_lanes.size(), 0);
    for (std::size_t i = 0; i < m_lanes.size(); ++i)
        cursor.positions[i] = m_lanes[i]->copy_since(cursor.positions[i], out);
}

std::size_t Recorder::event_count() const
{
    std::lock_guard lock(m_mutex);
    std::size_t n = 0;
    for (const auto& lane : m_lanes)
        n += lane->size();
    return n;
}

void Recorder::clear()
{
    std::lock_guard lock(m_mutex);
    m_lanes.clear();
}

LaneEvent make_event(std::uint32_t task, State state, Nanos t) noexcept
{
    LaneEvent e;
    e.t = t;
    e.task = task;
    e.state = state;
    e.core = std::int16_t(sched_getcpu());
    return e;
}

WorkerId this_worker() noexcept
{
    // Cached per thread: getpid() and gettid() are system calls. Timeslice never forks without
    // an exec, so a cached pid cannot go stale.
    static thread_local const WorkerId worker { std::int32_t(getpid()), std::int32_t(syscall(SYS_gettid)) };
    return worker;
}

Lane& WorkerLanes::operator()(WorkerId worker)
{
    if (m_last && m_last->worker() == worker)
        return *m_last;
    const std::uint64_t key = std::uint64_t(std::uint32_t(worker.pid)) << 32 | std::uint32_t(worker.tid);
    Lane*& lane = m_lanes[key];
    if (!lane)
        lane = &m_recorder.make_lane(worker);
    m_last = lane;
    return *lane;
}

} // namespace timeslice
