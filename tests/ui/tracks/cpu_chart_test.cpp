#include "core/workload/workload.h"
#include "ui/tracks/cpu_chart_view.h"
#include "ui/tracks/zoom_state.h"
#include "core/formats/trace_json.h"
#include "run_helpers.h"
#include "window_helpers.h"

#include <QLineSeries>

#include <gtest/gtest.h>

using namespace timeslice;
using namespace timeslice::ui;

// The chart is a pure function of the trace: read a recorded run.
TEST(CpuChart, ShowsOneLinePerCorePlusTheTotalAfterARun)
{
    Trace recorded;
    std::string error;
    ASSERT_TRUE(load_trace(test::example_trace("square-numbers-threads-gil.json").toStdString(), recorded, error)) << error;
    ASSERT_FALSE(recorded.cpu.empty());
    const auto trace = std::make_shared<const Trace>(recorded);
    ZoomState zoom;
    zoom.setBounds(TimeRange { 0, trace->end_time() });
    CpuChartView chart(&zoom);
    chart.resize(800, 200);
    chart.alignPlot(150, 600);
    chart.setTrace(trace);
    const auto series = chart.series();
    ASSERT_EQ(series.size(), qsizetype(trace->cpu.front().per_core.size() + 1));
    EXPECT_EQ(series.back()->name(), QStringLiteral("total"));
    // Every sample of the run is there (far fewer than pixels), and the busy cores show it.
    const auto total = series.back()->points();
    EXPECT_GE(total.size(), qsizetype(trace->cpu.size()) - 1);
    double peak = 0;
    for (const QPointF& p : total) {
        EXPECT_GE(p.y(), 0.0);
        EXPECT_LE(p.y(), 100.0);
        peak = std::max(peak, p.y());
    }
    EXPECT_GT(peak, 50.0);
}

TEST(CpuChart, AtMostAboutOnePointPerPixelKeepingTheBusiest)
{
    std::vector<CpuSample> samples;
    for (int i = 0; i < 10'000; ++i)
        samples.push_back(CpuSample { Nanos(i) * kNanosPerMilli, { float(i % 100) }, float(i % 100), {}, -1 });
    const auto points = CpuChartView::decimate(samples, 0, TimeRange { 0, 10'000 * kNanosPerMilli }, 100);
    EXPECT_LE(points.size(), 102);
    for (const QPointF& p : points)
        EXPECT_EQ(p.y(), 99.0); // each 100-sample column peaks at 99
}

TEST(CpuChart, FollowsTheSharedZoom)
{
    std::vector<CpuSample> samples;
    for (int i = 0; i < 100; ++i)
        samples.push_back(CpuSample { Nanos(i) * 10 * kNanosPerMilli, { 50 }, 50, {}, -1 });
    const auto visible = CpuChartView::decimate(samples, -1, TimeRange { 200 * kNanosPerMilli, 300 * kNanosPerMilli }, 1000);
    // The samples inside the range, plus one either side so the line reaches the edges.
    EXPECT_EQ(visible.size(), 13);
    EXPECT_DOUBLE_EQ(visible.front().x(), 0.19);
    EXPECT_DOUBLE_EQ(visible.back().x(), 0.31);
}
