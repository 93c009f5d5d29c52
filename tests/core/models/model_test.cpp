// Each workload under each model, asserting what a person would see on the timeline.
#include "core/models/gil.h"
#include "core/analysis/schedule.h"
#include "core/workload/compute.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <set>

using namespace timeslice;
using namespace timeslice::test;

namespace {

constexpr Nanos ms = kNanosPerMilli;

bool overlaps(const Span& a, const Span& b) { return a.start < b.end && b.start < a.end; }

void expect_all_done(const Trace& trace)
{
    for (const TaskTrace& t : trace.tasks)
        EXPECT_EQ(t.status, State::Done) << t.name << ": " << t.reason;
}

class EveryModel : public ::testing::TestWithParam<ModelKind> { };

} // namespace

TEST_P(EveryModel, TableLoadingReturnsEachTablesSeconds)
{
    auto c = config("table-loading", GetParam());
    c.model_options.workers = 3;
    const auto trace = run_to_end(c);
    expect_all_done(*trace);
    EXPECT_EQ(task_named(*trace, "A").result, "1");
    EXPECT_EQ(task_named(*trace, "B").result, "2");
    EXPECT_EQ(task_named(*trace, "C").result, "5");
    // A sleep never ends early, however busy the machine.
    for (const TaskTrace& t : trace->tasks) {
        ASSERT_FALSE(spans_in(t, State::Waiting).empty()) << t.name;
        EXPECT_GE(t.time_in(State::Waiting), Nanos(std::stod(t.result) * 1e9 * kScale)) << t.name;
    }
    // The makespan is at least the longest wait.
    EXPECT_GE(trace->info.makespan, task_named(*trace, "C").time_in(State::Waiting));
}

TEST_P(EveryModel, WithAWorkerEachTheWaitsAreInFlightAtOnce)
{
    // 200 ms each, 1 s for worker processes: longer than any start-up, even of a sanitized
    // worker on a busy machine.
    auto c = config("table-loading", GetParam(), GetParam() == ModelKind::Processes ? 1.0 : 0.2);
    c.workload_options.waits = { 1, 1, 1 };
    c.model_options.workers = 3;
    const auto trace = run_to_end(c);
    expect_all_done(*trace);
    // One instant at which all three wait: the latest start comes before the earliest end.
    Nanos latest_start = 0, earliest_end = INT64_MAX;
    for (const TaskTrace& t : trace->tasks) {
        const auto w = spans_in(t, State::Waiting);
        ASSERT_EQ(w.size(), 1u) << t.name;
        latest_start = std::max(latest_start, w[0].start);
        earliest_end = std::min(earliest_end, w[0].end);
    }
    EXPECT_LT(latest_start, earliest_end);
}

TEST_P(EveryModel, BlockingWaitsOverlapEverywhereButOnTheLoop)
{
    // time.sleep() where asyncio.sleep() belonged: threads and processes still overlap the
    // waits; one event loop runs them one after another.
    auto c = config("table-loading", GetParam(), GetParam() == ModelKind::Processes ? 1.0 : 0.2);
    c.workload_options.waits = { 1, 1, 1 };
    c.workload_options.blocking = true;
    c.model_options.workers = 3;
    const auto trace = run_to_end(c);
    expect_all_done(*trace);
    std::vector<Span> waits;
    for (const TaskTrace& t : trace->tasks) {
        const auto w = spans_in(t, State::Waiting);
        ASSERT_EQ(w.size(), 1u) << t.name;
        waits.push_back(w[0]);
    }
    std::size_t overlapping = 0;
    for (std::size_t i = 0; i < waits.size(); ++i) {
        for (std::size_t k = i + 1; k < waits.size(); ++k)
            overlapping += overlaps(waits[i], waits[k]);
    }
    if (GetParam() == ModelKind::Async) {
        EXPECT_EQ(overlapping, 0u);
        EXPECT_GE(trace->info.makespan, waits[0].duration() + waits[1].duration() + waits[2].duration());
    } else {
        EXPECT_EQ(overlapping, 3u);
    }
}

TEST_P(EveryModel, SquareNumbersResultsAreExact)
{
    auto c = config("square-numbers", GetParam());
    c.workload_options.tasks = 2;
    c.workload_options.iterations = 2'000'000;
    const auto trace = run_to_end(c);
    expect_all_done(*trace);
    ASSERT_EQ(trace->tasks.size(), 2u);
    for (const TaskTrace& t : trace->tasks) {
        EXPECT_EQ(t.result, to_string(square_sum_closed_form(2'000'000)));
        EXPECT_FALSE(spans_in(t, State::Running).empty());
    }
}

TEST_P(EveryModel, AsyncDelayEndsInOrderOfDelay)
{
    // A sleeps 2, B 1, C 3: B ends first, C last. Threads and processes start their waits
    // one by one, so the delays are a quarter of a second apart: more than any start-up.
    const auto trace = run_to_end(config("async-delay", GetParam(), GetParam() == ModelKind::Async ? kScale : 0.25));
    expect_all_done(*trace);
    EXPECT_LT(task_named(*trace, "B").finished, task_named(*trace, "A").finished);
    EXPECT_LT(task_named(*trace, "A").finished, task_named(*trace, "C").finished);
    EXPECT_EQ(task_named(*trace, "C").result, "3");
}

TEST_P(EveryModel, StatesFollowEachOtherWithoutGapsOrOverlaps)
{
    const auto trace = run_to_end(config("mixed", GetParam()));
    expect_all_done(*trace);
    for (const TaskTrace& t : trace->tasks) {
        ASSERT_FALSE(t.spans.empty());
        EXPECT_EQ(t.spans.front().state, State::Queued) << t.name;
        for (std::size_t i = 1; i < t.spans.size(); ++i)
            EXPECT_EQ(t.spans[i].start, t.spans[i - 1].end) << t.name << " span " << i;
        EXPECT_EQ(t.spans.back().end, t.finished) << t.name;
    }
}

INSTANTIATE_TEST_SUITE_P(Models, EveryModel,
    ::testing::Values(ModelKind::Processes, ModelKind::Threads, ModelKind::Async),
    [](const auto& info) { return std::string(model_name(info.param)); });

TEST(ProcessesModel, WithTwoWorkersTableCWaitsForTheFirstWorkerToFree)
{
    // A waits 0.3 s and B 0.6 s, so A's worker frees first unless B's worker started 0.3 s
    // sooner; whichever it is, C waits for it.
    auto c = config("table-loading", ModelKind::Processes, 0.3);
    c.model_options.workers = 2;
    const auto trace = run_to_end(c);
    expect_all_done(*trace);
    const TaskTrace& a = task_named(*trace, "A");
    const TaskTrace& b = task_named(*trace, "B");
    const TaskTrace& first = a.finished <= b.finished ? a : b;
    const TaskTrace& c_task = task_named(*trace, "C");
    // C is queued until a worker is free, then runs in that worker's process.
    EXPECT_NE(a.pid, b.pid);
    EXPECT_GE(c_task.started, first.finished);
    EXPECT_EQ(c_task.pid, first.pid);
    ASSERT_FALSE(spans_in(c_task, State::Queued).empty());
    EXPECT_GE(spans_in(c_task, State::Queued).back().end, first.finished);
    // So the run lasts at least that task's wait and then C's.
    EXPECT_GE(trace->info.makespan, first.time_in(State::Waiting) + c_task.time_in(State::Waiting));
    EXPECT_EQ(trace->info.workers, 2);
}

TEST(ProcessesModel, SquareNumbersRunInDistinctProcesses)
{
    auto c = config("square-numbers", ModelKind::Processes);
    c.workload_options.tasks = 2;
    c.workload_options.iterations = 1'000'000;
    c.model_options.workers = 2;
    const auto trace = run_to_end(c);
    expect_all_done(*trace);
    std::set<int> pids;
    for (const TaskTrace& t : trace->tasks) {
        EXPECT_NE(t.pid, getpid());
        pids.insert(t.pid);
        // Each task first waits for its worker process to start.
        EXPECT_FALSE(spans_in(t, State::Starting).empty()) << t.name;
    }
    EXPECT_EQ(pids.size(), 2u);
    EXPECT_TRUE(child_pids().empty());
}

TEST(ThreadsModel, SquareNumbersRunInOneProcessOnDistinctThreads)
{
    auto c = config("square-numbers", ModelKind::Threads);
    c.workload_options.tasks = 2;
    // Long enough (~0.3 s) that the first thread cannot finish both tasks before the second
    // thread starts, however busy the machine: like ThreadPoolExecutor, whichever thread is
    // free takes the next task.
    c.workload_options.iterations = std::uint64_t(3e8 / measured_ns_per_iteration());
    const auto trace = run_to_end(c);
    expect_all_done(*trace);
    std::set<int> tids;
    for (const TaskTrace& t : trace->tasks) {
        EXPECT_EQ(t.pid, getpid());
        tids.insert(t.tid);
    }
    EXPECT_EQ(tids.size(), 2u);
}

TEST(ThreadsModel, PoolSizeDefaultsLikeThreadPoolExecutor)
{
    EXPECT_EQ(default_thread_workers(), std::min(32, online_cores() + 4));
    EXPECT_EQ(default_process_workers(), online_cores());
}

TEST(AsyncModel, ComputeStepsNeverOverlap)
{
    auto c = config("square-numbers", ModelKind::Async);
    c.workload_options.tasks = 3;
    c.workload_options.iterations = 3'000'000;
    const auto trace = run_to_end(c);
    expect_all_done(*trace);
    std::vector<Span> running;
    std::set<int> tids;
    for (const TaskTrace& t : trace->tasks) {
        for (const Span& s : spans_in(t, State::Running))
            running.push_back(s);
        tids.insert(t.tid);
    }
    EXPECT_EQ(tids.size(), 1u); // one loop thread
    for (std::size_t i = 0; i < running.size(); ++i) {
        for (std::size_t k = i + 1; k < running.size(); ++k)
            EXPECT_FALSE(overlaps(running[i], running[k]));
    }
}

// 50,000 coroutines, each awaiting two timers: their frames fill blocks of a huge page each (21,845
// frames of 96 bytes to a block), so three blocks are in use at once. Every task ends done, its
// two waits one after the other, and none resumed before its timer was due.
TEST(AsyncModel, FiftyThousandTasksEachAwaitTwoTimersAndAllEndDone)
{
    Workload w { "custom", {} };
    for (int i = 0; i < 50'000; ++i)
        w.tasks.push_back(TaskSpec { "T" + std::to_string(i), { Wait { (1 + i % 3) * ms }, Wait { 2 * ms } }, 1 });
    const auto trace = run_workload(w, ModelKind::Async);
    expect_all_done(*trace);
    for (const TaskTrace& t : trace->tasks) {
        const auto waits = spans_in(t, State::Waiting);
        ASSERT_EQ(waits.size(), 2u) << t.name;
        EXPECT_LE(waits[0].end, waits[1].start) << t.name;
        const auto i = std::stoi(t.name.substr(1));
        EXPECT_GE(waits[0].duration(), (1 + i % 3) * ms) << t.name;
        EXPECT_GE(waits[1].duration(), 2 * ms) << t.name;
        EXPECT_EQ(t.result, "1") << t.name;
    }
}

// asyncio's order (BaseEventLoop._run_once): a timer that expires while slice k of a coroutine
// computes is moved to the ready queue at the start of the next turn, behind slice k+1; its
// callback completes the sleep's future, which queues the task's wake-up behind slice k+2. So
// exactly two more slices run before the sleeper resumes, and it resumes before slice k+3.
TEST(AsyncModel, ATimerThatExpiresDuringASliceResumesAfterTwoMoreSlicesAsInAsyncio)
{
    const auto slice = std::uint64_t(4e6 / measured_ns_per_iteration()); // ~4 ms of work
    Workload w { "custom", {} };
    TaskSpec cpu { "CPU", {}, 0 };
    for (int k = 0; k < 16; ++k) {
        if (k)
            cpu.steps.push_back(Wait { 0 }); // await asyncio.sleep(0)
        cpu.steps.push_back(Compute { slice });
    }
    w.tasks.push_back(std::move(cpu));
    w.tasks.push_back(TaskSpec { "IO", { Wait { 5 * ms }, Wait { 3 * ms }, Wait { 6 * ms }, Wait { 2 * ms } }, 1 });
    const auto trace = run_workload(w, ModelKind::Async);
    expect_all_done(*trace);
    const auto slices = spans_in(trace->tasks[0], State::Running);
    ASSERT_EQ(slices.size(), 16u);
    const TaskTrace& io = trace->tasks[1];
    int checked = 0;
    for (std::size_t i = 0; i + 1 < io.spans.size(); ++i) {
        if (io.spans[i].state != State::Waiting)
            continue;
        const Nanos deadline = io.spans[i].start + std::get<Wait>(w.tasks[1].steps[std::size_t(checked)]).duration;
        const Span* resumed = nullptr;
        for (std::size_t k = i + 1; k < io.spans.size() && !resumed; ++k)
            resumed = io.spans[k].state == State::Running ? &io.spans[k] : nullptr;
        ++checked;
        ASSERT_NE(resumed, nullptr);
        // The slice the timer expired in (deadlines between slices are not counted).
        std::size_t k = 0;
        while (k < slices.size() && !(slices[k].start < deadline && deadline < slices[k].end))
            ++k;
        if (k + 2 >= slices.size())
            continue;
        EXPECT_GE(resumed->start, slices[k + 2].end) << "wait " << checked << " expired in slice " << k;
        if (k + 3 < slices.size()) {
            EXPECT_LT(resumed->start, slices[k + 3].start) << "wait " << checked << " expired in slice " << k;
        }
        // Two slices of lag show as ready, from the deadline on.
        EXPECT_EQ(io.spans[i + 1].state, State::Ready);
        EXPECT_EQ(io.spans[i + 1].start, deadline);
    }
    EXPECT_EQ(checked, 4);
}

TEST(ThreadsModel, WithTheGilComputeNeverOverlapsAndTakesTurns)
{
    auto c = config("square-numbers", ModelKind::Threads);
    c.workload_options.tasks = 2;
    c.workload_options.iterations = 150'000'000; // about 90 ms each on one core
    c.model_options.gil = true;
    const auto trace = run_to_end(c);
    expect_all_done(*trace);
    const auto a = spans_in(trace->tasks[0], State::Running);
    const auto b = spans_in(trace->tasks[1], State::Running);
    for (const Span& x : a) {
        for (const Span& y : b)
            ASSERT_FALSE(overlaps(x, y));
    }
    // Interleaved in switch-interval slices, not one after the other.
    EXPECT_GE(a.size(), 3u);
    EXPECT_GE(b.size(), 3u);
    EXPECT_FALSE(spans_in(trace->tasks[0], State::GilWait).empty() && spans_in(trace->tasks[1], State::GilWait).empty());
}

// Issue 20, item 5: the emulated GIL is a real mutex and condition variables, so the kernel can
// check it: every gil-wait the emulation draws finds its thread asleep on the emulated GIL's own
// futex words, never elsewhere.
TEST(ThreadsModel, EveryEmulatedGilWaitTheKernelReadIsOnTheEmulatedGilsOwnFutex)
{
    auto c = config("square-numbers", ModelKind::Threads);
    c.workload_options.tasks = 2;
    c.workload_options.iterations = 150'000'000;
    c.model_options.gil = true;
    c.kernel.mode = KernelMode::Auto;
    const auto trace = run_to_end(c);
    if (trace->kernel.source == KernelSource::None)
        GTEST_SKIP() << "no kernel data on this machine: " << trace->kernel.note;
    expect_all_done(*trace);
    EXPECT_EQ(trace->info.gil_waits_elsewhere, 0);
    std::size_t read = 0;
    for (const TaskTrace& t : trace->tasks) {
        for (const Span& s : spans_in(t, State::GilWait)) {
            EXPECT_TRUE(s.reason == WaitReason::Gil || s.reason == WaitReason::None) << t.name << " at " << s.start;
            read += s.reason == WaitReason::Gil;
        }
    }
    EXPECT_GT(read, 0u) << "some gil-wait lasted long enough to be read";
    // The emulation's count of hand-overs is its own, not recounted from the spans.
    EXPECT_GT(trace->info.gil_hand_overs, 0u);
}

// ceval_gil.c: a waiter asks for the GIL only after a whole switch interval in which the holder
// did not change, so every turn that ends in a hand-over (rather than at its task's end) lasts
// at least one interval, however busy the machine; and the hand-overs the GIL counts are exactly
// the changes of holder the spans show.
TEST(ThreadsModel, EveryGilTurnLastsAtLeastTheSwitchIntervalAndEveryHandOverIsCounted)
{
    auto c = config("square-numbers", ModelKind::Threads);
    c.workload_options.tasks = 2;
    c.workload_options.iterations = 150'000'000;
    c.model_options.gil = true;
    const auto trace = run_to_end(c);
    expect_all_done(*trace);
    struct Turn {
        Span span;
        std::size_t task;
    };
    std::vector<Turn> turns;
    for (std::size_t i = 0; i < trace->tasks.size(); ++i) {
        for (const Span& s : spans_in(trace->tasks[i], State::Running))
            turns.push_back({ s, i });
    }
    std::sort(turns.begin(), turns.end(), [](const Turn& x, const Turn& y) { return x.span.start < y.span.start; });
    std::uint64_t changes = 0;
    for (std::size_t i = 0; i + 1 < turns.size(); ++i) {
        if (turns[i].task == turns[i + 1].task)
            continue;
        ++changes;
        if (turns[i].span.end != trace->tasks[turns[i].task].finished) {
            EXPECT_GE(turns[i].span.duration(), c.model_options.switch_interval) << "turn " << i;
        }
    }
    EXPECT_GE(changes, 2u);
    EXPECT_EQ(trace->info.gil_hand_overs, changes);
}

// CPython 3.11's rules (ceval_gil.c) by order alone, which no load can change: a holder that drops
// the GIL and takes it straight back with nobody asking is no hand-over (the switch number moves
// only when the holder changes); a waiter that saw no change of holder for a whole interval asks
// for the GIL; the holder's next drop then hands it over and returns only once the waiter holds
// it (FORCE_SWITCHING). How long such waits take in time is a benchmark
// (bench_core --benchmark_filter=BM_GilWaitBackFromAWait), not a test.
TEST(Gil, AWaiterAsksAfterAnIntervalAndTheHoldersNextDropHandsItOver)
{
    CancelToken cancel;
    Recorder recorder;
    Lane& a = recorder.make_lane();
    Lane& b = recorder.make_lane();
    Gil gil(ms, cancel);
    ASSERT_TRUE(gil.take(a, 0));
    gil.drop(a);
    ASSERT_TRUE(gil.take(a, 0));
    EXPECT_EQ(gil.hand_overs(), 0u) << "the same holder again is no hand-over";
    EXPECT_FALSE(gil.drop_requested());

    std::atomic<bool> b_took { false };
    std::thread waiter([&] {
        ASSERT_TRUE(gil.take(b, 1));
        b_took = true;
        gil.drop(b);
    });
    // No deadline of ours: ctest's timeout catches a waiter that never asks.
    while (!gil.drop_requested())
        std::this_thread::yield();
    EXPECT_FALSE(b_took) << "the waiter took the GIL while its holder kept it";
    EXPECT_EQ(gil.hand_overs(), 0u);
    gil.drop(a); // returns once B holds it
    EXPECT_EQ(gil.hand_overs(), 1u);
    waiter.join();
    EXPECT_TRUE(b_took);

    // B's lane: it waited for the GIL, then ran; nothing else.
    RecorderCursor cursor;
    std::vector<Event> events;
    recorder.collect(cursor, events);
    std::vector<State> b_states;
    for (const Event& e : events) {
        if (e.task == 1)
            b_states.push_back(e.state);
    }
    EXPECT_EQ(b_states, (std::vector<State> { State::GilWait, State::Running }));
}

TEST(ThreadsModel, WithoutTheGilComputeOverlapsOnTwoCores)
{
    if (online_cores() < 2)
        GTEST_SKIP() << "needs two cores";
    auto c = config("square-numbers", ModelKind::Threads);
    c.workload_options.tasks = 2;
    c.workload_options.iterations = 150'000'000;
    const auto trace = run_to_end(c);
    expect_all_done(*trace);
    const auto a = spans_in(trace->tasks[0], State::Running);
    const auto b = spans_in(trace->tasks[1], State::Running);
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_TRUE(overlaps(a[0], b[0]));
}

// Without a window asking for snapshots, a run still moves its events from the recorder's lanes
// to the trace as it goes (Runner::kDrainPeriod), so its lanes fill again what was read: a task
// waiting until it is stopped has its events taken before it ends.
TEST(Runner, ARunsEventsAreTakenAsItGoesWithoutAnySnapshot)
{
    auto c = config("table-loading", ModelKind::Threads, 1.0);
    c.workload_options.waits = { 600 }; // waits until it is stopped
    Runner runner(c);
    runner.start();
    // No deadline of ours: ctest's timeout catches a run that is never drained.
    while (runner.events_taken() == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ASSERT_FALSE(runner.finished()) << "the run ended before it was stopped";
    }
    EXPECT_FALSE(runner.finished());
    runner.cancel();
    runner.wait();
    const auto done = runner.snapshot();
    ASSERT_EQ(done->tasks.size(), 1u);
    EXPECT_EQ(done->tasks[0].status, State::Cancelled);
    // The drain's takes and the end's together hold every state change the trace shows: a
    // span's start each, and the end.
    EXPECT_GE(runner.events_taken(), done->tasks[0].spans.size() + 1);
}

TEST(Runner, SnapshotsGrowWhileTheRunGoesOn)
{
    auto c = config("table-loading", ModelKind::Threads, 1.0);
    c.workload_options.waits = { 0.02, 0.05, 600 }; // C waits until it is stopped
    Runner runner(c);
    runner.start();
    std::shared_ptr<const Trace> live;
    // A and B end, C waits: no deadline of ours (ctest's timeout catches a hang), but a run that
    // ends first fails here rather than spinning.
    do {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ASSERT_FALSE(runner.finished()) << "the run ended before C was waiting";
        live = runner.snapshot();
    } while (live->tasks.size() < 3 || !live->tasks[0].ended() || !live->tasks[1].ended()
        || live->tasks[2].spans.empty() || live->tasks[2].spans.back().state != State::Waiting);
    EXPECT_FALSE(live->complete);
    ASSERT_EQ(live->tasks.size(), 3u);
    EXPECT_EQ(live->tasks[0].status, State::Done);
    EXPECT_EQ(live->tasks[1].status, State::Done);
    EXPECT_FALSE(live->tasks[2].ended());
    EXPECT_EQ(live->tasks[2].spans.back().state, State::Waiting);
    runner.cancel();
    runner.wait();
    const auto done = runner.snapshot();
    EXPECT_TRUE(done->complete);
    EXPECT_EQ(done->tasks[1].status, State::Done);
    EXPECT_EQ(done->tasks[2].status, State::Cancelled);
    EXPECT_GE(done->end_time(), live->end_time());
    // The final trace is known for the snapshots' run by its number, not by 3 names compared.
    EXPECT_NE(live->live_run, 0u);
    EXPECT_EQ(done->live_run, live->live_run);
}

TEST(Runner, ALetGoSnapshotIsBuiltAgainInItsMemoryAndAHeldOneNeverChanges)
{
    auto c = config("table-loading", ModelKind::Threads, 1.0);
    c.workload_options.waits = { 0.01, 600 }; // B waits until it is stopped
    Runner runner(c);
    runner.start();
    std::shared_ptr<const Trace> held;
    do {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ASSERT_FALSE(runner.finished()) << "the run ended before B was waiting";
        held = runner.snapshot();
    } while (held->tasks.size() < 2 || !held->tasks[0].ended() || held->tasks[1].spans.empty());
    const Trace copy = *held;
    // Two more while one is held: new memory, and the held one is left as it was.
    std::shared_ptr<const Trace> next = runner.snapshot();
    EXPECT_NE(next.get(), held.get());
    const Trace* let_go = next.get();
    next.reset();
    // The one let go of comes back for the next snapshot.
    next = runner.snapshot();
    EXPECT_EQ(next.get(), let_go);
    EXPECT_FALSE(next->complete);
    ASSERT_EQ(next->tasks.size(), 2u);
    EXPECT_EQ(next->tasks[0].status, State::Done);
    EXPECT_GE(next->tasks[1].spans.back().end, copy.tasks[1].spans.back().end);
    EXPECT_EQ(*held, copy);
    runner.cancel();
    runner.wait();
    // The final trace is the run's own: never handed back, whoever lets go of live ones.
    const auto done = runner.snapshot();
    next.reset();
    held.reset();
    EXPECT_TRUE(done->complete);
    EXPECT_EQ(done->tasks[1].status, State::Cancelled);
    EXPECT_EQ(runner.snapshot().get(), done.get());
}

TEST(Runner, RefusesBadConfigurationsUpFront)
{
    auto c = config("table-loading", ModelKind::Processes);
    c.model_options.workers = 100'000;
    EXPECT_THROW(Runner r(c), std::invalid_argument);
    EXPECT_NE(validate(c).find("at most 256"), std::string::npos);
}
