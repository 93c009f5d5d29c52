// The CPU plot is one track kind (track.h) painted by one function, paint_cpu_plot, in the window
// and in every export.
#include "core/formats/trace_json.h"
#include "ui/tracks/cpu_plot.h"
#include "ui/tracks/cpu_series.h"
#include "ui/tracks/track_view.h"
#include "ui/tracks/zoom_state.h"
#include "run_helpers.h"
#include "timeline_helpers.h"

#include <QPainter>

#include <gtest/gtest.h>

using namespace timeslice;
using namespace timeslice::ui;

// The lines are a pure function of the trace: a recorded run's busy cores show in them.
TEST(CpuChart, ShowsOneLinePerCorePlusTheTotalAfterARun)
{
    const auto trace = test::load_example("square-numbers-threads-gil.json");
    ASSERT_FALSE(trace->cpu.empty());
    const CpuChartContent content = cpu_chart_content(*trace);
    EXPECT_EQ(content.cores, trace->cpu.front().per_core.size());
    const TimeRange all { 0, trace->end_time() };
    const auto total = cpu_steps(trace->cpu, CpuLine::Total, 0, content.own, all, 600);
    // Every sample of the run is there (far fewer than pixels), as a step: two points each.
    EXPECT_EQ(total.size(), qsizetype(trace->cpu.size() * 2));
    double peak = 0;
    for (const QPointF& p : total) {
        EXPECT_GE(p.y(), 0.0);
        EXPECT_LE(p.y(), 100.0);
        peak = std::max(peak, p.y());
    }
    EXPECT_GT(peak, 50.0);
}

TEST(CpuChart, AtMostOneStepPerPixelKeepingTheBusiest)
{
    std::vector<CpuSample> samples;
    for (int i = 0; i < 10'000; ++i)
        samples.push_back(CpuSample { Nanos(i + 1) * kNanosPerMilli, { float(i % 100) }, float(i % 100), {}, -1 });
    const auto points = cpu_steps(samples, CpuLine::Core, 0, false, TimeRange { 0, 10'001 * kNanosPerMilli }, 100);
    EXPECT_LE(points.size(), 2 * 101);
    for (const QPointF& p : points)
        EXPECT_EQ(p.y(), 99.0); // each 100-sample column peaks at 99
}

TEST(CpuChart, FollowsTheSharedZoom)
{
    std::vector<CpuSample> samples;
    for (int i = 0; i < 100; ++i)
        samples.push_back(CpuSample { Nanos(i) * 10 * kNanosPerMilli, { 50 }, 50, {}, -1 });
    const auto visible
        = cpu_steps(samples, CpuLine::Total, 0, false, TimeRange { 200 * kNanosPerMilli, 300 * kNanosPerMilli }, 1000);
    // The samples inside the range, plus one either side so the line reaches the edges: each a
    // step from the sample before.
    EXPECT_EQ(visible.size(), 2 * 13);
    EXPECT_DOUBLE_EQ(visible.front().x(), 0.18);
    EXPECT_DOUBLE_EQ(visible.back().x(), 0.31);
}

// What the window shows is what an export paints: the view's pixels are paint_cpu_plot's, for
// the same band and time map, at the whole run and zoomed in.
TEST(CpuChart, TheWindowPaintsWhatTheExportsPaint)
{
    const auto trace = test::load_example("table-loading-threads.json");
    ZoomState zoom;
    zoom.setBounds(TimeRange { 0, trace->end_time() });
    zoom.fit();
    const Track* cpu = track_kind(QStringLiteral("cpuChart"));
    ASSERT_NE(cpu, nullptr);
    TrackView view(*cpu, &zoom);
    view.resize(900, 220);
    view.alignPlot(160, 700);
    view.setTrace(trace);
    for (const TimeRange range : { zoom.range(), TimeRange { trace->end_time() / 4, trace->end_time() / 2 } }) {
        zoom.setRange(range);
        const QImage shown = view.grab().toImage().convertToFormat(QImage::Format_RGB32);
        QImage painted(shown.size(), QImage::Format_RGB32);
        painted.fill(Qt::white);
        QPainter p(&painted);
        paint_cpu_plot(p, QRectF(0, 0, 900, 220), *trace, view.timeMap(), view.font());
        p.end();
        EXPECT_EQ(shown, painted) << "at " << range.start << ".." << range.end;
    }
}

// Nothing measured, nothing drawn: a trace without CPU samples says so, with no line and no key.
TEST(CpuChart, ATraceWithoutSamplesSaysSoAndDrawsNoLine)
{
    Trace bare = *test::load_example("table-loading-threads.json");
    bare.cpu.clear();
    EXPECT_EQ(cpu_chart_content(bare).title, QStringLiteral("No CPU data in this trace"));
    QImage image(900, 220, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    paint_cpu_plot(p, QRectF(0, 0, 900, 220), bare, TimeMap { 0, bare.end_time(), 160, 700 }, QFont());
    p.end();
    // No colour anywhere: the plot's greys and the text's black only.
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            ASSERT_LE(std::max({ c.red(), c.green(), c.blue() }) - std::min({ c.red(), c.green(), c.blue() }), 8)
                << "a coloured pixel at " << x << "," << y;
        }
    }
}

// At 800 px wide the plot is about 300 px: the key ran left over the "100%" label and into the
// label column. It now keeps to the plot, the total first; the tooltip names every core.
TEST(CpuChart, TheKeyKeepsToThePlotsWidth)
{
    CpuChartContent content;
    content.own = true;
    content.cores = 8;
    const QFontMetricsF fm { QFont() };
    const auto width = [&](const std::vector<CpuKeyEntry>& key) {
        double w = 0;
        for (const CpuKeyEntry& e : key)
            w += fm.horizontalAdvance(e.text) + 30;
        return w;
    };
    const auto wide = cpu_key(content, 1400, fm);
    ASSERT_EQ(wide.size(), 10u); // all of them
    EXPECT_EQ(wide[0].text, QStringLiteral("total"));
    EXPECT_EQ(wide[1].text, QStringLiteral("everything else"));
    EXPECT_EQ(wide[9].text, QStringLiteral("cpu7"));
    for (const double plot : { 300.0, 200.0, 120.0, 40.0 }) {
        const auto key = cpu_key(content, plot, fm);
        ASSERT_FALSE(key.empty());
        EXPECT_EQ(key.front().text, QStringLiteral("total")) << plot;
        if (key.size() > 1) {
            EXPECT_LE(width(key), plot - 10) << plot;
        }
        EXPECT_LT(key.size(), 10u) << plot;
    }
}
