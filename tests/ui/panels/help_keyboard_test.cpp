// Issue 13, defect 17: the help had no swatches and called pink "purple"; the CPU chart had no
// tooltip. (Alt+I taken twice, Ctrl+= and the timeline's focus ring: windows/menus_test.cpp.)
#include "ui/tracks/track_view.h"
#include "ui/style/palette.h"
#include "ui/panels/timeline_help.h"
#include "ui/tracks/time_axis.h"
#include "ui/tracks/zoom_state.h"
#include "timeline_helpers.h"

#include <QToolTip>

using namespace timeslice;
using namespace timeslice::ui;

namespace {

// The CPU chart over a trace, its plot lined up as under a timeline whose plot starts at kLeft.
constexpr double kLeft = 150;

struct Chart {
    ZoomState zoom;
    TrackView chart { *track_kind(QStringLiteral("cpuChart")), &zoom };
    std::shared_ptr<const Trace> trace;
    explicit Chart(const char* example)
        : trace(test::load_example(example))
    {
        chart.resize(880, 260);
        chart.show();
        zoom.setBounds(full_range(*trace));
        zoom.fit();
        chart.setTrace(trace);
        chart.alignPlot(kLeft, plotWidth());
        test::settle();
    }
    double plotWidth() const { return chart.width() - kLeft - 20; }
    TimeMap map() const { return TimeMap { zoom.range().start, zoom.range().end, kLeft, plotWidth() }; }
};

} // namespace

TEST(MainWindow, HelpShowsEachStateInItsOwnColourAndExplainsOutlinesHatchingAndMarks)
{
    const QString html = timeline_help_html();
    for (const State s : { State::Queued, State::Starting, State::Running, State::Waiting, State::GilWait, State::Ready }) {
        EXPECT_TRUE(html.contains(QStringLiteral("color:%1").arg(state_color(s).name()))) << state_name(s);
        EXPECT_TRUE(html.contains(state_label(s))) << state_name(s);
    }
    EXPECT_TRUE(html.contains(QStringLiteral("pink")));
    EXPECT_FALSE(html.contains(QStringLiteral("purple")));
    for (const char* word : { "predicted", "Hatched", "stacked by share of time", "✓", "✗", "■", "stopped" })
        EXPECT_TRUE(html.contains(QString::fromUtf8(word))) << word;
}

TEST(CpuChart, HoverGivesTheMomentAndEachCoresUse)
{
    Chart f("table-loading-threads.json");
    TrackView* chart = &f.chart;
    const auto trace = f.trace;
    ASSERT_FALSE(trace->cpu.empty());
    // Over the plot, at the time of the first sample.
    const TimeMap map = f.map();
    const QString tip = chart->tooltipAt(QPointF(map.to_x(trace->cpu.front().t) - 1, chart->height() / 2.0));
    EXPECT_TRUE(tip.contains(QStringLiteral("total %1 %").arg(double(trace->cpu.front().total), 0, 'f', 0))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("cpu1"))) << tip.toStdString();
    // Which interval the step is the mean of (the lanes beside it are exact; it is not).
    ASSERT_GT(trace->cpu.size(), 2u);
    const CpuSample& second = trace->cpu[1];
    const QString later = chart->tooltipAt(QPointF(map.to_x(second.t) - 1, chart->height() / 2.0));
    EXPECT_TRUE(later.contains(QStringLiteral("mean over %1 to %2")
                                   .arg(QString::fromStdString(format_instant(trace->cpu[0].t, kNanosPerMilli / 10)),
                                       QString::fromStdString(format_instant(second.t, kNanosPerMilli / 10)))))
        << later.toStdString();
    EXPECT_EQ(chart->tooltipAt(QPointF(2, chart->height() / 2.0)), QString()) << "left of the plot";
}

// Issue 13, defect 17: hovering the CPU chart showed nothing until Qt's tooltip delay, and no line
// said which moment the numbers were for. The pointer now carries a vertical line over the plot
// and the values at once (every track does, track_view.h).
TEST(CpuChart, HoverDrawsACrosshairAndShowsTheValuesAtOnce)
{
    Chart f("table-loading-threads.json");
    TrackView* chart = &f.chart;
    const auto trace = f.trace;
    ASSERT_GT(trace->cpu.size(), 2u);
    const TimeMap map = f.map();
    const int x = int(map.to_x(trace->cpu[trace->cpu.size() / 2].t)) - 1;
    const int y = chart->height() / 2;
    const auto crosshair_pixels = [&] {
        const QImage image = chart->grab().toImage();
        int n = 0;
        for (int row = 0; row < image.height(); ++row)
            n += image.pixelColor(x, row) == TrackView::crosshairColor();
        return n;
    };
    const int before = crosshair_pixels();
    EXPECT_LT(chart->crosshairX(), 0);

    QTest::mouseMove(chart, QPoint(x, y));
    test::settle();
    EXPECT_EQ(chart->crosshairX(), double(x));
    EXPECT_GT(crosshair_pixels(), before + chart->height() / 3) << "a line down the plot at the pointer";
    EXPECT_TRUE(QToolTip::isVisible());
    EXPECT_TRUE(QToolTip::text().contains(QStringLiteral("total"))) << QToolTip::text().toStdString();
    EXPECT_TRUE(QToolTip::text().contains(QStringLiteral("cpu0"))) << QToolTip::text().toStdString();

    QTest::mouseMove(chart, QPoint(2, y)); // over the legend, left of the plot
    test::settle();
    EXPECT_LT(chart->crosshairX(), 0);
    EXPECT_LE(crosshair_pixels(), before);
}
