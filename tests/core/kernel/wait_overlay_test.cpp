// Why a real Python thread was off every core: the classifier on the kernel's own text, and the
// overlay on recorded fixtures (exact expectations). Nothing is a GIL wait unless the kernel had
// the thread asleep on the GIL's own futex.
#include "core/kernel/overlay.h"
#include "core/kernel/wait_overlay.h"
#include "core/kernel/wait_sampler.h"

#include <gtest/gtest.h>

#include <sys/syscall.h>
#include <tuple>

using namespace timeslice;

namespace {

using Piece = std::tuple<Nanos, Nanos, State, WaitReason>;

std::vector<Piece> pieces(const TaskTrace& t)
{
    std::vector<Piece> out;
    for (const Span& s : t.spans)
        out.emplace_back(s.start, s.end, s.state, s.reason);
    return out;
}

// Two threads of one CPython process (pid 1, threads 11 and 12), each its own row, running
// 0-30 by the probe; the kernel's record of when each was on a core.
Trace two_threads()
{
    Trace trace;
    trace.info.engine = "cpython";
    trace.info.model = "script";
    trace.info.gil = true;
    trace.info.cores = 2;
    trace.tasks.resize(2);
    trace.tasks[0].name = "Thread-1 (spin)";
    trace.tasks[0].thread_row = true;
    trace.tasks[0].spans = { Span { 0, 30, 1, 11, -1, State::Running } };
    trace.tasks[1].name = "Thread-2 (get)";
    trace.tasks[1].thread_row = true;
    trace.tasks[1].spans = { Span { 0, 30, 1, 12, -1, State::Running } };
    return trace;
}

KernelRecord kernel_record()
{
    KernelRecord record;
    record.source = KernelSource::Exact;
    // Thread 11 runs 0-10 and 20-30; thread 12 runs 10-20 and is asleep otherwise.
    record.threads.push_back(ThreadKernel { 1, 11, { { 0, 10, 0, CpuState::OnCore }, { 10, 20, -1, CpuState::Blocked }, { 20, 30, 0, CpuState::OnCore } }, {} });
    record.threads.push_back(ThreadKernel { 1, 12, { { 0, 10, -1, CpuState::Blocked }, { 10, 20, 1, CpuState::OnCore }, { 20, 30, -1, CpuState::Blocked } }, {} });
    return record;
}

TEST(WaitOverlay, ABlockedPieceTakesTheReasonTheKernelGaveAndOnlyTheGilsFutexIsAGilWait)
{
    Trace trace = two_threads();
    apply_kernel(trace, kernel_record());
    WaitRecord waits;
    waits.targets = { "", "socket 127.0.0.1:5000" };
    // Thread 11, asleep 10-20: read on the GIL's futex 11-19. Thread 12: on a queue's futex
    // 1-9, then in recv on a socket 21-29.
    waits.threads.push_back(ThreadWaits { 1, 11, { { 11, 19, WaitReason::Gil, 0 } } });
    waits.threads.push_back(ThreadWaits { 1, 12, { { 1, 9, WaitReason::Lock, 0 }, { 21, 29, WaitReason::Io, 1 } } });
    apply_waits(trace, waits);

    using V = std::vector<Piece>;
    EXPECT_EQ(pieces(trace.tasks[0]), (V { { 0, 10, State::Running, WaitReason::None }, { 10, 20, State::GilWait, WaitReason::Gil }, { 20, 30, State::Running, WaitReason::None } }));
    EXPECT_EQ(pieces(trace.tasks[1]), (V { { 0, 10, State::Blocked, WaitReason::Lock }, { 10, 20, State::Running, WaitReason::None }, { 20, 30, State::Waiting, WaitReason::Io } }));
    ASSERT_EQ(trace.targets, (std::vector<std::string> { "", "socket 127.0.0.1:5000" }));
    EXPECT_EQ(trace.tasks[1].spans[2].target, 1);
    EXPECT_EQ(trace.info.gil_hand_overs, 1u) << "one gil-wait followed by running";
    EXPECT_FALSE(trace.info.gil_inferred);
}

TEST(WaitOverlay, ABlockedPieceNoReadFellInIsUnknownNeverAGilWait)
{
    Trace trace = two_threads();
    apply_kernel(trace, kernel_record());
    WaitRecord waits; // nothing read: the blocks were too short, or the kernel refused
    waits.note = "the kernel refused to show thread 12's system call (Permission denied)";
    apply_waits(trace, waits);
    for (const TaskTrace& t : trace.tasks) {
        EXPECT_EQ(t.time_in(State::GilWait), 0) << t.name;
        for (const Span& s : t.spans) {
            if (s.state != State::Running) {
                EXPECT_EQ(s.state, State::Blocked);
                EXPECT_EQ(s.reason, WaitReason::Unknown);
            }
        }
    }
    EXPECT_EQ(trace.info.gil_hand_overs, 0u);
    EXPECT_EQ(trace.info.waits_note, waits.note);
    EXPECT_EQ(trace.info.gil_switch_number, -1) << "no GIL was read";
}

TEST(WaitOverlay, RunningSpansSayWhetherTheirThreadHeldTheGilAndTheGilsOwnCountIsKept)
{
    Trace trace = two_threads();
    // Both threads on a core the whole time (hashing with the GIL released).
    KernelRecord record;
    record.source = KernelSource::Exact;
    record.threads.push_back(ThreadKernel { 1, 11, { { 0, 30, 0, CpuState::OnCore } }, {} });
    record.threads.push_back(ThreadKernel { 1, 12, { { 0, 30, 1, CpuState::OnCore } }, {} });
    apply_kernel(trace, record);
    WaitRecord waits;
    ProcessGil gil;
    gil.pid = 1;
    gil.range = { 0x1000, 0x1000 + gil_struct_size() };
    // Unlocked 0-25 (both in C code that released it), then held by thread 11.
    gil.runs = { { 0, 25, false, 11 }, { 26, 30, true, 11 } };
    gil.first_switch = 40;
    gil.last_switch = 52;
    gil.reads = 30;
    waits.gils.push_back(gil);
    waits.gil_found = "found by the probe";
    apply_waits(trace, waits);
    ASSERT_EQ(trace.tasks[0].spans.size(), 1u);
    EXPECT_EQ(trace.tasks[0].spans[0].gil, GilHold::Released) << "25 of 30 unlocked";
    EXPECT_EQ(trace.tasks[1].spans[0].gil, GilHold::Released);
    EXPECT_EQ(trace.info.gil_switch_number, 12);
    EXPECT_EQ(trace.info.gil_found, "found by the probe");

    // Held by thread 12 most of the time: 12 held it, 11 ran without it.
    Trace held = two_threads();
    apply_kernel(held, record);
    waits.gils[0].runs = { { 0, 29, true, 12 } };
    apply_waits(held, waits);
    EXPECT_EQ(held.tasks[0].spans[0].gil, GilHold::Released);
    EXPECT_EQ(held.tasks[1].spans[0].gil, GilHold::Held);
}

// Hand-overs are turns, not every piece of running after a GIL wait: a waiter's brief wake-ups
// without the GIL (take_gil's timed wait, a forced dropper between its two waits) go straight
// back to waiting with no read of the GIL in them, and are not counted; a turn a read had the
// thread holding the GIL is, and so is one that ends in a block of its own.
TEST(WaitOverlay, AHandOverIsATurnWithTheGilNotAWaitersBriefWakeUp)
{
    Trace trace = two_threads();
    trace.tasks.resize(1);
    trace.tasks[0].spans = { Span { 0, 50, 1, 11, -1, State::Running } };
    KernelRecord record;
    record.source = KernelSource::Exact;
    record.threads.push_back(ThreadKernel { 1, 11,
        { { 0, 10, -1, CpuState::Blocked }, { 10, 11, 0, CpuState::OnCore }, // a wake-up, back to waiting
            { 11, 20, -1, CpuState::Blocked }, { 20, 24, 0, CpuState::OnCore }, { 24, 25, -1, CpuState::Preempted },
            { 25, 30, 0, CpuState::OnCore }, // a turn, read holding the GIL, then asks for it again
            { 30, 40, -1, CpuState::Blocked }, { 40, 41, 0, CpuState::OnCore }, // a wake-up, then a block too short to read
            { 41, 42, -1, CpuState::Blocked }, { 42, 50, 0, CpuState::OnCore } },
        {} });
    apply_kernel(trace, record);
    WaitRecord waits;
    waits.threads.push_back(ThreadWaits { 1, 11, { { 1, 9, WaitReason::Gil, 0 }, { 12, 19, WaitReason::Gil, 0 }, { 31, 39, WaitReason::Gil, 0 } } });
    ProcessGil gil;
    gil.pid = 1;
    gil.runs = { { 1, 19, true, 12 }, { 21, 29, true, 11 }, { 31, 39, true, 12 }, { 43, 49, true, 11 } };
    gil.first_switch = 0;
    gil.last_switch = 2;
    gil.reads = 40;
    waits.gils.push_back(gil);
    apply_waits(trace, waits);
    EXPECT_EQ(trace.info.gil_hand_overs, 2u) << "the turn at 20 and the one at 40; not the wake-up at 10";
    EXPECT_EQ(trace.info.gil_switch_number, 2);
}

TEST(WaitOverlay, TheNativeEmulationsGilWaitsAreCheckedAgainstTheKernelAndKeepTheirCount)
{
    Trace trace = two_threads();
    trace.info.engine = "native";
    trace.info.gil_hand_overs = 7; // the emulated GIL's own count
    trace.tasks[0].spans = { Span { 0, 10, 1, 11, -1, State::Running }, Span { 10, 20, 1, 11, -1, State::GilWait }, Span { 20, 30, 1, 11, -1, State::Running } };
    trace.tasks[1].spans = { Span { 0, 10, 1, 12, -1, State::GilWait }, Span { 10, 20, 1, 12, -1, State::Running }, Span { 20, 30, 1, 12, -1, State::Waiting } };
    WaitRecord waits;
    waits.emulated = true;
    // Thread 11's gil-wait: on the emulated GIL. Thread 12's: on some other futex (wrong).
    waits.threads.push_back(ThreadWaits { 1, 11, { { 11, 19, WaitReason::Gil, 0 } } });
    waits.threads.push_back(ThreadWaits { 1, 12, { { 1, 9, WaitReason::Lock, 0 }, { 21, 29, WaitReason::Lock, 0 } } });
    apply_waits(trace, waits);
    EXPECT_EQ(trace.tasks[0].spans[1].state, State::GilWait);
    EXPECT_EQ(trace.tasks[0].spans[1].reason, WaitReason::Gil);
    EXPECT_EQ(trace.tasks[1].spans[0].state, State::GilWait) << "the emulation's word is drawn";
    EXPECT_EQ(trace.tasks[1].spans[0].reason, WaitReason::Lock) << "...with the kernel's beside it";
    EXPECT_EQ(trace.tasks[1].spans[2].reason, WaitReason::None) << "an emulated wait sleeps on the Stop token: not I/O";
    EXPECT_EQ(trace.info.gil_waits_elsewhere, 1);
    EXPECT_EQ(trace.info.gil_hand_overs, 7u);
    EXPECT_EQ(trace.info.gil_switch_number, -1);
}

TEST(WaitOverlay, AThreadsOwnRowLeavesItsThreadToATaskWhileTheTaskRunsOnIt)
{
    Trace trace;
    trace.tasks.resize(2);
    trace.tasks[0].name = "MainThread";
    trace.tasks[0].thread_row = true;
    trace.tasks[0].spans = { Span { 0, 100, 1, 1, -1, State::Running } };
    trace.tasks[1].name = "fetch('alpha')";
    trace.tasks[1].spans = { Span { 20, 30, 1, 1, -1, State::Running }, Span { 30, 60, 1, 1, -1, State::Waiting }, Span { 60, 70, 1, 1, -1, State::Running } };
    carve_thread_rows(trace);
    std::vector<std::pair<Nanos, Nanos>> main;
    for (const Span& s : trace.tasks[0].spans)
        main.emplace_back(s.start, s.end);
    EXPECT_EQ(main, (std::vector<std::pair<Nanos, Nanos>> { { 0, 20 }, { 30, 60 }, { 70, 100 } }));
}

TEST(SyscallFile, ParsesTheKernelsTextAndRefusesAnythingElse)
{
    EXPECT_TRUE(parse_syscall("running\n")->running);
    const auto futex = parse_syscall("202 0x7f6093f4e6f4 0x189 0x0 0x0 0x0 0xffffffff 0x7ffd1c0 0x7f60\n");
    ASSERT_TRUE(futex);
    EXPECT_EQ(futex->number, 202);
    EXPECT_EQ(futex->args[0], 0x7f6093f4e6f4u);
    EXPECT_EQ(futex->args[1], 0x189u);
    const auto outside = parse_syscall("-1 0x7ffd1c0 0x7f60\n");
    ASSERT_TRUE(outside);
    EXPECT_EQ(outside->number, -1);
    EXPECT_FALSE(parse_syscall(""));
    EXPECT_FALSE(parse_syscall("futex 0x1"));
    EXPECT_FALSE(parse_syscall("202 0x1 0x2"));
    EXPECT_FALSE(parse_syscall("202 0x1 0x2 0x3 0x4 0x5 zz"));
}

TEST(SyscallFile, EachCallHasItsReasonAndTheGilIsOnlyItsOwnWords)
{
    const GilRange gil { 0x1000, 0x1000 + gil_struct_size() };
    const auto call = [](long n, std::uint64_t a0) {
        SyscallRead r;
        r.number = n;
        r.args[0] = a0;
        return r;
    };
    EXPECT_EQ(classify_syscall(call(SYS_futex, 0x1000 + 0x48), gil).reason, WaitReason::Gil);
    EXPECT_EQ(classify_syscall(call(SYS_futex, 0x1000 + gil_struct_size()), gil).reason, WaitReason::Lock) << "one past the GIL";
    EXPECT_EQ(classify_syscall(call(SYS_futex, 0x1048), std::nullopt).reason, WaitReason::Lock) << "GIL not found: never a GIL wait";
    const Classified recv = classify_syscall(call(SYS_recvfrom, 5), gil);
    EXPECT_EQ(recv.reason, WaitReason::Io);
    EXPECT_EQ(recv.fd, 5);
    EXPECT_EQ(classify_syscall(call(SYS_clock_nanosleep, 1), gil).reason, WaitReason::Sleep);
    EXPECT_EQ(classify_syscall(call(SYS_wait4, 99), gil).reason, WaitReason::Child);
    EXPECT_EQ(classify_syscall(call(SYS_waitid, 1), gil).reason, WaitReason::Child);
    EXPECT_EQ(classify_syscall(call(SYS_getpid, 0), gil).reason, WaitReason::Other);
    SyscallRead running;
    running.running = true;
    EXPECT_EQ(classify_syscall(running, gil).reason, WaitReason::None);
}

TEST(SyscallFile, AnIoWaitNamesTheSocketsPeerAPipeOrAPath)
{
    // /proc/PID/net/tcp: local 127.0.0.1:40000, peer 127.0.0.1:5000 (0x1388), inode 777.
    const std::string tcp = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
                            "   0: 0100007F:9C40 0100007F:1388 01 00000000:00000000 00:00000000 00000000     0        0 777 1 0\n";
    EXPECT_EQ(describe_fd_link("socket:[777]", tcp, ""), "socket 127.0.0.1:5000");
    EXPECT_EQ(describe_fd_link("socket:[778]", tcp, ""), "socket");
    EXPECT_EQ(describe_fd_link("pipe:[123]", "", ""), "pipe");
    EXPECT_EQ(describe_fd_link("anon_inode:[eventpoll]", "", ""), "epoll");
    EXPECT_EQ(describe_fd_link("/data/table.csv", "", ""), "/data/table.csv");
}

} // namespace
