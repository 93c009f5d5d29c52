#include "core/trace/worker_id.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace timeslice {

namespace {
// Numbers index chunks that never move once made, so a number is read without a lock: its
// entry was written, under the lock, before the number was handed to anyone.
constexpr std::uint32_t kChunkBits = 12; // 4,096 workers, 32 KB a chunk
constexpr std::uint32_t kChunkSize = 1u << kChunkBits;
constexpr std::uint32_t kChunks = (kMaxWorkerNumbers >> kChunkBits) + 1;
}

struct WorkerNumbers::Table {
    std::uint32_t capacity;
    std::mutex mutex;
    std::unordered_map<std::uint64_t, std::uint32_t> numbers;
    std::atomic<std::uint32_t> count { 1 }; // 0 is no worker
    std::array<std::atomic<WorkerId*>, kChunks> chunks {};
};

WorkerNumbers::WorkerNumbers(std::uint32_t capacity)
    : m_table(std::make_unique<Table>())
{
    m_table->capacity = std::min(capacity, kMaxWorkerNumbers);
}

WorkerNumbers::~WorkerNumbers()
{
    for (auto& chunk : m_table->chunks)
        delete[] chunk.load(std::memory_order_relaxed);
}

std::uint32_t WorkerNumbers::number(WorkerId worker)
{
    if (worker == WorkerId {})
        return 0;
    Table& t = *m_table;
    const std::uint64_t key = worker.key();
    const std::lock_guard lock(t.mutex);
    if (const auto found = t.numbers.find(key); found != t.numbers.end())
        return found->second;
    const std::uint32_t n = t.count.load(std::memory_order_relaxed);
    if (n > t.capacity)
        throw std::length_error("more than " + std::to_string(t.capacity)
            + " distinct threads seen in one session: start Timeslice again to see more");
    WorkerId* chunk = t.chunks[n >> kChunkBits].load(std::memory_order_relaxed);
    if (chunk == nullptr) {
        chunk = new WorkerId[kChunkSize];
        t.chunks[n >> kChunkBits].store(chunk, std::memory_order_release);
    }
    chunk[n & (kChunkSize - 1)] = worker;
    t.numbers.emplace(key, n);
    t.count.store(n + 1, std::memory_order_release);
    return n;
}

WorkerId WorkerNumbers::worker(std::uint32_t n) const noexcept
{
    const Table& t = *m_table;
    if (n == 0 || n >= t.count.load(std::memory_order_acquire))
        return {};
    return t.chunks[n >> kChunkBits].load(std::memory_order_acquire)[n & (kChunkSize - 1)];
}

std::uint32_t WorkerNumbers::count() const noexcept { return m_table->count.load(std::memory_order_acquire) - 1; }

namespace {
// Never destroyed: a span may be read by a thread still running as the process exits.
WorkerNumbers& process_numbers()
{
    static WorkerNumbers* const numbers = new WorkerNumbers;
    return *numbers;
}
}

std::uint32_t worker_number(WorkerId worker)
{
    if (worker == WorkerId {})
        return 0;
    // Spans come worker by worker: the last one this thread asked for is the usual answer.
    thread_local std::uint64_t last_key = 0;
    thread_local std::uint32_t last_number = 0;
    if (last_number != 0 && last_key == worker.key())
        return last_number;
    const std::uint32_t n = process_numbers().number(worker);
    last_key = worker.key();
    last_number = n;
    return n;
}

WorkerId worker_of(std::uint32_t number) noexcept { return process_numbers().worker(number); }

std::uint32_t workers_numbered() noexcept { return process_numbers().count(); }

} // namespace timeslice
