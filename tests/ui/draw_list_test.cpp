#include "ui/draw_list.h"

#include <gtest/gtest.h>

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
