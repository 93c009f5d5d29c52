// The schedule each model's rules predict, and the scorecard of recorded runs.
#include "core/analysis/schedule.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace timeslice;
using namespace timeslice::test;

namespace {

constexpr Nanos ms = kNanosPerMilli;

Workload waits(std::vector<double> seconds)
{
    WorkloadOptions o;
    o.waits = std::move(seconds);
    return make_workload("table-loading", o);
}

Workload computes(int tasks, std::uint64_t iterations)
{
    WorkloadOptions o;
    o.tasks = tasks;
    o.iterations = iterations;
    return make_workload("square-numbers", o);
}

IdealParams params(ModelKind model, int workers, int cores, bool gil = false)
{
    IdealParams p;
    p.model = model;
    p.workers = workers;
    p.cores = cores;
    p.gil = gil;
    p.ns_per_iteration = 1.0; // 1 ms per 1,000,000 iterations
    return p;
}

Nanos end_of(const IdealSchedule& s, std::size_t task) { return s.tasks.at(task).back().end; }

} // namespace

TEST(IdealSchedule, ThreadsOverlapEveryWait)
{
    const auto s = ideal_schedule(waits({ 1, 2, 5 }), params(ModelKind::Threads, 6, 2));
    EXPECT_EQ(s.makespan, 5 * kNanosPerSecond);
    EXPECT_EQ(s.serial, 8 * kNanosPerSecond);
    EXPECT_EQ(end_of(s, 0), 1 * kNanosPerSecond);
}

TEST(IdealSchedule, ProcessesQueueBehindAFullPool)
{
    // Two workers: C waits for A's worker, so it runs from 1 s to 6 s.
    const auto s = ideal_schedule(waits({ 1, 2, 5 }), params(ModelKind::Processes, 2, 2));
    EXPECT_EQ(s.makespan, 6 * kNanosPerSecond);
    ASSERT_EQ(s.tasks[2].size(), 2u);
    EXPECT_EQ(s.tasks[2][0], (IdealSpan { 0, 1 * kNanosPerSecond, State::Queued }));
    EXPECT_EQ(s.tasks[2][1], (IdealSpan { 1 * kNanosPerSecond, 6 * kNanosPerSecond, State::Waiting }));
}

TEST(IdealSchedule, ComputeSharesTheCores)
{
    // Four 100 ms tasks on two cores: 200 ms, whatever the pool size.
    EXPECT_EQ(ideal_schedule(computes(4, 100'000'000), params(ModelKind::Processes, 4, 2)).makespan, 200 * ms);
    EXPECT_EQ(ideal_schedule(computes(4, 100'000'000), params(ModelKind::Processes, 2, 2)).makespan, 200 * ms);
    EXPECT_EQ(ideal_schedule(computes(4, 100'000'000), params(ModelKind::Threads, 8, 2)).makespan, 200 * ms);
    // On enough cores, the longest task.
    EXPECT_EQ(ideal_schedule(computes(4, 100'000'000), params(ModelKind::Threads, 8, 4)).makespan, 100 * ms);
}

TEST(IdealSchedule, TheGilSerialisesCompute)
{
    const auto s = ideal_schedule(computes(2, 100'000'000), params(ModelKind::Threads, 6, 2, true));
    EXPECT_EQ(s.makespan, 200 * ms); // the sum, not the longest
    EXPECT_EQ(s.serial, 200 * ms);
}

TEST(IdealSchedule, OneLoopRunsComputeOneTaskAtATime)
{
    const auto s = ideal_schedule(computes(3, 10'000'000), params(ModelKind::Async, 1, 2));
    EXPECT_EQ(end_of(s, 0), 10 * ms);
    EXPECT_EQ(end_of(s, 1), 20 * ms);
    EXPECT_EQ(end_of(s, 2), 30 * ms);
    EXPECT_EQ(s.tasks[2][0], (IdealSpan { 0, 20 * ms, State::Queued }));
}

TEST(IdealSchedule, OneLoopOverlapsWaitsAndShowsLag)
{
    EXPECT_EQ(ideal_schedule(waits({ 2, 1, 3 }), params(ModelKind::Async, 1, 2)).makespan, 3 * kNanosPerSecond);
    // A CPU task that runs 10 ms after every yield makes a 5 ms timer wait 5 ms more: ready.
    Workload w { "custom", {} };
    w.tasks.push_back(TaskSpec { "CPU", { Compute { 10'000'000 }, Wait { 0 }, Compute { 10'000'000 } }, 0 });
    w.tasks.push_back(TaskSpec { "IO", { Wait { 5 * ms } }, 1 });
    const auto s = ideal_schedule(w, params(ModelKind::Async, 1, 2));
    // IO starts after CPU's first slice (10 ms), its timer fires at 15 ms while CPU runs its second
    // slice (10 ms to 20 ms), so it is ready from 15 to 20 ms.
    ASSERT_EQ(s.tasks[1].size(), 3u);
    EXPECT_EQ(s.tasks[1][2], (IdealSpan { 15 * ms, 20 * ms, State::Ready }));
}

TEST(IdealSchedule, OneLoopResumesATimerTwoSlicesLaterAsAsyncioDoes)
{
    // The timer expires at 15 ms, in slice 1 (10-20 ms); asyncio queues its callback behind slice
    // 2 (20-30 ms) and the task's wake-up behind slice 3 (30-40 ms): IO resumes at 40 ms, not 20.
    Workload w { "custom", {} };
    w.tasks.push_back(TaskSpec { "CPU", { Compute { 10'000'000 }, Wait { 0 }, Compute { 10'000'000 }, Wait { 0 },
                                     Compute { 10'000'000 }, Wait { 0 }, Compute { 10'000'000 } }, 0 });
    w.tasks.push_back(TaskSpec { "IO", { Wait { 5 * ms } }, 1 });
    const auto s = ideal_schedule(w, params(ModelKind::Async, 1, 2));
    ASSERT_EQ(s.tasks[1].size(), 3u);
    EXPECT_EQ(s.tasks[1][1], (IdealSpan { 10 * ms, 15 * ms, State::Waiting }));
    EXPECT_EQ(s.tasks[1][2], (IdealSpan { 15 * ms, 40 * ms, State::Ready }));
    EXPECT_EQ(s.makespan, 40 * ms);
}

TEST(IdealSchedule, BlockingWaitsRunOneAfterAnotherOnTheLoopOnly)
{
    WorkloadOptions o;
    o.blocking = true;
    const Workload w = make_workload("table-loading", o);
    EXPECT_EQ(ideal_schedule(w, params(ModelKind::Async, 1, 2)).makespan, 8 * kNanosPerSecond);
    EXPECT_EQ(ideal_schedule(w, params(ModelKind::Threads, 6, 2, true)).makespan, 5 * kNanosPerSecond);
}

// The scorecard is a pure function of a trace: read it from recorded runs, whose figures were
// worked out independently from the JSON (sums of the X events' durations).
TEST(Scorecard, OfARecordedThreadsRun)
{
    const Trace trace = example("table-loading-threads.json");
    ASSERT_TRUE(has_scorecard(trace));
    const Scorecard s = compute_scorecard(trace);
    EXPECT_EQ(s.makespan, 254'518'736);
    EXPECT_EQ(s.ideal_makespan, 250 * ms); // the longest wait, 5 s x 0.05
    EXPECT_EQ(s.serial, 400 * ms); // 8 s x 0.05
    EXPECT_DOUBLE_EQ(s.speedup, 400e6 / 254'518'736.0);
    EXPECT_DOUBLE_EQ(s.vs_ideal, 254'518'736.0 / 250e6);
    EXPECT_EQ(s.time_in_state[std::size_t(State::Waiting)], 400'295'155);
    EXPECT_EQ(s.time_in_state[std::size_t(State::Queued)], 5'473'625);
    EXPECT_NEAR(s.concurrency, 1.573019, 1e-6);
    EXPECT_EQ(s.gil_switches, 5u);
    EXPECT_NE(scorecard_text(s).find("speedup 1.57x"), std::string::npos) << scorecard_text(s);
    EXPECT_NE(scorecard_text(s).find("5 GIL hand-overs"), std::string::npos) << scorecard_text(s);
}

TEST(Scorecard, OfARecordedProcessesRunCountsWorkerStartUp)
{
    const Trace trace = example("table-loading-processes.json");
    const Scorecard s = compute_scorecard(trace);
    EXPECT_EQ(s.makespan, 303'896'286);
    EXPECT_EQ(s.ideal_makespan, 300 * ms); // two workers: A, then C in A's worker
    EXPECT_EQ(s.time_in_state[std::size_t(State::Starting)], 6'916'039);
    EXPECT_EQ(s.time_in_state[std::size_t(State::Queued)], 57'522'513);
    EXPECT_EQ(s.gil_switches, 0u);
    EXPECT_GT(s.max_startup, 0);
    EXPECT_LE(s.mean_startup, s.max_startup);
}

TEST(Scorecard, OfARecordedGilRunTakesTheHandOversTheGilCounted)
{
    const Trace trace = example("square-numbers-threads-gil.json");
    const Scorecard s = compute_scorecard(trace);
    EXPECT_EQ(s.gil_switches, trace.info.gil_hand_overs);
    EXPECT_EQ(s.gil_switches, 5u);
    EXPECT_EQ(s.time_in_state[std::size_t(State::Running)], 57'438'366);
    EXPECT_EQ(s.time_in_state[std::size_t(State::GilWait)], 50'987'596);
    // Two tasks that take turns: a speedup below one, whatever the machine did.
    EXPECT_DOUBLE_EQ(s.speedup, 48'262'710.0 / 60'063'216.0);
}

TEST(Scorecard, OfARecordedLoopRunCountsTheLag)
{
    const Trace trace = example("mixed-async.json");
    const Scorecard s = compute_scorecard(trace);
    EXPECT_EQ(s.makespan, 86'491'002);
    EXPECT_EQ(s.ideal_makespan, 81'588'580); // asyncio's turns predict most of the lag
    EXPECT_EQ(s.time_in_state[std::size_t(State::Ready)], 89'032'039);
    EXPECT_EQ(s.time_in_state[std::size_t(State::Running)], 41'862'790);
    EXPECT_NEAR(s.concurrency, 3.292081, 1e-6);
}
