// Issue 13, defect 8: dragging the splitter between the timeline and the CPU chart left the
// chart's axis where it was (the 0 % label mid-chart, the lines below it) until the window was
// resized. The chart's plot area, its y labels and its lines must agree after every drag.
#include "ui/tracks/cpu_chart_view.h"
#include "ui/windows/main_window.h"
#include "ui/tracks/timeline_view.h"
#include "window_helpers.h"

#include <QChart>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QLineSeries>
#include <QSplitter>
#include <QSplitterHandle>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Fixture;

namespace {

// Where the chart's y-axis label `text` is drawn, in the view's coordinates (its centre).
std::optional<QPointF> label_centre(CpuChartView* view, const QString& text)
{
    for (QGraphicsItem* item : view->scene()->items()) {
        auto* label = dynamic_cast<QGraphicsTextItem*>(item);
        if (label && label->isVisible() && label->toPlainText() == text)
            return view->mapFromScene(label->mapToScene(label->boundingRect().center()));
    }
    return std::nullopt;
}

void expect_axis_in_place(CpuChartView* view, const char* when)
{
    const QRectF plot = view->chart()->plotArea();
    EXPECT_NEAR(plot.bottom(), view->height() - 10, 1.5) << when;
    const auto zero = label_centre(view, QStringLiteral("0%"));
    const auto hundred = label_centre(view, QStringLiteral("100%"));
    ASSERT_TRUE(zero && hundred) << when;
    EXPECT_NEAR(zero->y(), plot.bottom(), 4) << when << ": the 0% label is not at the plot's bottom";
    EXPECT_NEAR(hundred->y(), plot.top(), 4) << when;
    // The whole label inside the widget, not cut off at its bottom edge.
    EXPECT_LT(zero->y() + 6, view->height()) << when;
    // A line at 0 % lies on the bottom of the plot.
    QLineSeries* total = view->series().back();
    EXPECT_NEAR(view->chart()->mapToPosition(QPointF(0.001, 0), total).y(), plot.bottom(), 1.5) << when;
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
    CpuChartView* cpu = f.window.findChild<CpuChartView*>();
    auto* splitter = qobject_cast<QSplitter*>(cpu->parentWidget());
    ASSERT_NE(splitter, nullptr);
    expect_axis_in_place(cpu, "at first");

    const int before = cpu->height();
    drag(splitter->handle(1), -250);
    ASSERT_GT(cpu->height(), before + 200);
    expect_axis_in_place(cpu, "dragged up (taller chart)");

    const int tall = cpu->height();
    drag(splitter->handle(1), 150);
    ASSERT_LT(cpu->height(), tall - 100);
    expect_axis_in_place(cpu, "dragged down (shorter chart)");
}
