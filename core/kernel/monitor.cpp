#include "core/kernel/monitor.h"

#include "core/base/helper_thread.h"
#include "core/kernel/sampled_layout.h"
#include "core/kernel/switch_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace timeslice {

namespace {

// One page of header and 2^n pages of ring: 32 KB holds ~1,360 switch records. The kernel wakes
// the reader when a ring is half full, and the reader reads every ring at least every 30 ms (a
// frame of the live view), so a ring fills only if a thread switches 680 times while the reader
// is kept off every core; the records lost are counted and said.
constexpr std::size_t kDataPages = 8;
constexpr std::uint32_t kWakeupBytes = 16384;
constexpr Nanos kDrainInterval = 30 * kNanosPerMilli;
// Where a ring could not be mapped at its full size (the locked-memory limit), the watermark may
// lie past half of it: every ring is then read every 2 ms, as before the watermark.
constexpr Nanos kSmallRingDrainInterval = 2 * kNanosPerMilli;

int perf_open(perf_event_attr& attr, pid_t tid)
{
    return int(syscall(SYS_perf_event_open, &attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC));
}

perf_event_attr switch_attr()
{
    perf_event_attr attr {};
    attr.size = sizeof(attr);
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = PERF_COUNT_SW_DUMMY;
    attr.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CPU;
    attr.sample_id_all = 1;
    attr.context_switch = 1;
    // The thread's exit too: the kernel records no last switch out of a thread that ends.
    attr.task = 1;
    attr.use_clockid = 1;
    attr.clockid = CLOCK_MONOTONIC;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    attr.watermark = 1;
    attr.wakeup_watermark = kWakeupBytes;
    return attr;
}

std::string read_small_file(const char* path)
{
    std::string text;
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return text;
    char buf[64];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0)
        text.assign(buf, std::size_t(n));
    ::close(fd);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

std::string refused_by_environment()
{
    const char* env = std::getenv("TIMESLICE_KERNEL_REFUSE");
    return env ? std::string(env) : std::string();
}

std::int32_t this_tid() noexcept { return std::int32_t(syscall(SYS_gettid)); }

ssize_t pread_all(int fd, char* buf, std::size_t size)
{
    for (;;) {
        const ssize_t n = ::pread(fd, buf, size, 0);
        if (n < 0 && errno == EINTR)
            continue;
        return n;
    }
}

// Copies n bytes at ring position `at` out of the ring buffer `data` of `size` bytes; a record
// may wrap around its end.
void copy_from_ring(const char* data, std::uint64_t size, std::uint64_t at, char* to, std::size_t n)
{
    const std::uint64_t offset = at % size;
    const std::size_t first = std::size_t(std::min<std::uint64_t>(n, size - offset));
    std::memcpy(to, data + offset, first);
    if (first < n)
        std::memcpy(to + first, data, n - first);
}

} // namespace

struct KernelMonitor::Watched : SwitchLog {
    std::int32_t pid = 0;
    std::int32_t tid = 0;
    // exact
    int perf_fd = -1;
    void* map = nullptr;
    std::size_t map_size = 0;
    // sampled
    int schedstat_fd = -1;
    int stat_fd = -1;
    SchedStat last {};
    Nanos last_t = 0;
    int last_core = -1;
    std::vector<ReadGap> long_gaps;

    ~Watched() { release(); }

    void release()
    {
        if (map)
            munmap(map, map_size);
        map = nullptr;
        for (int* fd : { &perf_fd, &schedstat_fd, &stat_fd }) {
            if (*fd >= 0)
                ::close(*fd);
            *fd = -1;
        }
    }
};

KernelMonitor::KernelMonitor(KernelOptions options)
    : m_options(options)
    , m_occupancy(std::make_unique<CoreOccupancy>())
{
    m_occupancy->reserve_cores(int(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN))));
    const std::string env = refused_by_environment();
    const bool refuse_exact = m_options.refuse_exact || env.find("exact") != std::string::npos;
    const bool refuse_sampled = m_options.refuse_sampled || env.find("sampled") != std::string::npos;
    if (m_options.mode == KernelMode::Off) {
        m_note = "kernel data: off (as asked)";
        return;
    }
    std::string exact_why;
    if (m_options.mode == KernelMode::Auto || m_options.mode == KernelMode::Exact) {
        if (refuse_exact) {
            exact_why = "perf_event_open refused (simulated)";
        } else {
            perf_event_attr attr = switch_attr();
            const int fd = perf_open(attr, this_tid());
            if (fd >= 0) {
                ::close(fd);
                m_source = KernelSource::Exact;
                m_note = "kernel data: exact (perf_event_open context switches)";
                // The reader sleeps until a ring is half full (or 30 ms pass); without epoll
                // it reads every ring every 2 ms instead.
                m_epoll = epoll_create1(EPOLL_CLOEXEC);
                m_wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
                epoll_event ev {};
                ev.events = EPOLLIN;
                ev.data.ptr = nullptr; // the stop signal
                if (m_epoll < 0 || m_wake < 0 || epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &ev) != 0)
                    close_epoll();
                return;
            }
            const int err = errno;
            exact_why = fmt::format("perf_event_open refused: {} (kernel.perf_event_paranoid = {})", std::strerror(err),
                read_small_file("/proc/sys/kernel/perf_event_paranoid"));
        }
    }
    if (m_options.mode == KernelMode::Auto || m_options.mode == KernelMode::Sampled) {
        const std::string path = fmt::format("/proc/self/task/{}/schedstat", this_tid());
        if (!refuse_sampled && parse_schedstat(read_small_file(path.c_str()))) {
            m_source = KernelSource::Sampled;
            m_note = fmt::format("kernel data: sampled every {} ms from /proc{}{}",
                double(m_options.sample_interval) / 1e6, exact_why.empty() ? "" : "; ", exact_why);
            return;
        }
        m_note = fmt::format("kernel data: none ({}{}{})", exact_why, exact_why.empty() ? "" : "; ",
            refuse_sampled ? "/proc schedstat refused (simulated)" : "/proc/<pid>/task/<tid>/schedstat is unreadable");
        return;
    }
    m_note = fmt::format("kernel data: none ({})", exact_why);
}

KernelMonitor::~KernelMonitor()
{
    stop();
    close_epoll();
}

void KernelMonitor::close_epoll() noexcept
{
    for (int* fd : { &m_epoll, &m_wake }) {
        if (*fd >= 0)
            ::close(*fd);
        *fd = -1;
    }
}

void KernelMonitor::watch(std::int32_t pid, std::int32_t tid) noexcept
{
    if (m_source == KernelSource::None)
        return;
    try {
        auto w = std::make_unique<Watched>();
        w->pid = pid;
        w->tid = tid;
        const Nanos now = monotonic_now() - m_origin;
        w->open_start = now;
        const bool self = tid == this_tid();
        if (self) {
            w->open_state = CpuState::OnCore;
            w->open_core = std::int16_t(sched_getcpu());
        } else {
            const std::string path = fmt::format("/proc/{}/task/{}/stat", pid, tid);
            if (const auto st = parse_proc_task_stat(read_small_file(path.c_str()))) {
                // "R" is on a core or on a run queue; before the first record says which, the
                // time counts as queued, the smaller claim.
                w->before_first = st->state == 'R' ? CpuState::Preempted : CpuState::Blocked;
            }
        }
        if (m_source == KernelSource::Exact) {
            perf_event_attr attr = switch_attr();
            w->perf_fd = perf_open(attr, tid);
            if (w->perf_fd < 0) {
                std::lock_guard lock(m_mutex);
                ++m_unwatched;
                return;
            }
            const std::size_t page = std::size_t(sysconf(_SC_PAGESIZE));
            for (std::size_t pages = kDataPages; pages >= 1 && !w->map; pages /= 2) {
                w->map_size = page * (pages + 1);
                w->map = mmap(nullptr, w->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, w->perf_fd, 0);
                if (w->map == MAP_FAILED)
                    w->map = nullptr;
            }
            if (!w->map) {
                std::lock_guard lock(m_mutex);
                ++m_unwatched;
                return;
            }
            // Records are kept from here on: the kernel drops those of an event with no ring.
            w->armed = monotonic_now() - m_origin;
            const bool small_ring = w->map_size - page < 2 * std::size_t(kWakeupBytes);
            epoll_event ev {};
            ev.events = EPOLLIN;
            ev.data.ptr = w.get(); // lives as long as the monitor: m_watched only grows
            bool polled = false;
            {
                std::lock_guard lock(m_mutex); // stop() closes m_epoll
                polled = m_epoll >= 0 && epoll_ctl(m_epoll, EPOLL_CTL_ADD, w->perf_fd, &ev) == 0;
            }
            if (small_ring || !polled)
                m_small_rings.store(true, std::memory_order_relaxed);
        } else {
            w->schedstat_fd = ::open(fmt::format("/proc/{}/task/{}/schedstat", pid, tid).c_str(), O_RDONLY | O_CLOEXEC);
            w->stat_fd = ::open(fmt::format("/proc/{}/task/{}/stat", pid, tid).c_str(), O_RDONLY | O_CLOEXEC);
            char buf[512];
            const ssize_t n = w->schedstat_fd >= 0 ? pread_all(w->schedstat_fd, buf, sizeof buf) : -1;
            const auto s = n > 0 ? parse_schedstat(std::string_view(buf, std::size_t(n))) : std::nullopt;
            if (!s) {
                std::lock_guard lock(m_mutex);
                ++m_unwatched;
                return;
            }
            w->last = *s;
            w->last_t = now;
            w->open_state.reset();
        }
        std::lock_guard lock(m_mutex);
        m_watched.push_back(std::move(w));
    } catch (...) {
        // Out of memory while watching: the thread goes unwatched; the note says so.
        std::lock_guard lock(m_mutex);
        ++m_unwatched;
    }
}

void KernelMonitor::start(Nanos origin)
{
    m_origin = origin;
    if (m_source == KernelSource::None || m_thread.joinable())
        return;
    m_thread = start_helper_thread([this] { loop(); });
}

void KernelMonitor::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_wake >= 0) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto n = ::write(m_wake, &one, sizeof one);
    }
    if (m_thread.joinable())
        m_thread.join();
    drain_all();
    // A thread that exits is not switched out in the record (the kernel detaches its events
    // first): its last slice is still open and ends here. The overlay clips it to the task's
    // own spans, which end when the thread's work did.
    std::lock_guard lock(m_mutex);
    const Nanos end = monotonic_now() - m_origin;
    for (auto& w : m_watched) {
        if (w->open_state) {
            w->close_open(end, *w->open_state, w->open_core);
            w->open_state.reset();
        }
        w->release(); // a finished run holds no descriptor or ring buffer
    }
    close_epoll(); // nor the reader's epoll and eventfd (the reader has ended)
}

void KernelMonitor::loop()
{
    if (m_source == KernelSource::Exact && m_epoll >= 0) {
        loop_on_watermark();
        return;
    }
    const Nanos base = m_source == KernelSource::Exact ? kSmallRingDrainInterval : std::max<Nanos>(m_options.sample_interval, 100'000);
    Nanos interval = base;
    Nanos last = thread_cpu_now();
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        m_cv.wait_for(lock, std::chrono::nanoseconds(interval));
        if (m_stop)
            break;
        lock.unlock();
        drain_all();
        const Nanos after = thread_cpu_now();
        m_reader_cpu.store(after, std::memory_order_relaxed);
        // Reading many threads' /proc files costs more than 3 % of a core at 1 ms: the
        // interval grows so the reading never takes more, and the note says so. The cost is
        // the whole pass's, waking up included (a tenth of it on a virtual machine): 2.8 %.
        const Nanos pass = after - last;
        last = after;
        if (m_source == KernelSource::Sampled) {
            interval = std::max(base, pass * 36);
            lock.lock();
            m_longest_interval = std::max(m_longest_interval, interval);
            m_interval = interval;
            continue;
        }
        lock.lock();
    }
}

// Exact: sleeps until the kernel says a ring is half full, or a thread's events ended (it
// exited), or 30 ms passed since the last read; then reads every ring, which costs no system call
// (the rings are mapped). Each wake-up costs far more than the records it reads (tens of
// microseconds on a virtual machine), so the reader wakes as seldom as the view's freshness
// allows. Every 30 ms it also asks whether each watched thread still lives.
void KernelMonitor::loop_on_watermark()
{
    std::array<epoll_event, 64> events {};
    Nanos last_read = monotonic_now();
    Nanos last_alive = last_read;
    for (;;) {
        const Nanos interval = m_small_rings.load(std::memory_order_relaxed) ? kSmallRingDrainInterval : kDrainInterval;
        const Nanos wait = std::max<Nanos>(0, last_read + interval - monotonic_now());
        const int n = epoll_wait(m_epoll, events.data(), int(events.size()), int((wait + kNanosPerMilli - 1) / kNanosPerMilli));
        {
            std::lock_guard lock(m_mutex);
            if (m_stop)
                return;
            ++m_reads; // exact: the reader's wake-ups
        }
        const Nanos woke = monotonic_now();
        if (woke - last_alive >= interval) {
            drain_all(); // with the liveness check
            last_alive = woke;
        } else {
            std::lock_guard lock(m_mutex);
            const Nanos now = woke - m_origin;
            for (int i = 0; i < n; ++i) {
                auto* w = static_cast<Watched*>(events[std::size_t(i)].data.ptr);
                if (!w || w->perf_fd < 0 || !(events[std::size_t(i)].events & (EPOLLHUP | EPOLLERR)))
                    continue;
                // The thread exited: the kernel does not record its last switch out.
                drain_ring(*w);
                if (w->open_state) {
                    w->close_open(now, *w->open_state, w->open_core);
                    w->open_state.reset();
                }
                w->release();
            }
            for (auto& wp : m_watched)
                drain_ring(*wp);
        }
        last_read = woke;
        m_reader_cpu.store(thread_cpu_now(), std::memory_order_relaxed);
    }
}

KernelMonitor::Cost KernelMonitor::cost() const
{
    std::lock_guard lock(m_mutex);
    return Cost { m_records, m_reads, m_reader_cpu.load(std::memory_order_relaxed) };
}

void KernelMonitor::drain_all()
{
    std::lock_guard lock(m_mutex);
    const Nanos now = monotonic_now() - m_origin;
    m_occupancy->forget_before(now - 2 * kBackFillWindow);
    for (auto& wp : m_watched) {
        drain_one(*wp, now);
        // A thread that ended without saying so (a worker process that exited or was killed):
        // its last slice ends here, within one reading of the truth.
        if (wp->open_state && (wp->perf_fd >= 0 || wp->schedstat_fd >= 0)
            && syscall(SYS_tgkill, wp->pid, wp->tid, 0) != 0 && errno == ESRCH) {
            wp->close_open(now, *wp->open_state, wp->open_core);
            wp->open_state.reset();
            wp->release();
        }
    }
}

void KernelMonitor::unwatch(std::int32_t pid, std::int32_t tid) noexcept
{
    std::lock_guard lock(m_mutex);
    const Nanos now = monotonic_now() - m_origin;
    for (auto& wp : m_watched) {
        if (wp->pid != pid || wp->tid != tid || (wp->perf_fd < 0 && wp->schedstat_fd < 0))
            continue;
        drain_one(*wp, now);
        if (wp->open_state) {
            // Called by the thread itself as it ends: it is on a core until now.
            wp->close_open(now, *wp->open_state, wp->open_core);
            wp->open_state.reset();
        }
        wp->release();
    }
}

void KernelMonitor::drain_one(Watched& w, Nanos now)
{
    if (m_source == KernelSource::Exact)
        drain_ring(w);
    else
        read_sample(w, now);
}

void KernelMonitor::drain_ring(Watched& w)
{
    if (!w.map)
        return;
    auto* meta = static_cast<perf_event_mmap_page*>(w.map);
    const std::size_t page = std::size_t(sysconf(_SC_PAGESIZE));
    char* data = static_cast<char*>(w.map) + (meta->data_offset ? meta->data_offset : page);
    const std::uint64_t size = meta->data_size ? meta->data_size : w.map_size - page;
    const std::uint64_t head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
    std::uint64_t tail = meta->data_tail;
    std::array<char, 256> record {};
    while (tail < head) {
        perf_event_header header {};
        copy_from_ring(data, size, tail, reinterpret_cast<char*>(&header), sizeof header);
        if (header.size < sizeof header)
            break; // corrupt: stop reading this buffer rather than loop
        if (header.size <= record.size()) {
            copy_from_ring(data, size, tail, record.data(), header.size);
            handle_record(w, header, record.data());
        }
        tail += header.size;
    }
    __atomic_store_n(&meta->data_tail, tail, __ATOMIC_RELEASE);
}

// One record of the ring: a switch of the watched thread, its exit, or how many records the kernel
// dropped while the ring was full. (The fork records `task` brings, of threads it starts, are
// skipped: those are watched on their own or not at all.)
void KernelMonitor::handle_record(Watched& w, const perf_event_header& header, const char* record)
{
    if (header.type == PERF_RECORD_SWITCH && header.size >= sizeof header + 24) {
        struct {
            std::uint32_t pid, tid;
            std::uint64_t time;
            std::uint32_t cpu, res;
        } id {};
        std::memcpy(&id, record + sizeof header, sizeof id);
        const bool out = header.misc & PERF_RECORD_MISC_SWITCH_OUT;
        const bool preempt = header.misc & PERF_RECORD_MISC_SWITCH_OUT_PREEMPT;
        w.on_switch(Nanos(id.time) - m_origin, out, preempt, int(id.cpu));
        ++m_records;
    } else if (header.type == PERF_RECORD_EXIT && header.size >= sizeof header + 40) {
        // pid, ppid, tid, ptid, time, then the sample_id: pid, tid, time, cpu.
        struct {
            std::uint32_t pid, ppid, tid, ptid;
            std::uint64_t time;
            std::uint32_t id_pid, id_tid;
            std::uint64_t id_time;
        } exit {};
        std::memcpy(&exit, record + sizeof header, sizeof exit);
        if (std::int32_t(exit.tid) == w.tid)
            w.on_exit(Nanos(exit.id_time) - m_origin);
    } else if (header.type == PERF_RECORD_LOST && header.size >= sizeof header + 16) {
        std::uint64_t lost = 0;
        std::memcpy(&lost, record + sizeof header + 8, sizeof lost);
        m_lost += lost;
    }
}

void KernelMonitor::read_sample(Watched& w, Nanos now)
{
    if (w.schedstat_fd < 0)
        return;
    char buf[512];
    const ssize_t n = pread_all(w.schedstat_fd, buf, sizeof buf);
    m_reads += 2;
    const auto s = n > 0 ? parse_schedstat(std::string_view(buf, std::size_t(n))) : std::nullopt;
    if (!s) { // the thread has ended
        ::close(w.schedstat_fd);
        w.schedstat_fd = -1;
        return;
    }
    if (w.stat_fd >= 0) {
        const ssize_t m = pread_all(w.stat_fd, buf, sizeof buf);
        if (m > 0) {
            if (const auto st = parse_proc_task_stat(std::string_view(buf, std::size_t(m))))
                w.last_core = st->core;
        }
    }
    m_unplaced += lay_out_sample(w.slices, *m_occupancy, w.last_t, now, Nanos(s->on_core - w.last.on_core),
        Nanos(s->queued - w.last.queued), w.last_core);
    note_read_gap(w, now);
    w.last = *s;
    w.last_t = now;
}

void KernelMonitor::note_read_gap(Watched& w, Nanos now)
{
    // Late against the interval the reading is at (it grows on purpose with many threads),
    // and one gap for reads late one after another.
    if (now - w.last_t > 2 * std::max(m_options.sample_interval, m_interval)) {
        if (!w.long_gaps.empty() && w.long_gaps.back().end == w.last_t)
            w.long_gaps.back().end = now;
        else
            w.long_gaps.push_back(ReadGap { w.last_t, now });
    }
    m_longest_gap = std::max(m_longest_gap, now - w.last_t);
}

KernelRecord KernelMonitor::snapshot(Nanos now) const
{
    KernelRecord record;
    record.source = m_source;
    std::lock_guard lock(m_mutex);
    record.note = m_note;
    if (m_lost > 0)
        record.note += fmt::format("; {} switch records lost (the reader fell behind)", m_lost);
    if (m_source == KernelSource::Sampled && m_longest_interval > m_options.sample_interval * 3 / 2)
        record.note += fmt::format("; with {} threads the reading slowed to every {:.1f} ms to stay under 3 % of a core",
            m_watched.size(), double(m_longest_interval) / 1e6);
    else if (m_source == KernelSource::Sampled && m_longest_gap > m_options.sample_interval * 3)
        record.note += fmt::format("; the machine was busy: reads of a thread came up to {:.1f} ms apart, and the layout is that coarse there",
            double(m_longest_gap) / 1e6);
    if (m_source == KernelSource::Sampled)
        record.note += "; the order of threads inside one reading is not known: the lanes show one that fits";
    if (m_unplaced > kNanosPerMilli)
        record.note += fmt::format("; {:.1f} ms counted on a core found no free core in the layout and is left out",
            double(m_unplaced) / 1e6);
    if (m_unwatched > 0)
        record.note += fmt::format("; {} threads could not be watched", m_unwatched);
    record.threads.reserve(m_watched.size());
    for (const auto& w : m_watched) {
        ThreadKernel t { w->pid, w->tid, w->slices, w->long_gaps };
        if (now > 0 && w->open_state && now - m_origin > w->open_start)
            t.slices.push_back(KernelSlice { w->open_start, now - m_origin,
                *w->open_state == CpuState::OnCore ? w->open_core : std::int16_t(-1), *w->open_state });
        record.threads.push_back(std::move(t));
    }
    return record;
}

} // namespace timeslice
