// The cpython engine: real Python runs Timeslice's programs and scripts of the tests' own, and
// the probe's record is checked for what no load can bend: who ran where, what overlapped, in
// what order, with what result and status.
#include "core/run/compare.h"
#include "core/kernel/overlay.h"
#include "core/python/engine.h"
#include "core/python/probe_reader.h"
#include "core/run/runner.h"
#include "core/formats/trace_json.h"
#include "python_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <iterator>
#include <filesystem>
#include <set>
#include <sys/stat.h>

namespace timeslice {
namespace {

using test::cpython;
using test::script;
using test::script_config;
using test::spans_in;

// The first moment every task was waiting at once, or -1 if they never were.
Nanos all_waiting_at_once(const Trace& trace)
{
    Nanos latest_start = 0, earliest_end = std::numeric_limits<Nanos>::max();
    for (const TaskTrace& t : trace.tasks) {
        const auto waits = spans_in(t, State::Waiting);
        if (waits.empty())
            return -1;
        latest_start = std::max(latest_start, waits.front().start);
        earliest_end = std::min(earliest_end, waits.back().end);
    }
    return latest_start < earliest_end ? latest_start : -1;
}

TEST(ProbeLine, ParsesEveryKindAndRefusesWhatDoesNotFollowTheFormat)
{
    ProbeLine p;
    ASSERT_TRUE(parse_probe_line("T 123 10 11 10.1 0 load_data('A')", p));
    EXPECT_EQ(p.kind, 'T');
    EXPECT_EQ(p.t, 123);
    EXPECT_EQ(p.pid, 10);
    EXPECT_EQ(p.tid, 11);
    EXPECT_EQ(p.key, "10.1");
    EXPECT_EQ(p.rest, "0 load_data('A')");
    ASSERT_TRUE(parse_probe_line("E 5 10 12", p));
    EXPECT_EQ(p.kind, 'E');
    EXPECT_EQ(p.tid, 12);
    ASSERT_TRUE(parse_probe_line("D 7 10 11 10.1 a\\\\b\\nc", p));
    EXPECT_EQ(unescape_probe_text(p.rest), "a\\b\nc");
    for (const char* bad : { "", "T", "Q 1 2 3 k", "R x 2 3 k", "R 1 2 3", "R 1 2", "R -1 2 3 k x", "R 1 2 3x k" })
        EXPECT_FALSE(parse_probe_line(bad, p)) << bad;
}

TEST(ProbeReader, ADaskPieceThatSeemsToStartBeforeItsSubmissionIsDrawnWhole)
{
    // Seen under load: the client's T line came 0.45 ms after the worker's clock said the task
    // had started, and the row was drawn running 0.45 ms, then queued for its whole second. A
    // tiny task may even end before its T line.
    const Workload workload;
    Recorder recorder;
    CancelToken cancel;
    Outcomes outcomes;
    std::vector<std::string> names;
    RunContext ctx { workload, recorder, cancel, outcomes };
    ctx.declare_task = [&](std::string name, bool) {
        outcomes.add();
        names.push_back(name);
        return std::uint32_t(outcomes.size() - 1);
    };
    ProbeReader reader(ctx, false, 10);
    reader.line("T 1000000 10 10 10.1 0 late-T");
    reader.line("K 999550 10 41 10.1 compute 2000000 0 0 tcp://127.0.0.1:1");
    reader.line("T 1000100 10 10 10.2 0 in-order");
    reader.line("K 1000500 10 41 10.2 compute 2000000 0 0 tcp://127.0.0.1:1");
    reader.line("T 1000200 10 10 10.3 0 done-before-T");
    reader.line("K 999900 10 41 10.3 compute 999950 0 0 tcp://127.0.0.1:1");
    for (const char* key : { "10.1", "10.2", "10.3" })
        reader.line(std::string("D 2000000 10 41 ") + key + " ");
    std::vector<Event> events;
    RecorderCursor cursor;
    recorder.collect(cursor, events);
    TraceBuilder builder(RunInfo {}, names, 0);
    builder.add(events);
    const Trace trace = builder.build(2000000, {}, true);
    ASSERT_EQ(trace.tasks.size(), 3u);
    EXPECT_EQ(trace.tasks[0].time_in(State::Running), 2000000 - 999550);
    EXPECT_EQ(trace.tasks[1].time_in(State::Running), 2000000 - 1000500);
    EXPECT_EQ(trace.tasks[2].time_in(State::Running), 50);
    EXPECT_EQ(outcomes.worker(0), "tcp://127.0.0.1:1");
}

TEST(FindPython, NamesWhatItLookedForWhenPythonIsMissingOrTooOld)
{
    try {
        find_python("no-such-python-3.99");
        FAIL() << "no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("'no-such-python-3.99' on PATH"), std::string::npos) << e.what();
    }
    // An interpreter that says it is Python 3.7 (a script standing in for one).
    const std::string old = script("python37.sh", "#!/bin/sh\necho '3 7 3 0 /usr/bin/python3.7'\n");
    ::chmod(old.c_str(), 0755);
    try {
        find_python(old);
        FAIL() << "no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("Python 3.7.3; Timeslice's probe needs Python 3.8 or newer"), std::string::npos)
            << e.what();
    }
    try {
        find_python("/bin/false");
        FAIL() << "no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("is not a Python 3 interpreter"), std::string::npos) << e.what();
    }
    ::unlink(old.c_str());
}

// What is learnt of an interpreter is kept while its file is the same: a second Run does not
// start it again to read its version. A changed file is asked again, and so is a script in its
// place (pyenv's python3 picks an interpreter each time it runs).
TEST(FindPython, AnInterpreterIsAskedOnceWhileItsFileIsTheSame)
{
    char dir_template[] = "/tmp/timeslice-python-XXXXXX";
    ASSERT_NE(::mkdtemp(dir_template), nullptr);
    const std::string dir = dir_template;
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    const std::string counting = self.substr(0, self.rfind('/') + 1) + "counting-python";
    const std::string python = dir + "/python3";
    const std::string log = dir + "/runs";
    std::filesystem::copy_file(counting, python);
    ::setenv("COUNTING_PYTHON_LOG", log.c_str(), 1);
    const auto runs = [&] {
        std::ifstream in(log);
        return std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n');
    };

    const PythonInfo first = find_python(python);
    EXPECT_EQ(first.version(), "3.11.7");
    EXPECT_EQ(first.path, python);
    EXPECT_EQ(runs(), 1);
    const PythonInfo again = find_python(python);
    EXPECT_EQ(runs(), 1) << "the same file: not asked again";
    EXPECT_EQ(again.path, first.path);
    EXPECT_EQ(again.executable, python);
    EXPECT_EQ(again.version(), first.version());

    std::ofstream(python, std::ios::app) << '\0'; // another size: another file
    find_python(python);
    EXPECT_EQ(runs(), 2) << "a changed file is asked again";

    std::filesystem::remove(python);
    std::ofstream(python) << "#!/bin/sh\necho run >> " << log << "\necho '3 12 1 0 " << python << "'\n";
    ::chmod(python.c_str(), 0755);
    EXPECT_EQ(find_python(python).version(), "3.12.1");
    EXPECT_EQ(find_python(python).version(), "3.12.1");
    EXPECT_EQ(runs(), 4) << "a script is asked every time";
    ::unsetenv("COUNTING_PYTHON_LOG");
    std::filesystem::remove_all(dir);
}

// An import check is kept while the module's own file is the same: a module removed, or
// installed again, is asked again (a window that found distributed must not say so after
// `pip uninstall distributed`).
TEST(CheckImport, AModuleRemovedOrChangedIsAskedAgain)
{
    REQUIRE_PYTHON();
    const std::string venv = test::temp_path("venv-import-check");
    const test::RemovedAtEnd remove_venv(venv);
    const std::string base = find_python("").path;
    ASSERT_EQ(std::system((base + " -m venv --without-pip " + venv + " >/dev/null 2>&1").c_str()), 0);
    const PythonInfo python = find_python(venv + "/bin/python3");
    // The venv's site-packages, as the interpreter names it.
    std::string packages;
    for (const auto& e : std::filesystem::recursive_directory_iterator(venv + "/lib"))
        if (e.path().filename() == "site-packages")
            packages = e.path().string();
    ASSERT_FALSE(packages.empty());
    const std::string module = packages + "/timeslice_probe_check";
    std::filesystem::create_directories(module);
    std::ofstream(module + "/__init__.py") << "x = 1\n";

    EXPECT_TRUE(check_import(python, "timeslice_probe_check").ok);
    EXPECT_TRUE(check_import(python, "timeslice_probe_check").ok);
    std::filesystem::remove_all(module);
    const ImportCheck gone = check_import(python, "timeslice_probe_check");
    EXPECT_FALSE(gone.ok) << "a removed module was still said to be there";
    EXPECT_NE(gone.error.find("No module named 'timeslice_probe_check'"), std::string::npos) << gone.error;
    std::filesystem::create_directories(module);
    std::ofstream(module + "/__init__.py") << "x = 2\n";
    EXPECT_TRUE(check_import(python, "timeslice_probe_check").ok) << "installed again";
}

TEST(CPythonEngine, TableLoadingWithThreadPoolExecutorWaitsOnThreeThreadsAtOnce)
{
    REQUIRE_PYTHON();
    // Waits of 0.3, 0.6 and 1.5 s: ThreadPoolExecutor starts a thread per submit, and all three
    // must be asleep before A wakes, however busy the machine.
    RunConfig c = cpython("table-loading", ModelKind::Threads);
    c.workload_options.scale = 0.3;
    const auto trace = run_to_end(c);
    EXPECT_EQ(trace->info.engine, "cpython");
    EXPECT_FALSE(trace->info.python.empty());
    EXPECT_EQ(trace->info.exit, "exit status 0");
    ASSERT_EQ(trace->tasks.size(), 3u);
    std::set<int> tids;
    for (const TaskTrace& t : trace->tasks) {
        EXPECT_EQ(t.status, State::Done) << t.name << ": " << t.reason;
        EXPECT_EQ(t.pid, trace->tasks[0].pid);
        tids.insert(t.tid);
    }
    EXPECT_EQ(tids.size(), 3u);
    EXPECT_EQ(trace->tasks[0].result, "A");
    EXPECT_EQ(trace->tasks[2].result, "C");
    EXPECT_GE(all_waiting_at_once(*trace), 0) << "three waits in flight at once";
    // Each wait lasts at least what was asked (1, 2 and 5 s at 0.3x).
    const double asked[] = { 0.3, 0.6, 1.5 };
    for (int i = 0; i < 3; ++i)
        EXPECT_GE(spans_in(trace->tasks[std::size_t(i)], State::Waiting).front().duration(), Nanos(asked[i] * 1e9) - 1);
}

TEST(CPythonEngine, TableLoadingWithTwoWorkerProcessesRunsCInAsWorkerAfterAEnds)
{
    REQUIRE_PYTHON();
    RunConfig c = cpython("table-loading", ModelKind::Processes);
    c.model_options.workers = 2;
    // B goes to the second worker unless that worker is not up by the time A's wait ends (the
    // pool forks both at the first submit): A waits 0.3 s here, long enough on any machine.
    c.workload_options.scale = 0.3;
    const auto trace = run_to_end(c);
    const TaskTrace& a = test::task_named(*trace, "A");
    const TaskTrace& b = test::task_named(*trace, "B");
    const TaskTrace& cc = test::task_named(*trace, "C");
    for (const TaskTrace* t : { &a, &b, &cc })
        ASSERT_EQ(t->status, State::Done) << t->name << ": " << t->reason;
    EXPECT_NE(a.pid, b.pid) << "two worker processes";
    EXPECT_EQ(cc.pid, a.pid) << "C runs in the worker A freed";
    EXPECT_GE(cc.started, a.finished);
    EXPECT_EQ(spans_in(cc, State::Queued).size(), 1u);
}

TEST(CPythonEngine, AsyncioGatherWaitsThreeTimesAtOnceOnOneThread)
{
    REQUIRE_PYTHON();
    const auto trace = run_to_end(cpython("async-delay", ModelKind::Async));
    ASSERT_EQ(trace->tasks.size(), 3u) << "asyncio.run's main() is not a task row of a built-in program";
    std::set<std::pair<int, int>> threads;
    for (const TaskTrace& t : trace->tasks) {
        EXPECT_EQ(t.status, State::Done) << t.name << ": " << t.reason;
        for (const Span& s : t.spans) {
            if (s.state != State::Queued)
                threads.insert({ s.pid(), s.tid() });
        }
    }
    EXPECT_EQ(threads.size(), 1u) << "one event loop thread";
    EXPECT_GE(all_waiting_at_once(*trace), 0);
    // B (1 s) ends first, then A (2 s), then C (3 s).
    EXPECT_LT(test::task_named(*trace, "B").finished, test::task_named(*trace, "A").finished);
    EXPECT_LT(test::task_named(*trace, "A").finished, test::task_named(*trace, "C").finished);
}

// A selector wait: a task awaiting a socket waits, off the loop, until the bytes arrive, is
// ready once the selector has said so, and runs after that.
TEST(CPythonEngine, AnAsyncioTaskAwaitingASocketWaitsUntilTheBytesArriveThenIsReady)
{
    REQUIRE_PYTHON();
    const std::string path = script("socket.py", R"(
import asyncio, socket
async def reader(sock):
    data = await asyncio.get_running_loop().sock_recv(sock, 16)
    return data.decode()
async def writer(sock):
    await asyncio.sleep(0.05)
    sock.send(b"table")
    return "sent"
async def main():
    a, b = socket.socketpair()
    a.setblocking(False)
    b.setblocking(False)
    r = asyncio.create_task(reader(a))
    w = asyncio.create_task(writer(b))
    print(await r, await w)
asyncio.run(main())
)");
    Runner runner(script_config(path));
    runner.start();
    runner.wait();
    const auto trace = runner.snapshot();
    EXPECT_EQ(runner.python_outcome().output, "table sent\n");
    const TaskTrace& reader = test::task_named(*trace, "reader");
    const TaskTrace& writer = test::task_named(*trace, "writer");
    ASSERT_EQ(reader.status, State::Done) << reader.reason;
    ASSERT_EQ(writer.status, State::Done) << writer.reason;
    const auto reader_waits = spans_in(reader, State::Waiting);
    const auto writer_waits = spans_in(writer, State::Waiting);
    ASSERT_EQ(reader_waits.size(), 1u);
    ASSERT_FALSE(writer_waits.empty());
    // The reader waited from before the writer slept until after it woke: no bytes came sooner.
    EXPECT_LE(reader_waits.front().start, writer_waits.front().start);
    EXPECT_GE(reader_waits.front().end, writer_waits.front().end);
    // Then it was ready (the selector saw the bytes; the loop had not resumed it yet), then ran.
    const auto ready = spans_in(reader, State::Ready);
    ASSERT_FALSE(ready.empty());
    EXPECT_EQ(ready.front().start, reader_waits.front().end);
    EXPECT_GT(reader.finished, ready.front().start);
    ::unlink(path.c_str());
}

TEST(CPythonEngine, SquareNumbersInProcessesComputesAtOnceInDistinctProcessesWithExactResults)
{
    REQUIRE_PYTHON();
    RunConfig c = cpython("square-numbers", ModelKind::Processes);
    c.workload_options.tasks = 2;
    // ~0.5 s of Python each: the second worker is computing before the first is done unless a
    // busy machine starts it that much later (fork starts both at the first submit).
    c.workload_options.iterations = 6'000'000;
    c.model_options.workers = 2;
    const auto trace = run_to_end(c);
    ASSERT_EQ(trace->tasks.size(), 2u);
    const TaskTrace& a = trace->tasks[0];
    const TaskTrace& b = trace->tasks[1];
    EXPECT_NE(a.pid, b.pid);
    const std::string expected = "71999982000001000000"; // sum of i*i for i < 6,000,000
    EXPECT_EQ(a.result, expected);
    EXPECT_EQ(b.result, expected);
    const auto ra = spans_in(a, State::Running), rb = spans_in(b, State::Running);
    ASSERT_FALSE(ra.empty());
    ASSERT_FALSE(rb.empty());
    EXPECT_LT(std::max(ra.front().start, rb.front().start), std::min(ra.back().end, rb.back().end)) << "both computing at once";
}

TEST(CPythonEngine, SquareNumbersInTwoThreadsAlternatesRunningAndGilWaitsTheKernelSawOnTheGil)
{
    REQUIRE_PYTHON();
    RunConfig c = cpython("square-numbers", ModelKind::Threads);
    c.workload_options.tasks = 2;
    c.workload_options.iterations = 3'000'000;
    c.model_options.workers = 2;
    c.kernel.mode = KernelMode::Auto;
    const auto trace = run_to_end(c);
    if (trace->kernel.source == KernelSource::None)
        GTEST_SKIP() << "no kernel data on this machine: " << trace->kernel.note;
    if (find_python("").free_threaded)
        GTEST_SKIP() << "a free-threaded Python has no GIL to wait for";
    EXPECT_FALSE(trace->info.gil_inferred) << "nothing is inferred";
    EXPECT_TRUE(trace->info.gil_found.starts_with("found")) << trace->info.gil_found;
    EXPECT_GT(trace->info.gil_hand_overs, 2u);
    for (const TaskTrace& t : trace->tasks) {
        EXPECT_EQ(t.status, State::Done);
        for (const Span& s : spans_in(t, State::GilWait))
            EXPECT_EQ(s.reason, WaitReason::Gil) << t.name << " at " << s.start;
        EXPECT_GT(t.time_in(State::GilWait), 0) << t.name;
        EXPECT_GT(t.time_in(State::Running), 0) << t.name;
        // Alternating: a gil-wait followed by running, more than once.
        int turns = 0;
        for (std::size_t k = 0; k + 1 < t.spans.size(); ++k)
            turns += t.spans[k].state == State::GilWait && t.spans[k + 1].state == State::Running;
        EXPECT_GE(turns, 2) << t.name;
    }
}

TEST(CPythonEngine, MixedWithThreadsShowsTheConvoyEffectIoThreadsWaitForTheGilAfterTheirWaits)
{
    REQUIRE_PYTHON();
    RunConfig c = cpython("mixed", ModelKind::Threads);
    c.workload_options.iterations = 20'000'000;
    c.workload_options.scale = 0.2; // 10 ms waits
    c.kernel.mode = KernelMode::Auto;
    const auto trace = run_to_end(c);
    if (trace->kernel.source == KernelSource::None)
        GTEST_SKIP() << "no kernel data on this machine: " << trace->kernel.note;
    int convoys = 0;
    for (const TaskTrace& t : trace->tasks) {
        EXPECT_EQ(t.status, State::Done) << t.name << ": " << t.reason;
        if (t.name == "CPU")
            continue;
        // After a wait, before its next wait: waiting for the CPU thread's GIL.
        bool after_wait = false;
        for (const Span& s : t.spans) {
            if (s.state == State::Waiting) {
                after_wait = true;
            } else if (s.state == State::GilWait && after_wait) {
                ++convoys;
                after_wait = false;
            }
        }
    }
    EXPECT_GT(convoys, 0);
}

TEST(CPythonEngine, ScriptsOwnTasksNestedExecutorsExceptionsAndAKilledWorkerEachGetTheirStatus)
{
    REQUIRE_PYTHON();
    const std::string path = script("nested.py", R"(
import os, signal, time
from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor

def leaf(n):
    time.sleep(0.01)
    return n * 2

def outer(n):
    with ThreadPoolExecutor(max_workers=2) as inner:
        return sum(inner.map(leaf, range(n)))

def fails():
    raise ValueError("bad table")

def dies():
    os.kill(os.getpid(), signal.SIGKILL)

if __name__ == "__main__":
    with ThreadPoolExecutor(max_workers=2) as pool:
        total = pool.submit(outer, 3).result()
        try:
            pool.submit(fails).result()
        except ValueError:
            pass
    with ProcessPoolExecutor(max_workers=1) as procs:
        try:
            procs.submit(dies).result()
        except Exception as e:
            print("worker died:", type(e).__name__)
    print("total", total)
)");
    const auto trace = run_to_end(script_config(path));
    std::map<std::string, std::vector<State>> by_name;
    for (const TaskTrace& t : trace->tasks)
        by_name[t.name].push_back(t.status);
    EXPECT_EQ(by_name["outer(3)"], std::vector<State> { State::Done });
    EXPECT_EQ(by_name["leaf(0)"], std::vector<State> { State::Done });
    EXPECT_EQ(by_name["leaf(2)"], std::vector<State> { State::Done });
    EXPECT_EQ(by_name["fails"], std::vector<State> { State::Failed });
    EXPECT_EQ(by_name["dies"], std::vector<State> { State::Failed });
    EXPECT_NE(test::task_named(*trace, "fails").reason.find("ValueError: bad table"), std::string::npos);
    EXPECT_NE(test::task_named(*trace, "dies").reason.find("BrokenProcessPool"), std::string::npos)
        << test::task_named(*trace, "dies").reason;
    EXPECT_EQ(trace->info.exit, "exit status 0");
    EXPECT_EQ(trace->info.model, "script");
    // The leaves ran inside outer's run, on the inner pool's threads.
    const TaskTrace& outer = test::task_named(*trace, "outer(3)");
    const TaskTrace& leaf = test::task_named(*trace, "leaf(1)");
    EXPECT_GT(leaf.started, outer.started);
    EXPECT_LT(leaf.finished, outer.finished);
    EXPECT_NE(leaf.tid, outer.tid);
    ::unlink(path.c_str());
}

TEST(CPythonEngine, TheProbeFollowsWorkerProcessesUnderForkForkserverAndSpawn)
{
    REQUIRE_PYTHON();
    for (const char* method : { "fork", "forkserver", "spawn" }) {
        RunConfig c = script_config(python_dir() + "/table_loading.py",
            { "--model", "processes", "--workers", "2", "--scale", "0.05", "--start-method", method });
        Runner runner(c);
        runner.start();
        runner.wait();
        auto trace = std::make_shared<Trace>(*runner.snapshot());
        // The parent's own threads (MainThread, the pool's manager and queue feeder) are rows
        // of their own, in the parent; the work items ran in the workers.
        ASSERT_EQ(trace->tasks.front().name, "MainThread") << method;
        const auto parent = trace->tasks.front().pid;
        std::erase_if(trace->tasks, [&](const TaskTrace& t) {
            EXPECT_FALSE(t.thread_row && t.pid != parent) << method << " " << t.name;
            return t.thread_row;
        });
        ASSERT_EQ(trace->tasks.size(), 3u) << method;
        std::set<int> pids;
        for (const TaskTrace& t : trace->tasks) {
            EXPECT_NE(t.pid, parent) << method << " " << t.name;
            EXPECT_EQ(t.status, State::Done) << method << " " << t.name << ": " << t.reason;
            // The waits are time.sleep inside the worker: only a probe in the child sees them.
            EXPECT_FALSE(spans_in(t, State::Waiting).empty()) << method;
            pids.insert(t.pid);
        }
        // Two workers at most. Under spawn and forkserver the pool starts a worker per submit,
        // on demand, and on a busy machine the first may finish every task before the second
        // is up: one pid is as right as two.
        EXPECT_GE(pids.size(), 1u) << method;
        EXPECT_LE(pids.size(), 2u) << method;
        // A worker process runs one item at a time.
        for (const TaskTrace& a : trace->tasks) {
            for (const TaskTrace& b : trace->tasks) {
                if (&a != &b && a.pid == b.pid) {
                    EXPECT_TRUE(a.finished <= b.started || b.finished <= a.started) << method << " " << a.name << " " << b.name;
                }
            }
        }
        EXPECT_EQ(runner.python_outcome().output, "loaded A B C\n") << method << ": the probe prints nothing";
    }
}

TEST(CPythonEngine, TheProbeChangesNothingTheScriptPrints)
{
    REQUIRE_PYTHON();
    const std::string path = script("prints.py", R"(
import asyncio, sys, time
from concurrent.futures import ThreadPoolExecutor
async def f(i):
    await asyncio.sleep(0.001 * i)
    return i * i
async def main():
    return await asyncio.gather(*(f(i) for i in range(5)))
print(asyncio.run(main()))
with ThreadPoolExecutor() as pool:
    print(list(pool.map(lambda x: x + 1, range(5))))
print(time.sleep.__name__, file=sys.stderr)
)");
    // Without Timeslice: python3 directly.
    const std::string expected_file = test::temp_path("prints.out");
    ASSERT_EQ(std::system(("python3 " + path + " > " + expected_file + " 2>&1").c_str()), 0);
    std::ifstream in(expected_file);
    const std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Runner runner(script_config(path));
    runner.start();
    runner.wait();
    EXPECT_EQ(runner.python_outcome().output, expected);
    EXPECT_EQ(runner.python_outcome().bad_lines, 0u);
    ::unlink(path.c_str());
    ::unlink(expected_file.c_str());
}

TEST(CPythonEngine, AScriptThatRaisesFloodsOrIsStoppedNeverHangsAndSaysWhatHappened)
{
    REQUIRE_PYTHON();
    {
        const std::string path = script("raises.py", "raise SystemExit('no tables')\n");
        Runner runner(script_config(path));
        runner.start();
        runner.wait();
        EXPECT_EQ(runner.snapshot()->info.exit, "exit status 1");
        EXPECT_NE(runner.python_outcome().output.find("no tables"), std::string::npos);
        ::unlink(path.c_str());
    }
    {
        // 8 MB on stdout: the log keeps the last 1 MB and counts the rest.
        const std::string path = script("floods.py", "import sys\nfor i in range(100000):\n    sys.stdout.write('x' * 79 + '\\n')\n");
        Runner runner(script_config(path));
        runner.start();
        runner.wait();
        const PythonOutcome o = runner.python_outcome();
        EXPECT_EQ(o.output.size(), std::size_t(1) << 20);
        EXPECT_EQ(o.output.size() + o.output_dropped, 8'000'000u);
        EXPECT_TRUE(o.ok);
        ::unlink(path.c_str());
    }
    {
        // Hangs in a thread and in a worker process; a Stop ends the whole process group.
        const std::string path = script("hangs.py", R"(
import time
from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor
if __name__ == "__main__":
    procs = ProcessPoolExecutor(max_workers=1)
    procs.submit(time.sleep, 1000)
    with ThreadPoolExecutor() as pool:
        pool.submit(time.sleep, 1000)
)");
        Runner runner(script_config(path));
        runner.start();
        // Stop once both sleeps are under way (the probe has said so), not after a fixed time.
        for (;;) {
            const auto live = runner.snapshot();
            int waiting = 0;
            for (const TaskTrace& t : live->tasks)
                waiting += t.status == State::Waiting;
            if (waiting == 2)
                break;
            ASSERT_FALSE(runner.finished()) << "the script ended before both sleeps began";
            ::usleep(2000);
        }
        const auto before = runner.snapshot();
        runner.cancel();
        runner.wait();
        const auto trace = runner.snapshot();
        EXPECT_EQ(trace->info.exit, "stopped");
        for (const TaskTrace& t : trace->tasks) {
            EXPECT_EQ(t.status, State::Cancelled) << t.name;
            // Its process is gone (or a zombie its new parent has yet to reap). SIGKILL is
            // final, but a busy machine may take a moment to finish the exit: the verdict is
            // that it ends, so it is asked again until it has, for at most a minute.
            std::string state;
            for (int tries = 0; tries < 60'000; ++tries) {
                state.clear();
                std::ifstream stat("/proc/" + std::to_string(t.pid) + "/stat");
                std::string pid, comm;
                if (!(stat >> pid >> comm >> state) || state == "Z")
                    break;
                ::usleep(1000);
            }
            EXPECT_TRUE(state.empty() || state == "Z") << t.name << " pid " << t.pid << " still runs (" << state << ")";
        }
        EXPECT_TRUE(test::child_pids().empty());
        ::unlink(path.c_str());
    }
}

TEST(CPythonEngine, TheTraceSaysWhichEngineAndPythonRanItAndReadsBack)
{
    REQUIRE_PYTHON();
    const auto trace = run_to_end(cpython("table-loading", ModelKind::Async));
    const std::string path = test::temp_path("cpython-trace.json");
    ASSERT_EQ(save_trace(*trace, scorecard_if_any(*trace), path), "");
    Trace back;
    std::string error;
    ASSERT_TRUE(load_trace(path, back, error)) << error;
    EXPECT_EQ(back.info.engine, "cpython");
    EXPECT_EQ(back.info.python, trace->info.python);
    EXPECT_EQ(back.info.exit, "exit status 0");
    EXPECT_NE(back.info.program.find("table_loading.py --model async"), std::string::npos) << back.info.program;
    ::unlink(path.c_str());
}

TEST(Fidelity, ComparesMakespanOrderHandOversAndHowLateWaitsResumed)
{
    const auto make = [](Nanos makespan, std::uint64_t hand_overs, Nanos resumed_b) {
        Trace t;
        t.info.makespan = makespan;
        t.info.gil_hand_overs = hand_overs;
        t.tasks.resize(2);
        t.tasks[0].name = "A";
        t.tasks[0].started = 0;
        t.tasks[0].finished = 100;
        t.tasks[0].spans = { Span { 0, 100, 0, 0, -1, State::Waiting } };
        t.tasks[1].name = "B";
        t.tasks[1].started = 10;
        t.tasks[1].finished = resumed_b + 5;
        t.tasks[1].spans = { Span { 10, 60, 0, 0, -1, State::Waiting }, Span { 60, resumed_b, 0, 0, -1, State::GilWait },
            Span { resumed_b, resumed_b + 5, 0, 0, -1, State::Running } };
        return t;
    };
    const std::vector<std::vector<Nanos>> asked { { 100 }, { 50 } };
    const Fidelity f = compare_fidelity(make(1'000'000'000, 200, 60), make(1'500'000'000, 450, 2'000'060), asked);
    EXPECT_DOUBLE_EQ(f.makespan_ratio, 1.5);
    EXPECT_TRUE(f.same_order);
    EXPECT_DOUBLE_EQ(f.hand_overs_per_s_native, 200);
    EXPECT_DOUBLE_EQ(f.hand_overs_per_s_cpython, 300);
    EXPECT_EQ(f.waits_native, 2);
    EXPECT_DOUBLE_EQ(f.overshoot_ms_native, 0);
    EXPECT_DOUBLE_EQ(f.overshoot_ms_cpython, 1.0); // B resumed 2 ms late, A on time
    const std::string line = fidelity_line(f);
    EXPECT_NE(line.find("makespan cpython/native 1.50x"), std::string::npos) << line;
    EXPECT_NE(line.find("order of starts the same (A B)"), std::string::npos) << line;
}

} // namespace
} // namespace timeslice
