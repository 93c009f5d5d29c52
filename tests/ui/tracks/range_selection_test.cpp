// Issue 13, what users of comparable tools expect: select a time range (Shift+drag on the rows,
// or a drag along the axis) and read its summary; zoom to the selection.
#include "core/analysis/range_summary.h"
#include "ui/style/palette.h"
#include "ui/panels/range_summary_view.h"
#include "ui/tracks/time_axis.h"
#include "ui/tracks/timeline_painter.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "window_helpers.h"

#include <QDockWidget>
#include <QLabel>
#include <QTableWidget>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Fixture;

namespace {

void drag(QWidget* w, QPoint from, QPoint to, Qt::KeyboardModifiers modifiers)
{
    QTest::mousePress(w, Qt::LeftButton, modifiers, from);
    for (int i = 1; i <= 5; ++i)
        QTest::mouseMove(w, from + (to - from) * i / 5);
    QTest::mouseRelease(w, Qt::LeftButton, modifiers, to);
}

} // namespace

TEST(RangeSelection, ShiftDragSelectsARangeAndThePanelSummarisesIt)
{
    Fixture f;
    ASSERT_EQ(test::open(f.window, test::example_trace("mixed-threads-gil.json")), QString());
    test::settle();
    TimelineView* view = f.window.timeline();
    const Trace& trace = *f.window.trace();
    const TimeRange before = f.window.zoom()->range();
    const int y = int(view->rowTop(1) + view->rowHeight() / 2);
    const QPoint from(int(view->plotLeft() + view->plotWidth() * 0.2), y);
    const QPoint to(int(view->plotLeft() + view->plotWidth() * 0.6), y);
    const Nanos t0 = view->timeAt(from.x()), t1 = view->timeAt(to.x());
    drag(view, from, to, Qt::ShiftModifier);
    test::settle();
    ASSERT_TRUE(view->selection().has_value());
    EXPECT_EQ(view->selection()->start, t0);
    EXPECT_EQ(view->selection()->end, t1);
    EXPECT_EQ(f.window.zoom()->range(), before) << "a Shift+drag selects, it does not pan";
    EXPECT_TRUE(f.window.findChild<QDockWidget*>(QStringLiteral("rangeSummaryDock"))->isVisible());

    // The panel shows what summarise_range computes, task by task.
    const RangeSummary expected = summarise_range(trace, t0, t1);
    RangeSummaryView* panel = f.window.findChild<RangeSummaryView*>();
    const QString headline = panel->headline()->text();
    EXPECT_TRUE(headline.contains(QString::fromStdString(format_duration(t1 - t0)))) << headline.toStdString();
    EXPECT_TRUE(headline.contains(QStringLiteral("GIL hand-overs: %1").arg(expected.gil_hand_overs))) << headline.toStdString();
    EXPECT_GT(expected.gil_hand_overs, 0u);
    EXPECT_TRUE(headline.contains(QStringLiteral("CPU %1 %").arg(expected.cpu_percent, 0, 'f', 1))) << headline.toStdString();
    QTableWidget* table = panel->table();
    ASSERT_EQ(table->rowCount(), int(trace.tasks.size()) + 1);
    int running_column = -1;
    for (int c = 0; c < table->columnCount(); ++c) {
        if (table->horizontalHeaderItem(c)->text() == state_label(State::Running))
            running_column = c;
    }
    ASSERT_GT(running_column, 0);
    for (int r = 0; r < int(trace.tasks.size()); ++r) {
        EXPECT_EQ(table->item(r, 0)->text(), QString::fromStdString(trace.tasks[std::size_t(r)].name));
        const Nanos running = expected.task_time[std::size_t(r)][std::size_t(State::Running)];
        EXPECT_EQ(table->item(r, running_column)->text(), running ? QString::fromStdString(format_duration(running)) : QString());
    }
    EXPECT_EQ(table->item(int(trace.tasks.size()), running_column)->text(),
        QString::fromStdString(format_duration(expected.time_in_state[std::size_t(State::Running)])));

    // Zoom to selection shows just the range.
    QTest::mouseClick(panel->zoomButton(), Qt::LeftButton);
    EXPECT_EQ(f.window.zoom()->range(), (TimeRange { t0, t1 }));
}

TEST(RangeSelection, DraggingOnTheAxisSelectsZKeyZoomsAndAClickOnTheAxisClears)
{
    Fixture f;
    ASSERT_EQ(test::open(f.window, test::example_trace("table-loading-threads.json")), QString());
    test::settle();
    TimelineView* view = f.window.timeline();
    const int axis_y = int(view->rowTop(0)) - 6;
    const QPoint from(int(view->plotLeft() + view->plotWidth() * 0.7), axis_y);
    const QPoint to(int(view->plotLeft() + view->plotWidth() * 0.3), axis_y);
    const Nanos t0 = view->timeAt(to.x()), t1 = view->timeAt(from.x());
    drag(view, from, to, Qt::NoModifier); // right to left: the range is put in order
    ASSERT_TRUE(view->selection().has_value());
    EXPECT_EQ(view->selection()->start, t0);
    EXPECT_EQ(view->selection()->end, t1);

    f.window.activateWindow();
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Z);
    EXPECT_EQ(f.window.zoom()->range(), (TimeRange { t0, t1 }));

    QTest::mouseClick(view, Qt::LeftButton, Qt::NoModifier, from);
    EXPECT_FALSE(view->selection().has_value());
    EXPECT_FALSE(f.window.findChild<RangeSummaryView*>()->zoomButton()->isEnabled());
}

TEST(RangeSelection, APlainDragStillPans)
{
    Fixture f;
    ASSERT_EQ(test::open(f.window, test::example_trace("table-loading-threads.json")), QString());
    test::settle();
    TimelineView* view = f.window.timeline();
    f.window.zoom()->zoomAt(f.window.zoom()->range().end / 2, 4.0);
    const TimeRange before = f.window.zoom()->range();
    const int y = int(view->rowTop(0) + view->rowHeight() / 2);
    drag(view, QPoint(int(view->plotLeft() + 300), y), QPoint(int(view->plotLeft() + 200), y), Qt::NoModifier);
    EXPECT_FALSE(view->selection().has_value());
    EXPECT_GT(f.window.zoom()->range().start, before.start);
}
