// Stop, killed workers and misbehaving workers: every run still ends, nothing is left behind.
#include "core/models/process_model.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <span>

#include <signal.h>

#include <thread>

using namespace timeslice;
using namespace timeslice::test;

namespace {

// The Stop and fault tests run with the kernel's view on: it must not leak or hang either.
RunConfig kconfig(const std::string& workload, ModelKind model, double scale = kScale)
{
    RunConfig c = config(workload, model, scale);
    c.kernel.mode = KernelMode::Auto;
    return c;
}

constexpr Nanos ms = kNanosPerMilli;

std::string fake_worker_path()
{
    std::string self = default_worker_path();
    return self.substr(0, self.rfind('/') + 1) + "fake-worker";
}

// Waits until `pred(snapshot)` holds and returns that snapshot; fails the test (and returns
// null) if the run ends first. No deadline: ctest's timeout catches a hang.
template <typename Pred> std::shared_ptr<const Trace> wait_for(Runner& runner, Pred pred)
{
    for (;;) {
        const bool finished = runner.finished();
        auto snap = runner.snapshot();
        if (pred(*snap))
            return snap;
        if (finished) {
            ADD_FAILURE() << "the run ended before the awaited state";
            return nullptr;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

// When a Stop was asked for and when it had been given (cancel() returned: every thread can see
// it from then on), in the trace's time. A worker that checked just before may still record
// what it began before `taken`, never after.
struct StopTime {
    Nanos asked = 0;
    Nanos taken = 0;
};

// Stops the run and says when, in the trace's time.
StopTime stop_now(Runner& runner)
{
    StopTime stop;
    stop.asked = monotonic_now() - runner.origin();
    runner.cancel();
    stop.taken = monotonic_now() - runner.origin();
    runner.wait();
    return stop;
}

// A stopped task is marked stopped when the Stop comes, nothing of it begins after the Stop,
// and a wait it was in ends there rather than when the wait would have.
void expect_stopped_at(const TaskTrace& t, StopTime stop, std::span<const Step> steps = {})
{
    EXPECT_EQ(t.status, State::Cancelled) << t.name;
    EXPECT_GE(t.finished, stop.asked) << t.name;
    // The kernel may split a running span after the Stop (preempted, then on a core again):
    // that is the same running state going on, not something new.
    for (std::size_t k = 0; k < t.spans.size(); ++k) {
        const Span& s = t.spans[k];
        if (k > 0 && model_state(t.spans[k - 1].state) == model_state(s.state))
            continue;
        EXPECT_LE(s.start, stop.taken) << t.name << ": " << state_name(s.state) << " began after the Stop";
    }
    if (!t.spans.empty() && t.spans.back().state == State::Waiting && !steps.empty()) {
        EXPECT_LT(t.finished, t.spans.back().start + std::get<Wait>(steps.back()).duration) << t.name;
    }
}

class StopEveryModel : public ::testing::TestWithParam<ModelKind> { };

} // namespace

TEST_P(StopEveryModel, StopEndsEveryTaskPromptlyAndLeavesNothingBehind)
{
    const int fds_before = open_fd_count();
    auto c = kconfig("table-loading", GetParam(), 1.0); // 1, 2 and 5 second waits
    c.model_options.workers = 2;
    Runner runner(c);
    runner.start();
    ASSERT_TRUE(wait_for(runner, [](const Trace& t) { return t.tasks.size() == 3 && t.tasks[0].time_in(State::Waiting) > 0; }));
    const StopTime stop = stop_now(runner);
    const auto trace = runner.snapshot();
    for (std::size_t i = 0; i < trace->tasks.size(); ++i)
        expect_stopped_at(trace->tasks[i], stop, runner.workload().tasks[i].steps);
    EXPECT_TRUE(child_pids().empty());
    EXPECT_EQ(open_fd_count(), fds_before);
}

TEST_P(StopEveryModel, StopBeforeAnythingStarts)
{
    Runner runner(kconfig("async-delay", GetParam(), 1.0));
    runner.cancel();
    runner.start();
    runner.wait();
    for (const TaskTrace& t : runner.snapshot()->tasks)
        EXPECT_EQ(t.status, State::Cancelled);
    EXPECT_TRUE(child_pids().empty());
}

TEST_P(StopEveryModel, StopDuringComputeEndsIt)
{
    auto c = kconfig("square-numbers", GetParam());
    c.workload_options.tasks = 2;
    c.workload_options.iterations = 20'000'000'000ULL; // ~10 s of work each
    Runner runner(c);
    runner.start();
    ASSERT_TRUE(wait_for(runner, [](const Trace& t) { return !t.tasks.empty() && t.tasks[0].time_in(State::Running) > 20 * ms; }));
    const StopTime stop = stop_now(runner);
    for (const TaskTrace& t : runner.snapshot()->tasks)
        expect_stopped_at(t, stop);
    EXPECT_TRUE(child_pids().empty());
}

TEST_P(StopEveryModel, StopDuringTheLastTaskKeepsWhatFinished)
{
    auto c = kconfig("table-loading", GetParam(), 1.0);
    c.workload_options.waits = { 0.05, 0.1, 5 };
    c.model_options.workers = 3;
    Runner runner(c);
    runner.start();
    // A and B are done; only C is still waiting. (Each waits for its own worker's start, so on
    // a busy machine B can end before A.)
    ASSERT_TRUE(wait_for(runner, [](const Trace& t) {
        return t.tasks.size() == 3 && t.tasks[0].ended() && t.tasks[1].ended() && !t.tasks[2].spans.empty()
            && t.tasks[2].spans.back().state == State::Waiting;
    }));
    const StopTime stop = stop_now(runner);
    const auto trace = runner.snapshot();
    expect_stopped_at(trace->tasks[2], stop, runner.workload().tasks[2].steps);
    EXPECT_EQ(trace->tasks[0].status, State::Done);
    EXPECT_EQ(trace->tasks[1].status, State::Done);
    EXPECT_EQ(trace->tasks[1].result, "0.1");
    EXPECT_EQ(trace->tasks[2].status, State::Cancelled);
    EXPECT_TRUE(child_pids().empty());
}

INSTANTIATE_TEST_SUITE_P(Models, StopEveryModel,
    ::testing::Values(ModelKind::Processes, ModelKind::Threads, ModelKind::Async),
    [](const auto& info) { return std::string(model_name(info.param)); });

TEST(ProcessFaults, AWorkerKilledMidTaskFailsItsTaskAndTheOthersFinish)
{
    auto c = kconfig("table-loading", ModelKind::Processes, 0.2); // 0.2, 0.4, 1.0 s
    c.model_options.workers = 3;
    Runner runner(c);
    runner.start();
    const auto snap = wait_for(runner, [](const Trace& t) {
        return t.tasks.size() == 3 && t.tasks[2].time_in(State::Waiting) > 0;
    });
    ASSERT_TRUE(snap);
    const int victim = snap->tasks[2].pid;
    ASSERT_GT(victim, 0);
    ASSERT_EQ(kill(victim, SIGKILL), 0);
    runner.wait();
    const auto trace = runner.snapshot();
    const TaskTrace& c_task = task_named(*trace, "C");
    EXPECT_EQ(c_task.status, State::Failed);
    EXPECT_NE(c_task.reason.find("SIGKILL"), std::string::npos) << c_task.reason;
    EXPECT_EQ(task_named(*trace, "A").status, State::Done);
    EXPECT_EQ(task_named(*trace, "B").status, State::Done);
    EXPECT_TRUE(child_pids().empty());
}

TEST(ProcessFaults, AKilledWorkerIsReplacedForTheTasksStillQueued)
{
    auto c = kconfig("table-loading", ModelKind::Processes, 0.1);
    c.workload_options.waits = { 5, 1, 1, 1 };
    c.model_options.workers = 1;
    Runner runner(c);
    runner.start();
    const auto snap = wait_for(runner, [](const Trace& t) { return !t.tasks.empty() && t.tasks[0].time_in(State::Waiting) > 0; });
    ASSERT_TRUE(snap);
    kill(snap->tasks[0].pid, SIGKILL);
    runner.wait();
    const auto trace = runner.snapshot();
    EXPECT_EQ(trace->tasks[0].status, State::Failed);
    for (std::size_t i = 1; i < 4; ++i) {
        EXPECT_EQ(trace->tasks[i].status, State::Done);
        EXPECT_NE(trace->tasks[i].pid, snap->tasks[0].pid);
    }
}

TEST(ProcessFaults, AWorkerThatWritesGarbageFailsItsTask)
{
    setenv("FAKE_WORKER_MODE", "garbage", 1);
    auto c = kconfig("table-loading", ModelKind::Processes);
    c.model_options.worker_path = fake_worker_path();
    const auto trace = run_to_end(c);
    unsetenv("FAKE_WORKER_MODE");
    for (const TaskTrace& t : trace->tasks) {
        EXPECT_EQ(t.status, State::Failed);
        EXPECT_NE(t.reason.find("malformed"), std::string::npos) << t.reason;
    }
    EXPECT_TRUE(child_pids().empty());
}

TEST(ProcessFaults, AWorkerThatExitsNonZeroFailsItsTask)
{
    setenv("FAKE_WORKER_MODE", "exit3", 1);
    auto c = kconfig("async-delay", ModelKind::Processes);
    c.model_options.worker_path = fake_worker_path();
    const auto trace = run_to_end(c);
    unsetenv("FAKE_WORKER_MODE");
    for (const TaskTrace& t : trace->tasks) {
        EXPECT_EQ(t.status, State::Failed);
        EXPECT_NE(t.reason.find("exited with code 3"), std::string::npos) << t.reason;
    }
    EXPECT_TRUE(child_pids().empty());
}

TEST(ProcessFaults, AMissingWorkerExecutableFailsEveryTaskWithThePath)
{
    auto c = kconfig("table-loading", ModelKind::Processes);
    c.model_options.worker_path = "/nonexistent/timeslice-worker";
    const auto trace = run_to_end(c);
    for (const TaskTrace& t : trace->tasks) {
        EXPECT_EQ(t.status, State::Failed);
        EXPECT_NE(t.reason.find("/nonexistent/timeslice-worker"), std::string::npos) << t.reason;
    }
}

TEST(ProcessFaults, WhenNoReplacementWorkerCanStartTheQueueFailsInsteadOfHanging)
{
    // A private copy of the fake worker that deletes itself as it dies.
    const std::string copy = test::temp_path("vanishing-worker");
    ASSERT_EQ(std::system(("cp " + fake_worker_path() + " " + copy).c_str()), 0);
    setenv("FAKE_WORKER_MODE", "vanish", 1);
    auto c = kconfig("table-loading", ModelKind::Processes);
    c.model_options.worker_path = copy;
    c.model_options.workers = 1;
    Runner runner(c);
    runner.start();
    const Nanos deadline = monotonic_now() + 10 * kNanosPerSecond;
    while (!runner.finished() && monotonic_now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    unsetenv("FAKE_WORKER_MODE");
    ASSERT_TRUE(runner.finished()) << "the run hung with its queue full and no worker";
    runner.wait();
    const auto trace = runner.snapshot();
    EXPECT_NE(trace->tasks[0].reason.find("exited with code 3"), std::string::npos) << trace->tasks[0].reason;
    for (std::size_t i = 1; i < 3; ++i) {
        EXPECT_EQ(trace->tasks[i].status, State::Failed);
        EXPECT_NE(trace->tasks[i].reason.find("cannot start worker"), std::string::npos) << trace->tasks[i].reason;
    }
    EXPECT_TRUE(child_pids().empty());
}

TEST(ThreadFaults, StopWithTheGilEndsPromptlyEvenWithALongSwitchInterval)
{
    auto c = kconfig("square-numbers", ModelKind::Threads);
    c.workload_options.tasks = 3;
    c.workload_options.iterations = 20'000'000'000ULL;
    c.model_options.gil = true;
    c.model_options.switch_interval = kNanosPerSecond; // waiters sleep up to a second between looks
    Runner runner(c);
    runner.start();
    ASSERT_TRUE(wait_for(runner, [](const Trace& t) { return !t.tasks.empty() && t.tasks[0].time_in(State::Running) > 20 * ms; }));
    const StopTime stop = stop_now(runner);
    // The waiters, woken by the Stop, do not take the GIL and run: nothing began after it.
    for (const TaskTrace& t : runner.snapshot()->tasks)
        expect_stopped_at(t, stop);
}

TEST(ProcessFaults, StopWithASilentWorkerStillEnds)
{
    setenv("FAKE_WORKER_MODE", "silent", 1);
    auto c = kconfig("table-loading", ModelKind::Processes);
    c.model_options.worker_path = fake_worker_path();
    Runner runner(c);
    runner.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    runner.cancel();
    runner.wait();
    unsetenv("FAKE_WORKER_MODE");
    for (const TaskTrace& t : runner.snapshot()->tasks)
        EXPECT_EQ(t.status, State::Cancelled);
    EXPECT_TRUE(child_pids().empty());
}
