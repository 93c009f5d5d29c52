// Issue 13, hand-over arrows drawn: off by default (the timeline paints as before), an arrow
// from the row that let go to the row that went on, and none to a row out of sight. (On from the
// View menu, remembered: windows/menus_test.cpp.)
#include "core/formats/trace_json.h"
#include "hand_made_trace.h"
#include "ui/tracks/hand_over_arrows.h"
#include "ui/export/image_export.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "window_helpers.h"

#include <QPainter>

using namespace timeslice;
using namespace timeslice::ui;

namespace {

constexpr Nanos ms = kNanosPerMilli;

TaskTrace task(const char* name, std::vector<std::pair<State, Nanos>> states, Nanos end)
{
    return test::task_of_states(name, states, end);
}

// Three threads taking turns with the GIL: A → B at 5 ms, B → C at 8 ms, C → A at 10 ms.
std::shared_ptr<const Trace> gil_trace()
{
    auto trace = std::make_shared<Trace>();
    trace->info.workload = "square-numbers";
    trace->info.model = "threads";
    trace->info.gil = true;
    trace->complete = true;
    trace->tasks.push_back(task("A", { { State::Running, 0 }, { State::GilWait, 5 * ms }, { State::Running, 10 * ms } }, 15 * ms));
    trace->tasks.push_back(task("B", { { State::GilWait, 0 }, { State::Running, 5 * ms }, { State::Waiting, 8 * ms } }, 10 * ms));
    trace->tasks.push_back(task("C", { { State::GilWait, 0 }, { State::Running, 8 * ms } }, 10 * ms));
    return trace;
}

struct View {
    ZoomState zoom;
    TimelineView view { &zoom };
    explicit View(QSize size)
    {
        zoom.setBounds(TimeRange { 0, 16 * ms });
        zoom.setRange(TimeRange { 0, 16 * ms });
        view.setLegendVisible(false);
        view.resize(size);
        view.show();
        EXPECT_TRUE(QTest::qWaitForWindowExposed(&view));
    }
    QImage image() { return view.grab().toImage(); }
    double x(Nanos t) const { return timeline_time_map(view.timelineArea(), view.style(), zoom.range()).to_x(t); }
    double centre(int row) const { return view.rowTop(row) + view.rowHeight() / 2; }
};

// Pixels of column x from y0 to y1 that differ between the two images.
int differing(const QImage& a, const QImage& b, double x, double y0, double y1)
{
    int n = 0;
    for (int y = int(std::ceil(y0)); y <= int(std::floor(y1)); ++y)
        n += a.pixel(int(std::lround(x)), y) != b.pixel(int(std::lround(x)), y);
    return n;
}

} // namespace

TEST(HandOverArrows, OffTheTimelinePaintsAsBeforeOnAnArrowJoinsTheRows)
{
    View v(QSize(800, 300));
    v.view.setTrace(gil_trace());
    EXPECT_FALSE(v.view.handOversVisible()) << "off by default";
    const QImage before = v.image();
    EXPECT_EQ(v.view.handOversDrawn(), 0u);

    v.view.setHandOversVisible(true);
    const QImage on = v.image();
    EXPECT_EQ(v.view.handOversDrawn(), 3u);
    // A → B at 5 ms: a line down the column from A's centre to B's (the head at B's end).
    const double x = v.x(5 * ms);
    const double y0 = v.centre(0) + 2, y1 = v.centre(1) - 2;
    ASSERT_GT(y1 - y0, 10);
    EXPECT_GE(differing(before, on, x, y0, y1), int((y1 - y0) * 0.8)) << "no arrow from A to B at x " << x;
    // Away from every hand-over, nothing changed.
    EXPECT_EQ(differing(before, on, v.x(2 * ms), 0, on.height() - 1), 0);

    v.view.setHandOversVisible(false);
    EXPECT_EQ(v.image(), before) << "off again, the timeline is as it was";
    EXPECT_EQ(v.view.handOversDrawn(), 0u);
}

TEST(HandOverArrows, NoneToOrFromARowOutOfSight)
{
    View v(QSize(800, 300));
    v.view.setRowHeight(120); // two rows fit
    v.view.setTrace(gil_trace());
    ASSERT_EQ(v.view.rowsFit(), 2);
    v.view.setFirstRow(1); // B and C in sight, A scrolled away
    ASSERT_EQ(v.view.firstRow(), 1);
    const QImage off = v.image();
    v.view.setHandOversVisible(true);
    const QImage on = v.image();
    EXPECT_EQ(v.view.handOversDrawn(), 1u) << "only B → C has both rows in sight";
    // B → C at 8 ms is drawn; nothing comes down into B from A at 5 ms, nor leaves C for A at 10 ms.
    EXPECT_GT(differing(off, on, v.x(8 * ms), v.centre(1) + 2, v.centre(2) - 10), 50);
    EXPECT_EQ(differing(off, on, v.x(5 * ms), v.view.rowTop(1), v.centre(1) - 1), 0);
    EXPECT_EQ(differing(off, on, v.x(10 * ms), v.view.rowTop(1), on.height() - 1), 0);
}

TEST(HandOverArrows, ARecordedGilRunGetsArrowsUpToTheCapAndAnotherTraceItsOwn)
{
    Trace recorded;
    std::string error;
    ASSERT_TRUE(load_trace(test::example_trace("square-numbers-threads-gil.json").toStdString(), recorded, error)) << error;
    ASSERT_FALSE(hand_overs(recorded).empty());
    View v(QSize(1000, 400));
    const TimeRange whole { 0, recorded.info.makespan };
    v.zoom.setBounds(whole);
    v.zoom.setRange(whole);
    v.view.setHandOversVisible(true);
    v.view.setTrace(std::make_shared<const Trace>(recorded));
    v.image();
    EXPECT_GT(v.view.handOversDrawn(), 0u);
    EXPECT_LE(v.view.handOversDrawn(), kHandOverMaxCount);
    // The same run without the GIL has none: the arrows are worked out again for a new trace.
    auto no_gil = std::make_shared<Trace>(recorded);
    no_gil->info.gil = false;
    v.view.setTrace(no_gil);
    v.image();
    EXPECT_EQ(v.view.handOversDrawn(), 0u);
}

TEST(HandOverArrows, AnExportHasThemWhenTheWindowShowsThem)
{
    const auto trace = gil_trace();
    auto picture = [&](bool arrows) {
        QImage image(1600, 900, QImage::Format_ARGB32);
        QPainter p(&image);
        paint_report(p, QSizeF(image.size()), *trace, TimeRange { 0, 16 * ms }, arrows);
        return image;
    };
    const QImage without = picture(false);
    const QImage with = picture(true);
    EXPECT_NE(with, without);
    // A → B at 5 ms, down the column between A's row and B's.
    const ReportLayout l = layout_report(QSizeF(1600, 900), *trace);
    const double x = timeline_time_map(l.timeline, l.style, TimeRange { 0, 16 * ms }).to_x(5 * ms);
    const double top = timeline_plot_rect(l.timeline, l.style).top();
    const double y0 = top + l.style.row_height * 0.5 + 2, y1 = top + l.style.row_height * 1.5 - 2;
    EXPECT_GE(differing(without, with, x, y0, y1), int((y1 - y0) * 0.5));
}
