// Issue 23, the playhead: the run at one instant, stepped from one state change to the next.
// Under the GIL the thread that takes it at a hand-over is the one that waited for it; under
// async, the loop runs its ready tasks in the order their timers made them ready (asyncio's
// ready queue is a FIFO).
#include "core/analysis/now.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace timeslice;

namespace {

// Every state change of the run, in order, from its start.
std::vector<Nanos> changes(const Trace& trace)
{
    std::vector<Nanos> out;
    std::optional<Nanos> t = Nanos(-1);
    while ((t = next_change(trace, *t)))
        out.push_back(*t);
    return out;
}

} // namespace

TEST(Now, SteppingVisitsEverySpanBoundaryOnceForwardAndBack)
{
    Trace trace;
    trace.tasks.resize(2);
    trace.tasks[0].spans = { Span { 0, 10, 0, 0, -1, State::Running }, Span { 10, 30, 0, 0, -1, State::Waiting } };
    trace.tasks[1].spans = { Span { 5, 20, 0, 0, -1, State::GilWait }, Span { 20, 25, 0, 0, -1, State::Running } };
    EXPECT_EQ(changes(trace), (std::vector<Nanos> { 0, 5, 10, 20, 25, 30 }));
    std::vector<Nanos> back;
    std::optional<Nanos> t = Nanos(31);
    while ((t = previous_change(trace, *t)))
        back.push_back(*t);
    EXPECT_EQ(back, (std::vector<Nanos> { 30, 25, 20, 10, 5, 0 }));
    const Now at = now_at(trace, 12);
    ASSERT_EQ(at.tasks.size(), 2u);
    EXPECT_EQ(at.tasks[0].state, State::Waiting);
    EXPECT_EQ(at.tasks[1].state, State::GilWait);
    EXPECT_EQ(at.tasks[1].since, 5);
    EXPECT_EQ(now_at(trace, 30).tasks.size(), 0u); // past every span
}

TEST(Now, UnderTheGilTheThreadThatTakesItAtAHandOverIsTheOneThatWaited)
{
    RunConfig c = test::config("square-numbers", ModelKind::Threads);
    c.model_options.gil = true;
    // Turns of 1 ms: the second thread may begin waiting only ms after the first took the GIL
    // (5 ms once here), and a 5 ms turn then outlasts the first thread's 7 ms of work. Work of
    // ~25 ms each, so that a second thread started late still finds the first at work.
    c.model_options.switch_interval = kNanosPerMilli;
    c.workload_options.tasks = 2;
    c.workload_options.iterations = 70'000'000;
    const auto trace = run_to_end(c);
    ASSERT_TRUE(trace);
    int hand_overs = 0;
    std::optional<std::size_t> holder;
    std::vector<std::size_t> waiters;
    for (const Nanos t : changes(*trace)) {
        const Now now = now_at(*trace, t);
        // One holder at most, never among the waiters; every waiter is in a GIL wait.
        if (now.gil_holder) {
            EXPECT_EQ(std::count(now.gil_waiters.begin(), now.gil_waiters.end(), *now.gil_holder), 0);
        }
        for (std::size_t w : now.gil_waiters) {
            const auto it = std::find_if(now.tasks.begin(), now.tasks.end(), [&](const TaskNow& n) { return n.task == w; });
            ASSERT_NE(it, now.tasks.end());
            EXPECT_EQ(it->state, State::GilWait);
        }
        // A holder that ended let the GIL go free: whoever takes it next needed no turn (a
        // thread started after the first one's whole task, once on a busy machine).
        const bool holder_ended = holder && trace->tasks[*holder].finished >= 0 && trace->tasks[*holder].finished <= t;
        if (now.gil_holder && holder && *now.gil_holder != *holder && !holder_ended) {
            ++hand_overs;
            // The thread that takes the GIL is the one that waited longest for it (a forced
            // switch: the one that dropped it waits until another has taken it).
            ASSERT_FALSE(waiters.empty()) << "at " << t;
            EXPECT_EQ(waiters.front(), *now.gil_holder) << "at " << t;
        }
        if (now.gil_holder) {
            holder = now.gil_holder;
        }
        waiters = now.gil_waiters;
    }
    EXPECT_GE(hand_overs, 2) << "the two threads never took turns";
}

TEST(Now, TheLoopRunsItsReadyTasksInTheOrderTheyBecameReady)
{
    // A computes while B, C and D's timers expire one after another; then the loop runs them
    // in that order. (A first awaits a short timer, so that B, C and D have reached theirs.)
    Workload w;
    w.name = "ready-queue";
    w.tasks = { TaskSpec { "A", { Wait { 1'000'000 }, Compute { 100'000'000 } } }, TaskSpec { "B", { Wait { 5'000'000 } } },
        TaskSpec { "C", { Wait { 6'000'000 } } }, TaskSpec { "D", { Wait { 7'000'000 } } } };
    const auto trace = test::run_workload(w, ModelKind::Async);
    ASSERT_TRUE(trace);
    std::vector<std::size_t> longest_queue;
    std::vector<std::size_t> ran_after; // who the loop ran, in order, once the queue was longest
    std::optional<std::size_t> running;
    for (const Nanos t : changes(*trace)) {
        const Now now = now_at(*trace, t);
        const bool timers_only = std::all_of(now.tasks.begin(), now.tasks.end(),
            [](const TaskNow& n) { return n.state != State::Queued; }); // past the tasks' first steps
        if (timers_only && now.ready_queue.size() > longest_queue.size()) {
            longest_queue = now.ready_queue;
            ran_after.clear();
        }
        if (now.loop_running && now.loop_running != running && !longest_queue.empty())
            ran_after.push_back(*now.loop_running);
        running = now.loop_running;
    }
    // Usually B, C, D; on a busy machine A's own timer may expire before D has started. Either
    // way the loop takes the queue head first, in the order shown.
    ASSERT_GE(longest_queue.size(), 2u);
    ASSERT_GE(ran_after.size(), longest_queue.size());
    EXPECT_EQ(std::vector<std::size_t>(ran_after.begin(), ran_after.begin() + std::ptrdiff_t(longest_queue.size())),
        longest_queue);
}
