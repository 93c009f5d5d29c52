#pragma once

// Why a blocked thread of a real Python program is off every core, read from the kernel, and
// who holds each interpreter's GIL, read from the interpreter's own fields; never guessed.
//
// A thread of its own reads, every interval, /proc/PID/task/TID/syscall of each watched thread
// (the system call a blocked thread sleeps in, with its arguments) and, where the probe found
// the GIL (its "G" line), the GIL's fields (interval, last_holder, locked, switch_number) with
// process_vm_readv. Both need only what a parent has over the program it started (ptrace read
// access; Yama's ptrace_scope 1 allows it, py-spy reads the same way); where the kernel refuses,
// the record says so and nothing is classified.

#include "core/base/clock.h"
#include "core/trace/wait_reason.h"

#include <array>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace timeslice {

// One read of /proc/PID/task/TID/syscall: "running", or the call's number and arguments.
struct SyscallRead {
    bool running = false;
    long number = -1; // -1: not in a system call (blocked in the kernel otherwise)
    std::array<std::uint64_t, 6> args {};
};
std::optional<SyscallRead> parse_syscall(std::string_view text) noexcept;

// The GIL's struct in one process: [begin, end). Every futex word of its condition variables
// and mutexes lies in it.
struct GilRange {
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    bool contains(std::uint64_t a) const noexcept { return a >= begin && a < end; }
};
// The size of CPython's _gil_runtime_state (3.8-3.13): four words, then two condition
// variables and two mutexes (FORCE_SWITCHING), with this machine's libc's sizes.
std::uint64_t gil_struct_size() noexcept;

// The reason one read gives, and the descriptor an I/O wait waits on (-1: none known).
struct Classified {
    WaitReason reason = WaitReason::None; // None: running
    int fd = -1;
};
Classified classify_syscall(const SyscallRead& read, const std::optional<GilRange>& gil) noexcept;

// What /proc/PID/fd/N links to, told for a person: "socket 127.0.0.1:5000" (the peer of a TCP
// socket, from /proc/PID/net/tcp and tcp6), "socket" (other sockets), "pipe", "epoll", or a path.
std::string describe_fd(std::int32_t pid, int fd);
// The same from the link's text and the socket tables' text (pure, for tests).
std::string describe_fd_link(std::string_view link, std::string_view tcp, std::string_view tcp6);

// A run of reads of one thread that said the same.
struct WaitRun {
    Nanos first = 0; // trace time of the first read
    Nanos last = 0; // ...and of the last
    WaitReason reason = WaitReason::None;
    std::uint16_t target = 0; // index into WaitRecord::targets
};

struct ThreadWaits {
    std::int32_t pid = 0;
    std::int32_t tid = 0;
    std::vector<WaitRun> runs; // in time order
};

// A run of reads of one GIL that said the same.
struct GilRun {
    Nanos first = 0;
    Nanos last = 0;
    bool locked = false;
    std::int32_t holder = 0; // the native thread id of last_holder; 0: not a thread the probe named
    // last_holder as read: named by the probe's "H" line, which may come after the first reads
    // of the thread's turns, so the sampler names the holder when the record is taken
    std::uint64_t tstate = 0;
    // switch_number as read: reads that agree on it saw no hand-over between them, so a run
    // covers the time between its reads only where they do (a thread's brief turn between two
    // reads of the same holder is not drawn as the other's)
    std::uint64_t switches = 0;
};

struct ProcessGil {
    std::int32_t pid = 0;
    GilRange range;
    std::vector<GilRun> runs;
    std::uint64_t first_switch = 0; // switch_number at the first and the last read
    std::uint64_t last_switch = 0;
    std::uint64_t reads = 0;
};

struct WaitRecord {
    std::vector<ThreadWaits> threads;
    std::vector<ProcessGil> gils;
    std::vector<std::string> targets { "" };
    // The GIL is the native engine's emulated one: the spans' gil-waits are the emulation's,
    // and the kernel's reads check them (RunInfo::gil_waits_elsewhere)
    bool emulated = false;
    std::string gil_found; // per process, how the GIL was found or why not
    std::string note; // what could not be read, and why; "" when everything was
    std::uint64_t reads = 0;
    Nanos reader_cpu = 0;
};

class WaitSampler {
public:
    WaitSampler(Nanos origin, Nanos interval = kNanosPerMilli);
    ~WaitSampler();
    WaitSampler(const WaitSampler&) = delete;
    WaitSampler& operator=(const WaitSampler&) = delete;

    // Safe from any thread.
    void watch(std::int32_t pid, std::int32_t tid);
    void unwatch(std::int32_t pid, std::int32_t tid);
    // The probe's "G" line: the GIL at `address` (0: not found, `how` says why).
    void gil_at(std::int32_t pid, std::uint64_t address, const std::string& how);
    // The native engine's emulated GIL: an object of this process at [begin, end) whose mutex
    // and condition variables are its only futex words. Classifies waits on it as `gil`; its
    // fields are the emulation's own and are not read.
    void emulated_gil(std::uint64_t begin, std::uint64_t end);
    // The probe's "H" line: thread `tid`'s PyThreadState, as last_holder names it.
    void thread_state(std::int32_t pid, std::int32_t tid, std::uint64_t tstate);

    void start();
    void stop();
    // Everything read so far.
    WaitRecord snapshot() const;

private:
    struct Thread;
    struct Gil;
    void loop();
    void read_all(Nanos now);

    Nanos m_origin;
    Nanos m_interval;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stop = false;
    std::vector<std::unique_ptr<Thread>> m_threads;
    std::vector<std::unique_ptr<Gil>> m_gils;
    std::map<std::pair<std::int32_t, std::uint64_t>, std::int32_t> m_tstates; // (pid, tstate) -> tid
    std::vector<std::string> m_targets { "" };
    std::map<std::string, std::uint16_t> m_target_index;
    std::map<std::int32_t, std::string> m_gil_found;
    bool m_emulated = false;
    std::uint64_t m_refused = 0;
    std::string m_refusal;
    std::uint64_t m_reads = 0;
    Nanos m_reader_cpu = 0;
    std::thread m_thread;
};

} // namespace timeslice
