#pragma once

#include "core/base/clock.h"
#include "core/trace/kernel_source.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

struct perf_event_header; // <linux/perf_event.h>

namespace timeslice {

class CoreOccupancy;

// What the user asked for; auto takes the best source this machine allows.
enum class KernelMode : std::uint8_t { Auto, Exact, Sampled, Off };

std::string_view kernel_mode_name(KernelMode mode) noexcept;
std::optional<KernelMode> kernel_mode_from_name(std::string_view name) noexcept;

// What one thread did, by the kernel's account.
enum class CpuState : std::uint8_t {
    OnCore, // running on `core`
    Preempted, // runnable, but off every core (switched out by a preemption, or queued)
    Blocked, // asleep: switched out voluntarily (a wait, a lock, a page fault, I/O)
};

struct KernelSlice {
    Nanos start = 0; // trace time (since the run's origin)
    Nanos end = 0;
    std::int16_t core = -1; // for OnCore
    CpuState state = CpuState::Blocked;
    friend bool operator==(const KernelSlice&, const KernelSlice&) = default;
};
static_assert(sizeof(KernelSlice) <= 24); // one per switch: well under the 32 B budget

// Sampled source: two reads of a thread further apart than twice the interval (the reader was
// kept off a core, or slowed down to stay cheap). Inside one the layout is only as fine as it.
struct ReadGap {
    Nanos start = 0; // trace time
    Nanos end = 0;
    friend bool operator==(const ReadGap&, const ReadGap&) = default;
};

struct ThreadKernel {
    std::int32_t pid = 0;
    std::int32_t tid = 0;
    std::vector<KernelSlice> slices; // in time order, not overlapping
    std::vector<ReadGap> long_gaps; // sampled: in time order; empty when every read came on time
};

struct KernelRecord {
    KernelSource source = KernelSource::None;
    std::string note; // why this source, and anything lost; one line
    std::vector<ThreadKernel> threads;
};

struct KernelOptions {
    KernelMode mode = KernelMode::Auto;
    Nanos sample_interval = kNanosPerMilli; // sampled source
    // For tests and for users who want to see the fallbacks: behave as if the kernel refused.
    // TIMESLICE_KERNEL_REFUSE=exact,sampled in the environment does the same.
    bool refuse_exact = false;
    bool refuse_sampled = false;
};

// Records the kernel's view of every thread it is told to watch, from a thread of its own that
// reads perf ring buffers (or /proc files) without stopping the threads it watches.
class KernelMonitor {
public:
    // Finds which source this machine allows (opening a perf event to see): before the run's
    // clock starts, so that its cost is not the first task's.
    explicit KernelMonitor(KernelOptions options);
    ~KernelMonitor();
    KernelMonitor(const KernelMonitor&) = delete;
    KernelMonitor& operator=(const KernelMonitor&) = delete;

    KernelSource source() const noexcept { return m_source; }
    const std::string& note() const noexcept { return m_note; }

    // Starts watching thread `tid` of process `pid`: call it from the thread itself before it
    // runs a task, or for a child process right after it is spawned. Safe from any thread.
    void watch(std::int32_t pid, std::int32_t tid) noexcept;
    // The thread is about to end: its record is read to this moment and closed. The kernel does
    // not report a thread's last switch-out when it exits; a thread that ends without saying
    // so is found within one reading.
    void unwatch(std::int32_t pid, std::int32_t tid) noexcept;
    // Starts reading; times are kept from `origin` (monotonic), the run's clock.
    void start(Nanos origin);
    // Reads what is left and stops; the record keeps everything.
    void stop();
    // Everything recorded so far; open slices end at `now` (monotonic) when given.
    KernelRecord snapshot(Nanos now = 0) const;

    // What the reading costs: records handled (exact) or files read (sampled), and the CPU time
    // of the thread that reads them (for the benchmarks and the README's table).
    struct Cost {
        std::uint64_t records = 0;
        std::uint64_t reads = 0; // sampled: /proc files read; exact: the reader's wake-ups
        Nanos reader_cpu = 0;
    };
    Cost cost() const;

    struct Watched;

private:
    void loop();
    void loop_on_watermark();
    void close_epoll() noexcept;
    void drain_all();
    void drain_one(Watched& w, Nanos now);
    // Exact: the switches in the thread's perf ring buffer since the last drain.
    void drain_ring(Watched& w);
    void handle_record(Watched& w, const perf_event_header& header, const char* record);
    // Sampled: one reading of the thread's /proc files, laid out since the last.
    void read_sample(Watched& w, Nanos now);
    void note_read_gap(Watched& w, Nanos now);

    KernelOptions m_options;
    Nanos m_origin = 0; // set by start()
    KernelSource m_source = KernelSource::None;
    std::string m_note;
    mutable std::mutex m_mutex; // guards m_watched and their slices
    std::vector<std::unique_ptr<Watched>> m_watched;
    std::condition_variable m_cv;
    bool m_stop = false;
    std::uint64_t m_lost = 0;
    std::uint64_t m_records = 0;
    Nanos m_longest_interval = 0; // sampled: the longest interval the reading grew to
    Nanos m_longest_gap = 0; // sampled: the longest time between two reads of one thread
    Nanos m_interval = 0; // sampled: the interval the reading is at now (it grows with the threads)
    std::uint64_t m_reads = 0;
    std::unique_ptr<CoreOccupancy> m_occupancy; // sampled: where each core is laid out taken
    Nanos m_unplaced = 0; // sampled: time on a core that fitted on no free core
    std::atomic<Nanos> m_reader_cpu { 0 };
    int m_unwatched = 0; // threads the kernel refused to open for
    int m_epoll = -1; // exact: the rings' descriptors and m_wake
    int m_wake = -1; // exact: an eventfd that stop() writes to
    std::atomic<bool> m_small_rings { false }; // exact: a ring the watermark does not serve

    std::thread m_thread;
};

// Parses one /proc/<pid>/task/<tid>/schedstat ("on-core ns, run-queue ns, slices").
struct SchedStat {
    std::uint64_t on_core = 0;
    std::uint64_t queued = 0;
    std::uint64_t slices = 0;
};
std::optional<SchedStat> parse_schedstat(std::string_view text) noexcept;
// From /proc/<pid>/task/<tid>/stat: the state letter and the core it last ran on.
struct ProcStat {
    char state = '?';
    int core = -1;
};
std::optional<ProcStat> parse_proc_task_stat(std::string_view text) noexcept;

} // namespace timeslice
