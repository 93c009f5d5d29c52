// Issue 13, defect 1: after a deep zoom, a fit, a run, a resize or the compare window's linked
// zoom froze the window for a minute. Qt Charts lays the axis out on every change of its range
// or tick interval, with a label and a grid line per tick; the range of a whole run at a deep
// zoom's interval is tens of thousands of them. These tests count the ticks the CPU chart's time
// axis holds at every moment, which no machine speed or load can bend.
#include "ui/windows/compare_window.h"
#include "ui/tracks/cpu_chart_view.h"
#include "ui/windows/main_window.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "run_helpers.h"
#include "window_helpers.h"

#include <QValueAxis>
#include <QWheelEvent>

#include <cmath>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Fixture;

namespace {

// The most ticks the axis held after any change of its range or interval.
class TickPeak {
public:
    explicit TickPeak(QValueAxis* axis)
        : m_axis(axis)
    {
        QObject::connect(axis, &QValueAxis::rangeChanged, &m_context, [this] { note(); });
        QObject::connect(axis, &QValueAxis::tickIntervalChanged, &m_context, [this] { note(); });
        QObject::connect(axis, &QValueAxis::tickTypeChanged, &m_context, [this] { note(); });
    }
    int peak() const { return m_peak; }
    void reset() { m_peak = 0; }

private:
    void note()
    {
        if (m_axis->tickType() != QValueAxis::TicksDynamic || !(m_axis->tickInterval() > 0))
            return;
        const double ticks = std::floor((m_axis->max() - m_axis->min()) / m_axis->tickInterval()) + 1;
        m_peak = std::max(m_peak, int(std::min(ticks, 1e9)));
    }
    QValueAxis* m_axis;
    QObject m_context;
    int m_peak = 0;
};

constexpr int kMostTicks = 20;

void wheel(TimelineView* view, int notches)
{
    const QPointF at(view->plotLeft() + view->plotWidth() * 0.4, view->height() / 3.0);
    for (int i = 0; i < notches; ++i) {
        QWheelEvent event(at, view->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
            Qt::NoScrollPhase, false);
        QApplication::sendEvent(view, &event);
    }
}

} // namespace

TEST(CpuChart, DeepZoomThenFitRunOrResizeKeepsTheTimeAxisToAFewTicks)
{
    Fixture f;
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&f.window));
    ASSERT_EQ(test::open(f.window, test::example_trace("mixed-async.json")), QString());
    TimelineView* view = f.window.timeline();
    const TimeRange whole = f.window.zoom()->range();
    TickPeak ticks(f.window.findChild<CpuChartView*>()->timeAxis());

    wheel(view, 35);
    const TimeRange deep = f.window.zoom()->range();
    ASSERT_LT((deep.end - deep.start) * 1000, whole.end - whole.start); // deeper than 1/1000 of the run
    EXPECT_LE(ticks.peak(), kMostTicks) << "while zooming in";

    ticks.reset();
    view->setFocus();
    QTest::keyClick(view, Qt::Key_F);
    EXPECT_EQ(f.window.zoom()->range(), whole);
    EXPECT_LE(ticks.peak(), kMostTicks) << "F after a deep zoom";

    wheel(view, 35);
    ticks.reset();
    QTest::mouseDClick(view, Qt::LeftButton, Qt::NoModifier, QPoint(int(view->plotLeft() + 50), view->height() / 3));
    EXPECT_EQ(f.window.zoom()->range(), whole);
    EXPECT_LE(ticks.peak(), kMostTicks) << "double-click after a deep zoom";

    wheel(view, 35);
    ticks.reset();
    f.window.resize(900, 600);
    test::settle();
    f.window.resize(1300, 800);
    test::settle();
    EXPECT_LE(ticks.peak(), kMostTicks) << "resizing at a deep zoom";

    // Ctrl+R at a deep zoom: the view fits, then follows the live run's end.
    wheel(view, 35);
    ticks.reset();
    test::choose(f.window.parameters()->workloadBox(), QStringLiteral("async-delay"));
    test::choose(f.window.parameters()->modelBox(), QStringLiteral("async"));
    QSignalSpy finished(&f.window, &MainWindow::runFinished);
    QTest::keyClick(view, Qt::Key_R, Qt::ControlModifier);
    ASSERT_TRUE(finished.wait(20000));
    EXPECT_LE(ticks.peak(), kMostTicks) << "a run started at a deep zoom";
}

TEST(CompareWindow, LinkedZoomKeepsEveryCpuChartToAFewTicks)
{
    CompareWindow compare;
    compare.show();
    auto config = test::small_config("async-delay", ModelKind::Async);
    config.workload_options.scale = 0.02;
    ASSERT_EQ(compare.start(config), QString());
    QSignalSpy done(&compare, &CompareWindow::allFinished);
    ASSERT_TRUE(done.wait(30000));
    const auto charts = compare.findChildren<CpuChartView*>();
    ASSERT_EQ(charts.size(), 4);
    std::vector<std::unique_ptr<TickPeak>> peaks;
    for (CpuChartView* chart : charts)
        peaks.push_back(std::make_unique<TickPeak>(chart->timeAxis()));

    TimelineView* first = compare.findChildren<TimelineView*>().front();
    wheel(first, 35);
    QTest::mouseDClick(first, Qt::LeftButton, Qt::NoModifier, QPoint(int(first->plotLeft() + 50), first->height() / 2));
    EXPECT_EQ(compare.zoom()->range(), compare.zoom()->bounds());
    for (const auto& peak : peaks)
        EXPECT_LE(peak->peak(), kMostTicks);
}
