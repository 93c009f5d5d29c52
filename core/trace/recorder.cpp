#include "core/trace/recorder.h"

#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bit>
#include <cstdlib>
#include <new>
#include <span>
#include <stdexcept>
#include <string>

namespace timeslice {

struct Lane::Chunk {
    std::atomic<Chunk*> next { nullptr }; // set by the writer when it moves on
    std::size_t begin = 0; // the lane index of its first event
    std::size_t capacity = 0; // events
    Chunk* spare_next = nullptr; // in the spare stack
    LaneEvent* events() noexcept { return reinterpret_cast<LaneEvent*>(this + 1); }
};

namespace {

constexpr std::size_t kHugePage = std::size_t(2) << 20;

// Chunk headers take the first bytes of their allocation: a chunk's events end where its huge
// page does.
constexpr std::size_t chunk_bytes(std::size_t events) noexcept
{
    return 32 + events * sizeof(LaneEvent);
}

// The largest chunks are asked for as transparent huge pages: a busy lane then takes one page
// fault per 2 MiB instead of one per 4 KiB, which is most of what an append costs while a lane
// grows into fresh memory.
void* allocate_bytes(std::size_t bytes)
{
    void* p = nullptr;
    if (bytes >= kHugePage) {
        p = std::aligned_alloc(kHugePage, (bytes + kHugePage - 1) / kHugePage * kHugePage);
        if (p)
            madvise(p, bytes, MADV_HUGEPAGE);
    } else {
        p = std::malloc(bytes);
    }
    if (!p)
        throw std::bad_alloc();
    return p;
}

} // namespace

std::size_t Lane::max_chunk_events() noexcept { return (kHugePage - 32) / sizeof(LaneEvent); }

Lane::Lane(std::optional<WorkerId> worker)
    : m_worker(worker.value_or(WorkerId {}))
    , m_worker_known(worker.has_value())
{
    static_assert(sizeof(Chunk) == chunk_bytes(0) && alignof(Chunk) <= alignof(LaneEvent));
}

Lane::~Lane()
{
    for (Chunk* c : m_owned) {
        if (c) {
            c->~Chunk();
            std::free(c);
        }
    }
}

Lane::Chunk* Lane::take_spare() noexcept
{
    // Only the writer pops, so a chunk cannot leave and come back during one pop (no ABA).
    Chunk* top = m_spare.load(std::memory_order_acquire);
    while (top && !m_spare.compare_exchange_weak(top, top->spare_next, std::memory_order_acquire, std::memory_order_acquire)) { }
    return top;
}

void Lane::give_back(Chunk* c) noexcept
{
    c->spare_next = m_spare.load(std::memory_order_relaxed);
    while (!m_spare.compare_exchange_weak(c->spare_next, c, std::memory_order_release, std::memory_order_relaxed)) { }
}

void Lane::grow(std::size_t n)
{
    if (!m_worker_known) {
        // The first event: the lane's events are the recording thread's.
        m_worker = this_worker();
        m_worker_known = true;
    }
    const std::size_t events = m_tail ? std::min(m_tail->capacity * 2, max_chunk_events()) : kFirstChunk;
    Chunk* c = events == max_chunk_events() ? take_spare() : nullptr;
    if (!c) {
        m_owned.push_back(nullptr);
        c = new (allocate_bytes(chunk_bytes(events))) Chunk;
        m_owned.back() = c;
        m_allocated.fetch_add(1, std::memory_order_relaxed);
    }
    c->next.store(nullptr, std::memory_order_relaxed);
    c->begin = n;
    c->capacity = events;
    // Linked before any of its events is published: a reader that sees them finds the chunk.
    if (m_tail)
        m_tail->next.store(c, std::memory_order_release);
    else
        m_head.store(c, std::memory_order_release);
    m_tail = c;
    m_tail_events = c->events();
    m_tail_begin = n;
    m_tail_end = n + events;
}

std::size_t Lane::copy_since(std::size_t from, std::vector<Event>& out)
{
    if (from != m_read_count)
        throw std::logic_error("a lane has one reader: read from " + std::to_string(from) + ", but it had read "
            + std::to_string(m_read_count));
    const std::size_t to = m_count.load(std::memory_order_acquire);
    if (to <= from)
        return from;
    out.reserve(out.size() + (to - from));
    const WorkerId worker = m_worker; // written before the first event was published
    if (!m_read)
        m_read = m_head.load(std::memory_order_acquire);
    for (std::size_t i = from; i < to;) {
        const std::size_t end = m_read->begin + m_read->capacity;
        if (i == end) {
            // The writer has published past this chunk, so it has moved on: the chunk is read
            // and left, and the largest go back to the writer.
            Chunk* done = m_read;
            m_read = m_read->next.load(std::memory_order_acquire);
            if (done->capacity == max_chunk_events())
                give_back(done);
            continue;
        }
        const std::size_t n = std::min(end, to) - i;
        for (const LaneEvent& e : std::span(m_read->events() + (i - m_read->begin), n))
            out.push_back(Event { e, worker.pid, worker.tid });
        i += n;
    }
    m_read_count = to;
    return to;
}

Lane& Recorder::make_lane(std::optional<WorkerId> worker)
{
    std::lock_guard lock(m_mutex);
    m_lanes.push_back(std::make_unique<Lane>(worker));
    return *m_lanes.back();
}

void Recorder::collect(RecorderCursor& cursor, std::vector<Event>& out)
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
    Lane*& lane = m_lanes[worker.key()];
    if (!lane)
        lane = &m_recorder.make_lane(worker);
    m_last = lane;
    return *lane;
}

} // namespace timeslice
