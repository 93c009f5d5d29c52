#include "core/kernel/wait_sampler.h"

#include "core/base/helper_thread.h"
#include "core/base/parse.h"

#include <cstdlib>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

namespace timeslice {

namespace {


std::string_view next_word(std::string_view& s)
{
    const std::size_t from = s.find_first_not_of(" \t\n");
    if (from == std::string_view::npos) {
        s = {};
        return {};
    }
    s.remove_prefix(from);
    const std::size_t to = s.find_first_of(" \t\n");
    const std::string_view word = s.substr(0, to);
    s = to == std::string_view::npos ? std::string_view {} : s.substr(to);
    return word;
}

std::string read_small_file(const std::string& path)
{
    std::string text;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return text;
    char buf[8192];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0 && text.size() < (1u << 22);)
        text.append(buf, std::size_t(n));
    ::close(fd);
    return text;
}

// "0100007F:1388" (IPv4, the address as the kernel's little-endian word) -> "127.0.0.1:5000".
std::string ipv4_text(std::string_view hex)
{
    const std::size_t colon = hex.find(':');
    std::uint64_t addr = 0, port = 0;
    if (colon != 8 || !parse_hex(hex.substr(0, 8), addr) || !parse_hex(hex.substr(9), port))
        return std::string(hex);
    return fmt::format("{}.{}.{}.{}:{}", addr & 0xff, (addr >> 8) & 0xff, (addr >> 16) & 0xff, (addr >> 24) & 0xff, port);
}

// The 32-hex-digit IPv6 form: four little-endian words. IPv4-mapped addresses read as IPv4.
std::string ipv6_text(std::string_view hex)
{
    const std::size_t colon = hex.find(':');
    std::uint64_t port = 0;
    if (colon != 32 || !parse_hex(hex.substr(33), port))
        return std::string(hex);
    std::array<std::uint8_t, 16> bytes {};
    for (int w = 0; w < 4; ++w) {
        std::uint64_t word = 0;
        if (!parse_hex(hex.substr(std::size_t(w) * 8, 8), word))
            return std::string(hex);
        for (int b = 0; b < 4; ++b)
            bytes[std::size_t(w * 4 + b)] = std::uint8_t(word >> (8 * b));
    }
    const bool mapped = std::all_of(bytes.begin(), bytes.begin() + 10, [](std::uint8_t b) { return b == 0; })
        && bytes[10] == 0xff && bytes[11] == 0xff;
    if (mapped)
        return fmt::format("{}.{}.{}.{}:{}", bytes[12], bytes[13], bytes[14], bytes[15], port);
    std::string text = "[";
    for (int g = 0; g < 8; ++g)
        text += fmt::format("{}{:x}", g ? ":" : "", (bytes[std::size_t(2 * g)] << 8) | bytes[std::size_t(2 * g + 1)]);
    return text + fmt::format("]:{}", port);
}

// In a /proc/net/tcp table, the socket with inode `inode`: its peer (or where it listens).
std::optional<std::string> find_socket(std::string_view table, std::string_view inode, bool v6)
{
    std::size_t at = table.find('\n'); // the header
    while (at != std::string_view::npos && at + 1 < table.size()) {
        const std::size_t end = table.find('\n', at + 1);
        std::string_view line = table.substr(at + 1, end == std::string_view::npos ? std::string_view::npos : end - at - 1);
        at = end;
        std::string_view f[10];
        for (auto& field : f)
            field = next_word(line);
        if (f[9] != inode)
            continue;
        const std::string local = v6 ? ipv6_text(f[1]) : ipv4_text(f[1]);
        const std::string remote = v6 ? ipv6_text(f[2]) : ipv4_text(f[2]);
        if (f[3] == "0A") // TCP_LISTEN
            return "socket listening on " + local;
        return "socket " + remote;
    }
    return std::nullopt;
}

} // namespace

std::optional<SyscallRead> parse_syscall(std::string_view text) noexcept
{
    SyscallRead r;
    std::string_view rest = text;
    const std::string_view first = next_word(rest);
    if (first == "running") {
        r.running = true;
        return r;
    }
    long number = 0;
    const auto [p, ec] = std::from_chars(first.data(), first.data() + first.size(), number);
    if (ec != std::errc {} || p != first.data() + first.size())
        return std::nullopt;
    r.number = number;
    if (number < 0)
        return r; // blocked, but not in a system call: "-1 sp pc"
    for (std::uint64_t& arg : r.args) {
        if (!parse_hex(next_word(rest), arg))
            return std::nullopt;
    }
    return r;
}

std::uint64_t gil_struct_size() noexcept
{
    // unsigned long interval; PyThreadState* last_holder; int locked; unsigned long switch_number;
    // then cond, mutex, switch_cond, switch_mutex.
    return 4 * sizeof(std::uint64_t) + 2 * sizeof(pthread_cond_t) + 2 * sizeof(pthread_mutex_t);
}

namespace {

// The system calls a thread sleeps in, one row each: the reason, and whether its first argument
// is the descriptor waited on (an epoll descriptor names "epoll"; poll and select take arrays).
struct CallReason {
    long number;
    WaitReason reason;
    bool fd_first;
};

constexpr CallReason kCalls[] = {
    { SYS_read, WaitReason::Io, true }, { SYS_readv, WaitReason::Io, true }, { SYS_pread64, WaitReason::Io, true },
    { SYS_recvfrom, WaitReason::Io, true }, { SYS_recvmsg, WaitReason::Io, true }, { SYS_accept, WaitReason::Io, true },
    { SYS_accept4, WaitReason::Io, true }, { SYS_connect, WaitReason::Io, true }, { SYS_write, WaitReason::Io, true },
    { SYS_writev, WaitReason::Io, true }, { SYS_sendto, WaitReason::Io, true }, { SYS_sendmsg, WaitReason::Io, true },
    { SYS_epoll_pwait, WaitReason::Io, true },
#ifdef SYS_epoll_wait
    { SYS_epoll_wait, WaitReason::Io, true },
#endif
#ifdef SYS_epoll_pwait2
    { SYS_epoll_pwait2, WaitReason::Io, true },
#endif
    { SYS_ppoll, WaitReason::Io, false }, { SYS_pselect6, WaitReason::Io, false },
#ifdef SYS_poll
    { SYS_poll, WaitReason::Io, false },
#endif
#ifdef SYS_select
    { SYS_select, WaitReason::Io, false },
#endif
    { SYS_clock_nanosleep, WaitReason::Sleep, false },
#ifdef SYS_nanosleep
    { SYS_nanosleep, WaitReason::Sleep, false },
#endif
    { SYS_wait4, WaitReason::Child, false }, { SYS_waitid, WaitReason::Child, false },
};

} // namespace

Classified classify_syscall(const SyscallRead& read, const std::optional<GilRange>& gil) noexcept
{
    if (read.running)
        return {};
    if (read.number == SYS_futex)
        return { gil && gil->contains(read.args[0]) ? WaitReason::Gil : WaitReason::Lock, -1 };
    for (const CallReason& call : kCalls) {
        if (call.number == read.number)
            return { call.reason, call.fd_first ? int(read.args[0]) : -1 };
    }
    return { WaitReason::Other, -1 };
}

std::string describe_fd_link(std::string_view link, std::string_view tcp, std::string_view tcp6)
{
    if (link.starts_with("socket:[") && link.ends_with("]")) {
        const std::string_view inode = link.substr(8, link.size() - 9);
        if (auto s = find_socket(tcp, inode, false))
            return *s;
        if (auto s = find_socket(tcp6, inode, true))
            return *s;
        return "socket";
    }
    if (link.starts_with("pipe:"))
        return "pipe";
    if (link == "anon_inode:[eventpoll]")
        return "epoll";
    if (link.starts_with("anon_inode:"))
        return std::string(link.substr(11));
    return std::string(link);
}

std::string describe_fd(std::int32_t pid, int fd)
{
    char buf[4096];
    const std::string path = fmt::format("/proc/{}/fd/{}", pid, fd);
    const ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
    if (n <= 0)
        return {};
    const std::string_view link(buf, std::size_t(n));
    if (!link.starts_with("socket:"))
        return describe_fd_link(link, {}, {});
    return describe_fd_link(link, read_small_file(fmt::format("/proc/{}/net/tcp", pid)),
        read_small_file(fmt::format("/proc/{}/net/tcp6", pid)));
}

struct WaitSampler::Thread {
    ThreadWaits waits;
    int fd = -1; // /proc/PID/task/TID/syscall, kept open: each pread reads it afresh
    bool done = false;
    std::map<int, std::pair<std::string, std::uint16_t>> fd_targets; // fd -> (link, target)
};

struct WaitSampler::Gil {
    ProcessGil gil;
    bool read_fields = true; // CPython's _gil_runtime_state; false: the native emulation's
};

WaitSampler::WaitSampler(Nanos origin, Nanos interval)
    : m_origin(origin)
    , m_interval(std::max<Nanos>(interval, 100'000))
{
}

WaitSampler::~WaitSampler() { stop(); }

void WaitSampler::watch(std::int32_t pid, std::int32_t tid)
{
    std::lock_guard lock(m_mutex);
    for (const auto& t : m_threads) {
        if (t->waits.pid == pid && t->waits.tid == tid && !t->done)
            return;
    }
    auto t = std::make_unique<Thread>();
    t->waits.pid = pid;
    t->waits.tid = tid;
    // TIMESLICE_KERNEL_REFUSE=syscall: behave as if the kernel refused (ptrace_scope 2, a
    // seccomp filter), to see what the window and the report say then.
    const bool refuse = [] {
        const char* env = std::getenv("TIMESLICE_KERNEL_REFUSE");
        return env && std::string_view(env).find("syscall") != std::string_view::npos;
    }();
    t->fd = refuse ? -1 : ::open(fmt::format("/proc/{}/task/{}/syscall", pid, tid).c_str(), O_RDONLY | O_CLOEXEC);
    if (refuse)
        errno = EACCES;
    if (t->fd < 0) {
        if (errno == EACCES || errno == EPERM) {
            ++m_refused;
            m_refusal = fmt::format("the kernel refused /proc/{}/task/{}/syscall ({})", pid, tid, std::strerror(errno));
        }
        t->done = true;
    }
    m_threads.push_back(std::move(t));
}

void WaitSampler::unwatch(std::int32_t pid, std::int32_t tid)
{
    std::lock_guard lock(m_mutex);
    for (const auto& t : m_threads) {
        if (t->waits.pid == pid && t->waits.tid == tid && !t->done) {
            t->done = true;
            if (t->fd >= 0)
                ::close(t->fd);
            t->fd = -1;
        }
    }
}

void WaitSampler::gil_at(std::int32_t pid, std::uint64_t address, const std::string& how)
{
    std::lock_guard lock(m_mutex);
    m_gil_found[pid] = how;
    if (address == 0)
        return;
    for (const auto& g : m_gils) {
        if (g->gil.pid == pid)
            return;
    }
    auto g = std::make_unique<Gil>();
    g->gil.pid = pid;
    g->gil.range = GilRange { address, address + gil_struct_size() };
    m_gils.push_back(std::move(g));
}

void WaitSampler::emulated_gil(std::uint64_t begin, std::uint64_t end)
{
    std::lock_guard lock(m_mutex);
    m_emulated = true;
    auto g = std::make_unique<Gil>();
    g->gil.pid = std::int32_t(::getpid());
    g->gil.range = GilRange { begin, end };
    g->read_fields = false;
    m_gils.push_back(std::move(g));
}

void WaitSampler::thread_state(std::int32_t pid, std::int32_t tid, std::uint64_t tstate)
{
    if (tstate == 0)
        return;
    std::lock_guard lock(m_mutex);
    m_tstates[{ pid, tstate }] = tid;
}

void WaitSampler::start()
{
    m_thread = start_helper_thread([this] { loop(); });
}

void WaitSampler::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stop && !m_thread.joinable())
            return;
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    std::lock_guard lock(m_mutex);
    for (const auto& t : m_threads) {
        if (t->fd >= 0)
            ::close(t->fd);
        t->fd = -1;
    }
}

void WaitSampler::loop()
{
    std::unique_lock lock(m_mutex);
    Nanos next = monotonic_now();
    while (!m_stop) {
        read_all(monotonic_now());
        timespec cpu {};
        ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
        m_reader_cpu = Nanos(cpu.tv_sec) * kNanosPerSecond + cpu.tv_nsec;
        next = std::max(next + m_interval, monotonic_now());
        m_cv.wait_for(lock, std::chrono::nanoseconds(next - monotonic_now()), [this] { return m_stop; });
    }
}

namespace {

template <class Run, class Same> void extend_or_push(std::vector<Run>& runs, Run run, Nanos gap, Same same)
{
    if (!runs.empty() && same(runs.back(), run) && run.first - runs.back().last <= gap)
        runs.back().last = run.first;
    else
        runs.push_back(run);
}

} // namespace

void WaitSampler::read_all(Nanos now)
{
    const Nanos t = now - m_origin;
    const Nanos gap = 3 * m_interval;
    for (const auto& g : m_gils) {
        if (!g->read_fields)
            continue;
        ProcessGil& gil = g->gil;
        std::uint64_t fields[4] {};
        iovec local { fields, sizeof fields };
        iovec remote { reinterpret_cast<void*>(gil.range.begin), sizeof fields };
        if (::process_vm_readv(gil.pid, &local, 1, &remote, 1, 0) != ssize_t(sizeof fields))
            continue;
        // Named now where the probe has named it (a PyThreadState's address may be reused by a
        // later thread), else when the record is taken (snapshot).
        const auto holder = m_tstates.find({ gil.pid, fields[1] });
        GilRun run { t, t, (fields[2] & 0xffffffffu) != 0, holder == m_tstates.end() ? 0 : holder->second, fields[1], fields[3] };
        extend_or_push(gil.runs, run, gap, [](const GilRun& a, const GilRun& b) {
            return a.locked == b.locked && a.tstate == b.tstate && a.holder == b.holder && a.switches == b.switches;
        });
        if (gil.reads++ == 0)
            gil.first_switch = fields[3];
        gil.last_switch = fields[3];
    }
    for (const auto& th : m_threads) {
        if (th->done)
            continue;
        char buf[512];
        const ssize_t n = ::pread(th->fd, buf, sizeof buf - 1, 0);
        ++m_reads;
        if (n <= 0) {
            th->done = true; // the thread has ended
            ::close(th->fd);
            th->fd = -1;
            continue;
        }
        const auto read = parse_syscall(std::string_view(buf, std::size_t(n)));
        if (!read)
            continue;
        std::optional<GilRange> range;
        for (const auto& g : m_gils) {
            if (g->gil.pid == th->waits.pid)
                range = g->gil.range;
        }
        const Classified c = classify_syscall(*read, range);
        std::uint16_t target = 0;
        if (c.fd >= 0) {
            char link[512];
            const ssize_t k = ::readlink(fmt::format("/proc/{}/fd/{}", th->waits.pid, c.fd).c_str(), link, sizeof link);
            const std::string text = k > 0 ? std::string(link, std::size_t(k)) : std::string();
            auto& known = th->fd_targets[c.fd];
            if (known.first != text || (known.second == 0 && !text.empty())) {
                const std::string described = text.empty() ? std::string() : describe_fd(th->waits.pid, c.fd);
                auto [it, fresh] = m_target_index.try_emplace(described, std::uint16_t(m_targets.size()));
                if (fresh && m_targets.size() < 65535)
                    m_targets.push_back(described);
                else if (fresh)
                    it->second = 0;
                known = { text, it->second };
            }
            target = known.second;
        }
        extend_or_push(th->waits.runs, WaitRun { t, t, c.reason, target }, gap,
            [](const WaitRun& a, const WaitRun& b) { return a.reason == b.reason && a.target == b.target; });
    }
}

WaitRecord WaitSampler::snapshot() const
{
    std::lock_guard lock(m_mutex);
    WaitRecord r;
    for (const auto& t : m_threads)
        r.threads.push_back(t->waits);
    for (const auto& g : m_gils) {
        r.gils.push_back(g->gil);
        for (GilRun& run : r.gils.back().runs) {
            if (const auto it = m_tstates.find({ g->gil.pid, run.tstate }); it != m_tstates.end() && run.holder == 0)
                run.holder = it->second;
        }
    }
    r.targets = m_targets;
    r.emulated = m_emulated;
    r.reads = m_reads;
    r.reader_cpu = m_reader_cpu;
    // One sentence for every process: how the first found it, and in how many it was found.
    std::size_t found = 0;
    std::string found_how, missing_how;
    for (const auto& [pid, how] : m_gil_found) {
        const bool ok = how.starts_with("found");
        found += ok ? 1 : 0;
        std::string& first = ok ? found_how : missing_how;
        if (first.empty())
            first = how;
    }
    if (!m_gil_found.empty()) {
        r.gil_found = found ? found_how : missing_how;
        if (m_gil_found.size() > 1)
            r.gil_found += fmt::format(" (in {} of {} processes{}{})", found, m_gil_found.size(),
                found && found < m_gil_found.size() ? "; elsewhere " : "", found && found < m_gil_found.size() ? missing_how : "");
    }
    if (m_refused)
        r.note = fmt::format("why threads were off a core is not known for {} thread{}: {}; nothing is inferred", m_refused,
            m_refused == 1 ? "" : "s", m_refusal);
    return r;
}

} // namespace timeslice
