#pragma once

#include <cstdint>
#include <memory>

namespace timeslice {

// The worker a state change happened on: a process and one of its threads.
struct WorkerId {
    std::int32_t pid = 0;
    std::int32_t tid = 0;
    friend bool operator==(const WorkerId&, const WorkerId&) = default;
    // Both in one number, for a hash map's key.
    std::uint64_t key() const noexcept { return std::uint64_t(std::uint32_t(pid)) << 32 | std::uint32_t(tid); }
};

// Every worker this process has put in a span, numbered once, as a symbol table numbers names
// (Perfetto's utid, but for the process rather than one trace): a Span keeps its worker's
// number in 22 bits where a pid and a tid took 64, which makes a span 24 bytes. The numbers
// never leave the process (traces are written with the pid and tid), so traces made, read,
// merged or compared here share them and need no remapping.
//
// Number 0 is no worker ({0, 0}). A number is handed out once a worker is first seen and the
// table never shrinks: ~50 bytes for each worker the process ever saw (its entry and its hash
// map node), at most kMaxWorkerNumbers of them (past it, worker_number throws
// std::length_error). Thread-safe; the worker a thread last asked about is found without a
// lock, and a number is read back without one.
inline constexpr std::uint32_t kWorkerNumberBits = 22;
inline constexpr std::uint32_t kMaxWorkerNumbers = (1u << kWorkerNumberBits) - 1;

std::uint32_t worker_number(WorkerId worker);
// The worker of a number worker_number gave (a number it never gave reads as no worker).
WorkerId worker_of(std::uint32_t number) noexcept;
// How many workers have numbers (no worker excluded).
std::uint32_t workers_numbered() noexcept;

// The table behind them, one per process; a smaller one for tests of its limit.
class WorkerNumbers {
public:
    explicit WorkerNumbers(std::uint32_t capacity = kMaxWorkerNumbers);
    ~WorkerNumbers();
    WorkerNumbers(const WorkerNumbers&) = delete;
    WorkerNumbers& operator=(const WorkerNumbers&) = delete;

    std::uint32_t number(WorkerId worker);
    WorkerId worker(std::uint32_t number) const noexcept;
    std::uint32_t count() const noexcept;

private:
    struct Table;
    std::unique_ptr<Table> m_table;
};

} // namespace timeslice
