// Issue 13, defect 8: dragging the splitter between the timeline and the CPU chart left the
// chart's axis where it was (the 0 % label mid-chart, the lines below it) until the window was
// resized. The plot, its y labels and its lines must follow every drag.
#include "ui/tracks/cpu_plot.h"
#include "ui/tracks/track_view.h"
#include "ui/windows/main_window.h"
#include "ui/tracks/timeline_view.h"
#include "window_helpers.h"

#include <QPainter>
#include <QSplitter>
#include <QSplitterHandle>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Fixture;

namespace {

// The plot fills the view at its size now: the view's pixels are what paint_cpu_plot paints
// for the view's whole rectangle, so the axis, its labels and the lines stand where that puts them.
void expect_axis_in_place(TrackView* view, const Trace& trace, const char* when)
{
    const TrackFrame frame = view->frame();
    EXPECT_EQ(frame.area, QRectF(view->rect())) << when;
    const QImage shown = view->grab().toImage().convertToFormat(QImage::Format_RGB32);
    QImage painted(shown.size(), QImage::Format_RGB32);
    painted.fill(Qt::white);
    QPainter p(&painted);
    paint_cpu_plot(p, frame.area, trace, frame.map, frame.small);
    p.end();
    EXPECT_TRUE(shown == painted) << when;
}

void drag(QSplitterHandle* handle, int dy)
{
    const QPoint from = handle->rect().center();
    QTest::mousePress(handle, Qt::LeftButton, Qt::NoModifier, from);
    for (int i = 1; i <= 5; ++i)
        QTest::mouseMove(handle, from + QPoint(0, dy * i / 5));
    QTest::mouseRelease(handle, Qt::LeftButton, Qt::NoModifier, from + QPoint(0, dy));
    test::settle(); // the chart lays itself out on a posted event, as after a real drag
}

} // namespace

TEST(CpuChart, AxisFollowsTheSplitterDraggedEitherWay)
{
    Fixture f;
    f.window.resize(1200, 900);
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&f.window));
    ASSERT_EQ(test::open(f.window, test::example_trace("mixed-async.json")), QString());
    test::settle();
    auto* cpu = f.window.findChild<TrackView*>(QStringLiteral("cpuChart"));
    ASSERT_NE(cpu, nullptr);
    auto* splitter = qobject_cast<QSplitter*>(cpu->parentWidget());
    ASSERT_NE(splitter, nullptr);
    const Trace& trace = *f.window.trace();
    expect_axis_in_place(cpu, trace, "at first");

    const int before = cpu->height();
    drag(splitter->handle(1), -250);
    ASSERT_GT(cpu->height(), before + 200);
    expect_axis_in_place(cpu, trace, "dragged up (taller chart)");

    const int tall = cpu->height();
    drag(splitter->handle(1), 150);
    ASSERT_LT(cpu->height(), tall - 100);
    expect_axis_in_place(cpu, trace, "dragged down (shorter chart)");
}
