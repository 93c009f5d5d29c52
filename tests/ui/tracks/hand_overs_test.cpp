// Issue 13, hand-over arrows: where the GIL passed from one thread to another, and where an async
// task's timer expired and it resumed, computed from a small trace made by hand.
#include "hand_made_trace.h"
#include "ui/tracks/hand_over_arrows.h"
#include "ui/tracks/hand_overs.h"

#include <QImage>
#include <QPainter>

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

// Issue 23, defect 10: an arrow from CPU to IO-2 ran straight over IO-1's row, on top of the
// arrow from CPU to IO-1 at the same moment, and read as IO-1 -> IO-2. An arrow over other rows
// now bows aside, and every arrow starts at a dot on its giver's row.
TEST(HandOverArrows, AnArrowOverARowBowsAsideAndEveryArrowStartsAtADot)
{
    TimelineStyle style;
    style.row_height = 40;
    style.label_width = 100;
    const QRectF area(0, 0, 700, style.axis_height + 3 * style.row_height);
    const TimeRange range { 0, 100 * kNanosPerMilli };
    const Nanos t = 50 * kNanosPerMilli;
    // CPU (row 0) gives to IO-1 (row 1) and, a microsecond on, to IO-2 (row 2).
    const std::vector<HandOver> all { { 0, t, 1, t + 1000 }, { 0, t + 2000, 2, t + 3000 } };
    QImage image(area.size().toSize(), QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    EXPECT_EQ(paint_hand_overs(p, area, style, range, 0, 3, all), 2u);
    p.end();
    const QRectF plot = timeline_plot_rect(area, style);
    const TimeMap map = timeline_time_map(area, style, range);
    const auto dark = [&](int x, int y) { return qGray(image.pixel(x, y)) < 100; };
    const auto centre = [&](int row) { return int(plot.top() + (row + 0.5) * style.row_height); };
    // On IO-1's centre line: the first arrow's head at its time, and the second arrow apart from
    // it by at least the bow, with white between.
    const int head_x = int(std::lround(map.to_x(t)));
    const int y = centre(1) - 4; // in the head, just above its tip
    if (const char* dump = std::getenv("ARROWS_DUMP"))
        image.save(QString::fromUtf8(dump));
    ASSERT_TRUE(dark(head_x, y));
    int crossing = -1;
    for (int x = head_x - 1; x > int(plot.left()); --x) {
        if (dark(x, y) && !dark(x + 1, y)) {
            crossing = x;
            break;
        }
    }
    ASSERT_GT(crossing, 0) << "the arrow to IO-2 crosses IO-1's row to the left of the head";
    EXPECT_GE(head_x - crossing, int(hand_over_bow(2, style.row_height)) - 2);
    // Each starts at a dot on CPU's row, wider than the line.
    int dot = 0;
    for (int x = head_x - 10; x <= head_x + 10; ++x)
        dot += dark(x, centre(0));
    EXPECT_GE(dot, 3);
    EXPECT_EQ(hand_over_bow(1, 40), 0.0) << "neighbouring rows: straight";
    EXPECT_GT(hand_over_bow(3, 40), hand_over_bow(2, 40)) << "the more rows crossed, the further aside";
}
