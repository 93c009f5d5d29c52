// Real Python, told truly (issue 20): short scripts of the kind people write, each run under
// the probe and the kernel, and its recorded trace checked for what no load can bend: which rows
// there are, why each thread was off a core by the kernel's word, who held the GIL, and the
// GIL's own count beside the one drawn. No time budgets.
#include "core/analysis/wait_summary.h"
#include "python_support.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <cstdlib>
#include <unistd.h>

namespace timeslice {
namespace {

using test::script;
using test::script_config;
using test::spans_in;

// Runs `text` as a script with the kernel's record; skips when this machine has no kernel data.
#define RUN_SCRIPT(trace, name, text)                                                                                       \
    REQUIRE_PYTHON();                                                                                                        \
    if (find_python("").free_threaded)                                                                                       \
        GTEST_SKIP() << "a free-threaded Python has no GIL";                                                                 \
    const std::string path_##trace = script(name, text);                                                                     \
    RunConfig config_##trace = script_config(path_##trace);                                                                  \
    config_##trace.kernel.mode = KernelMode::Auto;                                                                           \
    const auto trace = run_to_end(config_##trace);                                                                     \
    ::unlink(path_##trace.c_str());                                                                                          \
    if (trace->kernel.source == KernelSource::None)                                                                          \
        GTEST_SKIP() << "no kernel data on this machine: " << trace->kernel.note;                                           \
    ASSERT_EQ(trace->info.exit, "exit status 0");                                                                            \
    ASSERT_EQ(trace->info.waits_note, "") << "the kernel refused to say why threads slept"

Nanos total(const ReasonTimes& times)
{
    Nanos sum = 0;
    for (Nanos t : times)
        sum += t;
    return sum;
}

Nanos of(const ReasonTimes& times, WaitReason r) { return times[std::size_t(r)]; }

std::vector<std::string> row_names(const Trace& trace)
{
    std::vector<std::string> out;
    for (const TaskTrace& t : trace.tasks)
        out.push_back(t.name);
    return out;
}

TEST(RealPython, TwoSpinningThreadsAreRowsBesideMainThreadAndTheirGilWaitsAreTheKernelsWord)
{
    RUN_SCRIPT(trace, "spin.py", R"(
import threading
def spin(n):
    x = 0
    for i in range(n):
        x += i
threads = [threading.Thread(target=spin, args=(4_000_000,)) for _ in range(2)]
for t in threads: t.start()
for t in threads: t.join()
)");
    EXPECT_EQ(row_names(*trace), (std::vector<std::string> { "MainThread", "Thread-1 (spin)", "Thread-2 (spin)" }));
    EXPECT_TRUE(trace->info.gil_found.starts_with("found")) << trace->info.gil_found;
    for (const char* name : { "Thread-1 (spin)", "Thread-2 (spin)" }) {
        const TaskTrace& t = test::task_named(*trace, name);
        EXPECT_TRUE(t.thread_row);
        EXPECT_EQ(t.status, State::Done);
        const auto waits = spans_in(t, State::GilWait);
        EXPECT_GE(waits.size(), 2u) << name;
        for (const Span& s : waits)
            EXPECT_EQ(s.reason, WaitReason::Gil) << name << " at " << s.start;
    }
    // The GIL's own count of hand-overs is read, and the spinners' turns moved it; hand-overs
    // are drawn too. How close the two counts come depends on how often the reader got a core
    // (a busy machine, a sanitizer, spaces its reads), so that is a benchmark, not a test:
    // bench_core --benchmark_filter=BM_HandOversDrawnAgainstSwitchNumber.
    EXPECT_GT(trace->info.gil_switch_number, 10) << "switch_number read";
    EXPECT_GT(trace->info.gil_hand_overs, 0u);
}

TEST(RealPython, ThreadsBlockedOnAQueueAndASocketAreLockAndIoWaitsNotGilWaits)
{
    RUN_SCRIPT(trace, "mixed.py", R"(
import queue, socket, threading
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen()
client = socket.create_connection(server.getsockname())
peer, _ = server.accept()
q = queue.Queue()
def get():
    q.get()
def recv():
    client.recv(10)
def compute(n):
    x = 0
    for i in range(n):
        x += i
waiters = [threading.Thread(target=get), threading.Thread(target=recv)]
for t in waiters: t.start()
worker = threading.Thread(target=compute, args=(4_000_000,))
worker.start()
worker.join()
q.put(1)
peer.send(b"x")
for t in waiters: t.join()
)");
    const TaskTrace& get = test::task_named(*trace, "Thread-1 (get)");
    const TaskTrace& recv = test::task_named(*trace, "Thread-2 (recv)");
    EXPECT_GT(test::task_named(*trace, "Thread-3 (compute)").time_in(State::Running), 0);
    const ReasonTimes g = off_core_by_reason(get), r = off_core_by_reason(recv);
    // At most 5 % of their off-core time drawn as GIL wait (a woken thread may rightly wait for
    // the GIL before it runs again); most of it on the lock and on the socket.
    EXPECT_LE(of(g, WaitReason::Gil), total(g) / 20);
    EXPECT_LE(of(r, WaitReason::Gil), total(r) / 20);
    EXPECT_GE(of(g, WaitReason::Lock), total(g) * 8 / 10) << "queue.get sleeps on a futex of its own";
    EXPECT_GE(of(r, WaitReason::Io), total(r) * 8 / 10) << "recv sleeps in recvfrom";
    bool named = false;
    for (const Span& s : recv.spans) {
        if (s.reason == WaitReason::Io) {
            ASSERT_LT(s.target, trace->targets.size());
            named = named || trace->targets[s.target].starts_with("socket 127.0.0.1:");
        }
    }
    EXPECT_TRUE(named) << "the I/O wait names the socket's peer";
}

TEST(RealPython, TwoThreadsHashingRunOnCoresAtOnceWithoutTheGil)
{
    RUN_SCRIPT(trace, "hash.py", R"(
import hashlib, threading
data = bytes(32 * 1024 * 1024)
def digest(rounds):
    for _ in range(rounds):
        hashlib.sha256(data).hexdigest()
threads = [threading.Thread(target=digest, args=(3,)) for _ in range(2)]
for t in threads: t.start()
for t in threads: t.join()
)");
    const TaskTrace& a = test::task_named(*trace, "Thread-1 (digest)");
    const TaskTrace& b = test::task_named(*trace, "Thread-2 (digest)");
    // Both computing at the same moment, at least once: each on a core or runnable and kept off
    // one by the kernel (preempted), not waiting for the GIL. (On a machine busier than its
    // cores, two threads need not ever be on cores at once: that is not the GIL's doing.)
    const auto computing = [](const TaskTrace& t) {
        std::vector<Span> out = spans_in(t, State::Running);
        for (const Span& s : spans_in(t, State::Preempted))
            out.push_back(s);
        return out;
    };
    bool together = false;
    for (const Span& x : computing(a)) {
        for (const Span& y : computing(b))
            together = together || (x.start < y.end && y.start < x.end);
    }
    EXPECT_TRUE(together) << "sha256 releases the GIL: both threads compute at once";
    for (const TaskTrace* t : { &a, &b }) {
        Nanos released = 0, running = 0;
        for (const Span& s : spans_in(*t, State::Running)) {
            running += s.duration();
            if (s.gil == GilHold::Released)
                released += s.duration();
        }
        EXPECT_GT(released, running / 2) << t->name << ": on a core without the GIL most of the time";
    }
    EXPECT_GT(running_with_gil(*trace, GilHold::Released), 0);
}

TEST(RealPython, AThreadWaitingForALockASleepingThreadHoldsWaitsOnTheLockNotTheGil)
{
    RUN_SCRIPT(trace, "lock.py", R"(
import threading, time
lock = threading.Lock()
held = threading.Event()
def holder():
    with lock:
        held.set()
        time.sleep(0.2)
def waiter():
    held.wait()
    with lock:
        pass
threads = [threading.Thread(target=holder), threading.Thread(target=waiter)]
for t in threads: t.start()
for t in threads: t.join()
)");
    const ReasonTimes w = off_core_by_reason(test::task_named(*trace, "Thread-2 (waiter)"));
    EXPECT_GE(of(w, WaitReason::Lock), total(w) * 8 / 10);
    EXPECT_LE(of(w, WaitReason::Gil), total(w) / 20);
    const ReasonTimes h = off_core_by_reason(test::task_named(*trace, "Thread-1 (holder)"));
    EXPECT_GE(of(h, WaitReason::Sleep), total(h) * 8 / 10) << "time.sleep is clock_nanosleep";
}

// Where the kernel will not show what a thread sleeps in, the trace says so and nothing is
// guessed: every blocked piece stays blocked, reason unknown, and no GIL wait is drawn.
TEST(RealPython, WhereTheKernelRefusesTheTraceSaysSoAndNothingIsCalledAGilWait)
{
    REQUIRE_PYTHON();
    const std::string path = script("refused.py", R"(
import threading
def spin(n):
    x = 0
    for i in range(n):
        x += i
threads = [threading.Thread(target=spin, args=(2_000_000,)) for _ in range(2)]
for t in threads: t.start()
for t in threads: t.join()
)");
    RunConfig c = script_config(path);
    c.kernel.mode = KernelMode::Auto;
    ::setenv("TIMESLICE_KERNEL_REFUSE", "syscall", 1);
    const auto trace = run_to_end(c);
    ::unsetenv("TIMESLICE_KERNEL_REFUSE");
    ::unlink(path.c_str());
    if (trace->kernel.source == KernelSource::None)
        GTEST_SKIP() << "no kernel data on this machine: " << trace->kernel.note;
    EXPECT_NE(trace->info.waits_note.find("nothing is inferred"), std::string::npos) << trace->info.waits_note;
    Nanos blocked = 0;
    for (const TaskTrace& t : trace->tasks) {
        EXPECT_EQ(t.time_in(State::GilWait), 0) << t.name;
        for (const Span& s : spans_in(t, State::Blocked)) {
            EXPECT_EQ(s.reason, WaitReason::Unknown) << t.name;
            blocked += s.duration();
        }
    }
    EXPECT_GT(blocked, 0) << "the spinners were asleep off a core, waiting for each other";
}

// A thread Python never started (a C extension's; here libc's usleep started by pthread_create
// through ctypes) is a row of its own, named by its thread id, and the kernel says it slept.
// The probe's own helper thread (which finds the GIL) is never one, nor a thread Python started
// without threading.
TEST(RealPython, AThreadPythonNeverStartedIsANativeRowAndTheKernelSaysWhatItDid)
{
    RUN_SCRIPT(trace, "native.py", R"(
import ctypes
libc = ctypes.CDLL(None)
libc.pthread_create.argtypes = (ctypes.POINTER(ctypes.c_ulong), ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
libc.pthread_join.argtypes = (ctypes.c_ulong, ctypes.c_void_p)
thread = ctypes.c_ulong()
usleep = ctypes.cast(libc.usleep, ctypes.c_void_p)
assert libc.pthread_create(ctypes.byref(thread), None, usleep, 300_000) == 0
assert libc.pthread_join(thread, None) == 0
import _thread
done = _thread.allocate_lock()
done.acquire()
def finish():
    done.release()
_thread.start_new_thread(finish, ())
done.acquire()
)");
    const std::vector<std::string> names = row_names(*trace);
    ASSERT_EQ(names.size(), 3u) << fmt::format("{}", fmt::join(names, ", "));
    EXPECT_EQ(names[0], "MainThread");
    EXPECT_EQ(names[1], "_thread (finish)") << "a thread of _thread.start_new_thread is Python's, named by its function";
    const TaskTrace& native = trace->tasks[2];
    EXPECT_TRUE(native.name.starts_with("thread ") && native.name.ends_with(" (native)")) << native.name;
    EXPECT_TRUE(native.thread_row);
    EXPECT_EQ(native.status, State::Done);
    ASSERT_FALSE(native.spans.empty());
    EXPECT_EQ(native.name, fmt::format("thread {} (native)", native.spans.front().tid()));
    EXPECT_NE(native.spans.front().tid(), native.spans.front().pid());
    const ReasonTimes w = off_core_by_reason(native);
    EXPECT_GE(of(w, WaitReason::Sleep), total(w) * 8 / 10) << "usleep is clock_nanosleep";
    EXPECT_EQ(of(w, WaitReason::Gil), 0);
}

// multiprocessing.Process children, forked and spawned, are rows of their own, named as
// multiprocessing names them with their target, and the kernel has them on cores in their own
// processes.
TEST(RealPython, MultiprocessingChildrenForkedAndSpawnedAreRowsOfTheirOwn)
{
    RUN_SCRIPT(trace, "children.py", R"(
import multiprocessing as mp
def work(n):
    x = 0
    for i in range(n):
        x += i
if __name__ == "__main__":
    children = [mp.get_context(how).Process(target=work, args=(2_000_000,)) for how in ("fork", "spawn")]
    for c in children: c.start()
    for c in children: c.join()
    assert all(c.exitcode == 0 for c in children)
)");
    EXPECT_EQ(row_names(*trace), (std::vector<std::string> { "MainThread", "ForkProcess-1 (work)", "SpawnProcess-2 (work)" }));
    const std::int32_t parent = test::task_named(*trace, "MainThread").spans.front().pid();
    std::set<std::int32_t> pids;
    for (const char* name : { "ForkProcess-1 (work)", "SpawnProcess-2 (work)" }) {
        const TaskTrace& child = test::task_named(*trace, name);
        EXPECT_TRUE(child.thread_row);
        EXPECT_EQ(child.status, State::Done) << name;
        EXPECT_GT(child.time_in(State::Running), 0) << name;
        for (const Span& s : child.spans) {
            EXPECT_NE(s.pid(), parent) << name;
            EXPECT_EQ(s.pid(), s.tid()) << name << ": its process's main thread";
            pids.insert(s.pid());
        }
    }
    EXPECT_EQ(pids.size(), 2u) << "two processes";
}

TEST(RealPython, GatherOfOneCoroutineWithThreeArgumentsGivesThreeNamedRows)
{
    REQUIRE_PYTHON();
    const std::string path = script("gather.py", R"(
import asyncio
async def fetch(name):
    await asyncio.sleep(0.01)
    return name
async def main():
    return await asyncio.gather(fetch("alpha"), fetch("beta"), fetch("gamma"))
print(asyncio.run(main()))
)");
    const auto trace = run_to_end(script_config(path));
    ::unlink(path.c_str());
    for (const char* name : { "fetch('alpha')", "fetch('beta')", "fetch('gamma')" })
        EXPECT_EQ(test::task_named(*trace, name).status, State::Done) << name;
}

} // namespace
} // namespace timeslice
