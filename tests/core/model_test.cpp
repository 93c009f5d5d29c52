// Each workload under each model, asserting what a person would see on the timeline.
#include "core/compute.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <set>

using namespace timeslice;
using namespace timeslice::test;

namespace {

constexpr Nanos ms = kNanosPerMilli;

std::vector<Span> spans_in(const TaskTrace& t, State s)
{
    std::vector<Span> out;
    for (const Span& span : t.spans) {
        if (span.state == s)
            out.push_back(span);
    }
    return out;
}

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
    // With a worker per table the waits overlap: the makespan is the longest wait (5 s x 0.05),
    // not their sum (8 s x 0.05).
    EXPECT_GE(trace->info.makespan, 250 * ms);
    EXPECT_LT(trace->info.makespan, 340 * ms);
    for (const TaskTrace& t : trace->tasks) {
        ASSERT_FALSE(spans_in(t, State::Waiting).empty()) << t.name;
        EXPECT_GE(t.time_in(State::Waiting), Nanos(std::stod(t.result) * 1e9 * kScale) - ms);
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
    const auto trace = run_to_end(config("async-delay", GetParam()));
    expect_all_done(*trace);
    // A sleeps 2, B 1, C 3: B ends first, C last.
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

TEST(ProcessesModel, WithTwoWorkersTableCWaitsForAToEnd)
{
    auto c = config("table-loading", ModelKind::Processes);
    c.model_options.workers = 2;
    const auto trace = run_to_end(c);
    expect_all_done(*trace);
    const TaskTrace& a = task_named(*trace, "A");
    const TaskTrace& c_task = task_named(*trace, "C");
    // C is queued until A's worker is free, then runs in A's worker process.
    EXPECT_GE(c_task.started, a.finished);
    EXPECT_EQ(c_task.pid, a.pid);
    EXPECT_GE(c_task.time_in(State::Queued), 45 * ms);
    // Makespan about A + C = 6 s x 0.05.
    EXPECT_GE(trace->info.makespan, 300 * ms);
    EXPECT_LT(trace->info.makespan, 400 * ms);
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
    // Long enough (~30 ms) that the first thread cannot finish both tasks before the second
    // thread starts: like ThreadPoolExecutor, whichever thread is free takes the next task.
    c.workload_options.iterations = 50'000'000;
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

TEST(AsyncModel, TimersThatExpireWhileTheLoopComputesShowAsReady)
{
    auto c = config("mixed", ModelKind::Async, 0.2);
    const auto trace = run_to_end(c);
    expect_all_done(*trace);
    Nanos ready = 0;
    for (const TaskTrace& t : trace->tasks)
        ready += t.time_in(State::Ready);
    EXPECT_GT(ready, 5 * ms);
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
    EXPECT_GT(trace->tasks[0].time_in(State::GilWait) + trace->tasks[1].time_in(State::GilWait), 10 * ms);
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

TEST(Runner, SnapshotsGrowWhileTheRunGoesOn)
{
    Runner runner(config("table-loading", ModelKind::Threads, 0.1));
    runner.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    const auto live = runner.snapshot();
    EXPECT_FALSE(live->complete);
    ASSERT_EQ(live->tasks.size(), 3u);
    EXPECT_EQ(live->tasks[0].status, State::Done); // A waited 0.1 s
    EXPECT_FALSE(live->tasks[2].ended()); // C waits 0.5 s
    runner.wait();
    const auto done = runner.snapshot();
    EXPECT_TRUE(done->complete);
    EXPECT_EQ(done->tasks[2].status, State::Done);
    EXPECT_FALSE(done->cpu.empty());
}

TEST(Runner, RefusesBadConfigurationsUpFront)
{
    auto c = config("table-loading", ModelKind::Processes);
    c.model_options.workers = 100'000;
    EXPECT_THROW(Runner r(c), std::invalid_argument);
    EXPECT_NE(validate(c).find("at most 256"), std::string::npos);
}
