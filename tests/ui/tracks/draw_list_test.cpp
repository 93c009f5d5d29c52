#include "ui/tracks/draw_list.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>

using namespace timeslice;
using namespace timeslice::ui;

namespace {

Trace small_trace()
{
    Trace t;
    TaskTrace a;
    a.name = "A";
    a.spans = { Span { 0, 100, 1, 1, 0, State::Queued }, Span { 100, 550, 1, 2, 0, State::Running },
        Span { 550, 1000, 1, 2, 0, State::Waiting } };
    TaskTrace b;
    b.name = "B";
    b.spans = { Span { 0, 500, 1, 3, 0, State::Queued }, Span { 500, 1000, 1, 3, 0, State::GilWait } };
    t.tasks = { a, b };
    return t;
}

} // namespace

TEST(DrawList, SnapshotOfASmallTrace)
{
    const DrawList list = build_draw_list(small_trace(), TimeMap { 0, 1000, 0, 100 }, 0, 10);
    EXPECT_EQ(to_text(list, small_trace()),
        "A        0.0..10.0    queued\n"
        "A       10.0..55.0    running\n"
        "A       55.0..100.0   waiting\n"
        "B        0.0..50.0    queued\n"
        "B       50.0..100.0   gil-wait\n");
}

TEST(DrawList, CullsSpansOutsideTheViewAndClipsAtItsEdges)
{
    const DrawList list = build_draw_list(small_trace(), TimeMap { 400, 600, 0, 200 }, 0, 1);
    EXPECT_EQ(to_text(list, small_trace()),
        "A        0.0..150.0   running\n"
        "A      150.0..200.0   waiting\n");
    EXPECT_EQ(list.spans_visited, 2u); // the queued span was skipped by the binary search
}

TEST(DrawList, MergesSpansNarrowerThanTwoPixels)
{
    Trace t;
    TaskTrace task;
    task.name = "T";
    // 1000 alternating 1 ns spans on 100 px: each is 0.1 px wide.
    for (int i = 0; i < 1000; ++i)
        task.spans.push_back(Span { i, i + 1, 1, 1, 0, i % 3 ? State::Running : State::GilWait });
    t.tasks = { task };
    const DrawList list = build_draw_list(t, TimeMap { 0, 1000, 0, 100 }, 0, 1);
    ASSERT_FALSE(list.rects.empty());
    EXPECT_LE(list.rects.size(), 60u);
    std::uint32_t covered = 0;
    for (const DrawRect& r : list.rects) {
        EXPECT_EQ(r.state, State::Running); // two thirds of every block
        EXPECT_GE(r.x1 - r.x0, kMergePixels - 0.2);
        covered += r.merged;
    }
    EXPECT_EQ(covered, 1000u);
}

// Issue 13, defect 5: a GIL run that was 49 % running drew as 71-77 % GIL wait, the colour of
// each block picked from a sample of its spans. A block now carries each state's share of time.
TEST(DrawList, MergedBlocksCarryEachStatesShareOfTime)
{
    Trace t;
    TaskTrace task;
    task.name = "T";
    // 20000 alternating spans, 490 ns running then 510 ns GIL wait, on 100 px: 0.005 px each,
    // about 200 to a block.
    for (Nanos at = 0; at < 10'000'000; at += 1000) {
        task.spans.push_back(Span { at, at + 490, 1, 1, 0, State::Running });
        task.spans.push_back(Span { at + 490, at + 1000, 1, 1, 0, State::GilWait });
    }
    t.tasks = { task };
    const DrawList list = build_draw_list(t, TimeMap { 0, 10'000'000, 0, 100 }, 0, 1);
    ASSERT_GE(list.rects.size(), 40u);
    EXPECT_EQ(to_text(DrawList { { list.rects.front() }, 0 }, t),
        "T        0.0..2.0     running 49% gil-wait 51% (400 spans)\n");
    auto span = task.spans.begin();
    std::array<Nanos, kSpanStateCount> total {};
    std::array<double, kSpanStateCount> drawn {};
    for (const DrawRect& r : list.rects) {
        ASSERT_GT(r.merged, 1u);
        std::array<Nanos, kSpanStateCount> time {};
        for (std::uint32_t i = 0; i < r.merged; ++i, ++span)
            time[std::size_t(span->state)] += span->duration();
        const Nanos block = time[std::size_t(State::Running)] + time[std::size_t(State::GilWait)];
        int sum = 0;
        for (int s = 0; s < kSpanStateCount; ++s) {
            const double exact = double(time[std::size_t(s)]) * kWholeShare / double(block);
            EXPECT_NEAR(r.share[std::size_t(s)], exact, 1.0) << state_name(State(s)) << " at x " << r.x0;
            sum += r.share[std::size_t(s)];
            total[std::size_t(s)] += time[std::size_t(s)];
            drawn[std::size_t(s)] += share_of(r, State(s)) * (r.x1 - r.x0);
        }
        EXPECT_EQ(sum, kWholeShare);
    }
    EXPECT_EQ(span, task.spans.end());
    EXPECT_EQ(total[std::size_t(State::Running)], 4'900'000);
    // Over the whole row, the drawn area of each state is its share of the time.
    EXPECT_NEAR(drawn[std::size_t(State::Running)] / 100.0, 0.49, 0.005);
    EXPECT_NEAR(drawn[std::size_t(State::GilWait)] / 100.0, 0.51, 0.005);
}

TEST(DrawList, TheWindowsIndexGivesTheSameSharesAsSummingEverySpan)
{
    Trace t;
    TaskTrace task;
    task.name = "T";
    Nanos at = 0;
    for (int i = 0; i < 50'000; ++i, at += 100 + i % 7 * 60)
        task.spans.push_back(Span { at, at + 100 + (i + 1) % 7 * 60, 1, 1, 0, State((i % 5) * (i % 5) % 5 + 1) });
    // Rows of other lengths around it: each row's checkpoints are found in one shared index.
    TaskTrace lead;
    lead.name = "L";
    Nanos lead_at = 0;
    for (int i = 0; i < 20'003; ++i, lead_at += 250 + i % 3 * 40)
        lead.spans.push_back(Span { lead_at, lead_at + 250 + (i + 1) % 3 * 40, 1, 2, 0, State(i % 3 + 1) });
    TaskTrace tail;
    tail.name = "S";
    for (int i = 0; i < 5; ++i)
        tail.spans.push_back(Span { Nanos(i) * 1000, Nanos(i + 1) * 1000, 1, 3, 0, State(i % 2 + 1) });
    t.tasks = { lead, tail, task, tail };
    const SpanTimes times(t);
    // The whole run, and a view whose edges cut spans in two.
    for (const TimeMap map : { TimeMap { 0, at, 0, 300 }, TimeMap { 1'234'567, 7'654'321, 0, 250 } }) {
        const DrawList indexed = build_draw_list(t, map, 0, 4, &times);
        EXPECT_EQ(to_text(indexed, t), to_text(build_draw_list(t, map, 0, 4), t));
        const auto blocks = std::count_if(
            indexed.rects.begin(), indexed.rects.end(), [](const DrawRect& r) { return r.merged > 64; });
        EXPECT_GT(blocks, 100);
    }
    // A trace the index was not built for is summed span by span.
    Trace other = t;
    other.tasks[2].spans[10].state = State::Queued;
    const TimeMap whole { 0, at, 0, 300 };
    EXPECT_EQ(to_text(build_draw_list(other, whole, 0, 4, &times), other),
        to_text(build_draw_list(other, whole, 0, 4), other));
}

TEST(DrawList, AMergedBlockAtTheViewsEdgeCountsOnlyTheTimeInView)
{
    Trace t;
    TaskTrace task;
    task.name = "T";
    // 1 ns running then 9 ns waiting, ten times; the view starts 5 ns into the first wait.
    for (Nanos at = 0; at < 100; at += 10) {
        task.spans.push_back(Span { at, at + 1, 1, 1, 0, State::Running });
        task.spans.push_back(Span { at + 1, at + 10, 1, 1, 0, State::Waiting });
    }
    t.tasks = { task };
    const DrawList list = build_draw_list(t, TimeMap { 6, 26, 0, 2 }, 0, 1);
    ASSERT_EQ(list.rects.size(), 1u);
    EXPECT_EQ(list.rects[0].merged, 5u); // waiting, running, waiting, running, waiting
    // In view: 4 + 9 + 4 ns waiting (the last cut at 26), 1 + 1 ns running.
    EXPECT_NEAR(share_of(list.rects[0], State::Running), 2.0 / 20.0, 1.0 / kWholeShare);
    EXPECT_NEAR(share_of(list.rects[0], State::Waiting), 18.0 / 20.0, 1.0 / kWholeShare);
}

TEST(DrawList, ASpanDrawnOnItsOwnIsAllOfOneState)
{
    const DrawList list = build_draw_list(small_trace(), TimeMap { 0, 1000, 0, 100 }, 0, 10);
    for (const DrawRect& r : list.rects) {
        EXPECT_EQ(r.share[std::size_t(r.state)], kWholeShare);
        EXPECT_EQ(share_of(r, r.state), 1.0);
    }
}

TEST(DrawList, PrimitivesAreBoundedByTheWidthNotTheTrace)
{
    Trace t;
    for (int row = 0; row < 4; ++row) {
        TaskTrace task;
        task.name = "T" + std::to_string(row);
        for (int i = 0; i < 250'000; ++i)
            task.spans.push_back(Span { i * 10, i * 10 + 10, 1, 1, 0, State(i % 3 + 2) });
        t.tasks.push_back(std::move(task));
    }
    const DrawList list = build_draw_list(t, TimeMap { 0, 2'500'000, 0, 1600 }, 0, 4);
    EXPECT_LE(list.rects.size(), std::size_t(4 * 1600 / kMergePixels + 8));
}

TEST(DrawList, OnlyTheRowsAskedForAreBuilt)
{
    const DrawList list = build_draw_list(small_trace(), TimeMap { 0, 1000, 0, 100 }, 1, 5);
    for (const DrawRect& r : list.rects)
        EXPECT_EQ(r.row, 1);
}
