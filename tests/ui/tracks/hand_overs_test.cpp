// Issue 13, hand-over arrows: where the GIL passed from one thread to another, and where an async
// task's timer expired and it resumed, computed from a small trace made by hand.
#include "hand_made_trace.h"
#include "ui/tracks/hand_overs.h"

#include <gtest/gtest.h>

using namespace timeslice;
using namespace timeslice::ui;

namespace {

constexpr Nanos ms = kNanosPerMilli;

TaskTrace task(const char* name, std::vector<std::pair<State, Nanos>> states, Nanos end)
{
    return test::task_of_states(name, states, end);
}

} // namespace

TEST(HandOverArrows, UnderTheGilFromTheThreadThatDroppedItToTheOneThatTookIt)
{
    Trace trace;
    trace.info.model = "threads";
    trace.info.gil = true;
    // A runs 0-5 ms, waits for the GIL, runs 10-15 ms; B waits, runs 5-8 ms (its last 3 ms
    // preempted by the OS: still its run), then waits 2 ms (I/O, not the GIL); C takes the GIL at 8 ms.
    trace.tasks.push_back(task("A", { { State::Running, 0 }, { State::GilWait, 5 * ms }, { State::Running, 10 * ms } }, 15 * ms));
    trace.tasks.push_back(task("B", { { State::GilWait, 0 }, { State::Running, 5 * ms }, { State::Preempted, 6 * ms }, { State::Waiting, 8 * ms } }, 10 * ms));
    trace.tasks.push_back(task("C", { { State::GilWait, 0 }, { State::Running, 8 * ms } }, 10 * ms));
    const std::vector<HandOver> expected {
        { 0, 5 * ms, 1, 5 * ms }, // A → B
        { 1, 8 * ms, 2, 8 * ms }, // B → C
        { 2, 10 * ms, 0, 10 * ms }, // C → A
    };
    EXPECT_EQ(hand_overs(trace), expected);

    trace.info.gil = false;
    EXPECT_TRUE(hand_overs(trace).empty());
    trace.info.model = "processes";
    EXPECT_TRUE(hand_overs(trace).empty());
}

TEST(HandOverArrows, UnderAsyncFromTheTimersExpiryToTheTasksResumption)
{
    Trace trace;
    trace.info.model = "async";
    trace.tasks.push_back(task("A", { { State::Running, 0 }, { State::Waiting, 1 * ms }, { State::Ready, 4 * ms }, { State::Running, 6 * ms } }, 7 * ms));
    trace.tasks.push_back(task("B", { { State::Waiting, 0 }, { State::Ready, 2 * ms }, { State::Running, 3 * ms } }, 4 * ms));
    const std::vector<HandOver> expected {
        { 1, 2 * ms, 1, 3 * ms },
        { 0, 4 * ms, 0, 6 * ms },
    };
    EXPECT_EQ(hand_overs(trace), expected);
}

TEST(HandOverArrows, OnlyThoseInViewAndFarEnoughApartAreDrawnUpToACap)
{
    std::vector<HandOver> all;
    for (int i = 0; i < 100; ++i)
        all.push_back(HandOver { 0, Nanos(i) * ms, 1, Nanos(i) * ms + ms / 2 });
    // 10 px per ms: every one is 10 px from the next.
    const TimeMap wide { 0, 100 * ms, 0, 1000 };
    EXPECT_EQ(visible_hand_overs(all, wide, 6, 1000).size(), 100u);
    EXPECT_EQ(visible_hand_overs(all, wide, 6, 25).size(), 25u);
    // 2 px per ms: every third one (6 px apart) is kept.
    const TimeMap narrow { 0, 100 * ms, 0, 200 };
    const auto kept = visible_hand_overs(all, narrow, 6, 1000);
    ASSERT_EQ(kept.size(), 34u);
    EXPECT_EQ(kept[0], all[0]);
    EXPECT_EQ(kept[1], all[3]);
    EXPECT_EQ(kept[33], all[99]);
    // Zoomed to 20-30 ms: only the ones that end in view.
    const TimeMap zoomed { 20 * ms, 30 * ms, 0, 1000 };
    const auto in_view = visible_hand_overs(all, zoomed, 6, 1000);
    ASSERT_EQ(in_view.size(), 10u);
    EXPECT_EQ(in_view.front(), all[20]);
    EXPECT_EQ(in_view.back(), all[29]);
}

TEST(HandOverArrows, ArrowsIntoDifferentRowsAtOneMomentAreAllKept)
{
    // Three async tasks woken by timers that expire together, and a fourth hand-over into row 0
    // a pixel after the first: the three heads are rows apart, the fourth would sit on the first.
    const std::vector<HandOver> all {
        { 0, 0, 0, 10 * ms },
        { 1, 0, 1, 10 * ms },
        { 2, 0, 2, 10 * ms },
        { 0, 0, 0, 10 * ms + ms / 10 },
    };
    const TimeMap map { 0, 100 * ms, 0, 1000 }; // 10 px per ms
    const std::vector<HandOver> expected { all[0], all[1], all[2] };
    EXPECT_EQ(visible_hand_overs(all, map, 6, 1000), expected);
    EXPECT_EQ(visible_hand_overs(all, map, 6, 2).size(), 2u) << "the cap holds";
}
