// The kernel's view in the views and the exports: the CPU chart shows the run's own use with
// other programs apart, the CPU lanes show whose thread had each core, tooltips name the core,
// the legend and help explain it, and the panel lets one choose the source. (Which source was
// used, named in the window, with its lanes shown: main_window_test.cpp.)
#include "ui/tracks/core_lanes.h"
#include "ui/tracks/track_view.h"
#include "ui/tracks/cpu_series.h"
#include "ui/export/image_export.h"
#include "ui/style/palette.h"
#include "ui/panels/parameter_panel.h"
#include "ui/panels/timeline_help.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "core/models/registry.h"
#include "core/workload/workload.h"
#include "kernel_trace.h"
#include "painted_text.h"
#include "window_helpers.h"

#include <QBuffer>
#include <QCheckBox>
#include <QFontMetricsF>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QSvgGenerator>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::choose;
using timeslice::test::kernel_trace;

namespace {

constexpr Nanos ms = kNanosPerMilli;

// Whether a pixel near (x, y) (within `reach` rows) has about this colour.
bool colour_near(const QImage& image, int x, double y, QColor want, int reach = 2)
{
    for (int dy = -reach; dy <= reach; ++dy) {
        const QColor c = image.pixelColor(x, int(std::lround(y)) + dy);
        if (std::abs(c.red() - want.red()) + std::abs(c.green() - want.green()) + std::abs(c.blue() - want.blue()) < 60)
            return true;
    }
    return false;
}

} // namespace

TEST(CpuChart, WithKernelDataShowsTheRunsOwnUseAndOtherProgramsApart)
{
    const auto trace = std::make_shared<const Trace>(kernel_trace());
    ZoomState zoom;
    zoom.setBounds(TimeRange { 0, trace->end_time() });
    const CpuChartContent content = cpu_chart_content(*trace);
    EXPECT_EQ(content.title, QStringLiteral("CPU use of this run (kernel data: exact)"));
    EXPECT_TRUE(content.own);
    ASSERT_EQ(content.cores, 2u);
    // The run's own 60 % (not the machine's 85 %), each core its own, and 85 - 60 for the others.
    const auto steps = [&](CpuLine line, std::size_t core) {
        return cpu_steps(trace->cpu, line, core, content.own, zoom.range(), 700);
    };
    for (const auto& [line, core, value] : { std::tuple { CpuLine::Core, 0u, 70.0 }, { CpuLine::Core, 1u, 50.0 },
             { CpuLine::Other, 0u, 25.0 }, { CpuLine::Total, 0u, 60.0 } }) {
        const auto points = steps(line, core);
        ASSERT_FALSE(points.isEmpty()) << int(line) << " " << core;
        for (const QPointF& p : points)
            EXPECT_DOUBLE_EQ(p.y(), value) << int(line) << " " << core;
    }
    // Step lines: each sample holds from the previous one.
    const auto total = steps(CpuLine::Total, 0);
    ASSERT_GE(total.size(), 4);
    for (qsizetype i = 0; i + 1 < total.size(); i += 2) {
        EXPECT_EQ(total[i].y(), total[i + 1].y());
        if (i + 2 < total.size()) {
            EXPECT_DOUBLE_EQ(total[i + 1].x(), total[i + 2].x());
        }
    }
    TrackView chart(*track_kind(QStringLiteral("cpuChart")), &zoom);
    chart.resize(900, 220);
    chart.alignPlot(150, 700);
    chart.setTrace(trace);
    const QString tip = chart.tooltipAt(QPointF(150 + 350, 100));
    EXPECT_TRUE(tip.contains(QStringLiteral("this run"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("everything else 25 % (other programs, Timeslice's own window)"))) << tip.toStdString();
}

TEST(CpuChart, WithoutKernelDataSaysItIsTheWholeMachine)
{
    const auto trace = std::make_shared<const Trace>(kernel_trace(2, 4, KernelSource::None));
    const CpuChartContent content = cpu_chart_content(*trace);
    EXPECT_EQ(content.title, QStringLiteral("CPU use of the whole machine (/proc/stat; no kernel data)"));
    EXPECT_FALSE(content.own); // two cores and the total: no "other programs" to tell apart
    for (const QPointF& p : cpu_steps(trace->cpu, CpuLine::Total, 0, false, TimeRange { 0, trace->end_time() }, 700))
        EXPECT_DOUBLE_EQ(p.y(), 85.0);
}

TEST(ImageExport, CpuPanelDrawsTheRunsOwnTotalAndOtherProgramsNotTheMachines)
{
    const Trace trace = kernel_trace();
    const QSize size(1600, 900);
    QImage image(size, QImage::Format_RGB32);
    QPainter p(&image);
    paint_report(p, QSizeF(size), trace, full_range(trace));
    p.end();
    const ReportLayout l = layout_report(QSizeF(size), trace);
    const TimeMap map = timeline_time_map(l.timeline, l.style, full_range(trace));
    // paint_cpu_plot's plot rectangle.
    const QFontMetricsF fm(l.small);
    const QRectF plot(map.x0, l.trackArea(QStringLiteral("cpuChart")).top() + fm.height() * 0.6, map.width, l.trackArea(QStringLiteral("cpuChart")).height() - fm.height() * 1.2);
    const auto y_of = [&](double pct) { return plot.bottom() - plot.height() * pct / 100.0; };
    for (const Nanos t : { 110 * ms, 230 * ms, 290 * ms }) {
        const int x = int(map.to_x(t));
        EXPECT_TRUE(colour_near(image, x, y_of(60), cpu_line_color(CpuLine::Total, 0))) << "own total at " << x;
        EXPECT_TRUE(colour_near(image, x, y_of(25), cpu_line_color(CpuLine::Other, 0))) << "other programs at " << x;
        EXPECT_FALSE(colour_near(image, x, y_of(85), cpu_line_color(CpuLine::Total, 0), 1)) << "machine total at " << x;
    }
    const QString text = test::painted_text(size, [&](QPainter& svg) { paint_report(svg, QSizeF(size), trace, full_range(trace)); });
    EXPECT_TRUE(text.contains(QStringLiteral("CPU use of this run (kernel data: exact)"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("everything else")));
}

TEST(TimelineCoreLanes, OneLanePerCoreEachSpanInItsTasksColour)
{
    const Trace trace = kernel_trace();
    EXPECT_EQ(core_lane_count(trace), 2);
    const TimeMap map { 0, 400 * ms, 0, 400 };
    EXPECT_EQ(to_text(build_core_rects(trace, map, 0, 2), trace),
        "CPU 0       0.0..50.0    A\n"
        "CPU 0      50.0..100.0   C\n"
        "CPU 0     100.0..150.0   A\n"
        "CPU 0     150.0..200.0   C\n"
        "CPU 0     200.0..250.0   A\n"
        "CPU 0     250.0..300.0   C\n"
        "CPU 0     300.0..350.0   A\n"
        "CPU 0     350.0..400.0   C\n"
        "CPU 1       0.0..50.0    B\n"
        "CPU 1      50.0..100.0   D\n"
        "CPU 1     100.0..150.0   B\n"
        "CPU 1     150.0..200.0   D\n"
        "CPU 1     200.0..250.0   B\n"
        "CPU 1     250.0..300.0   D\n"
        "CPU 1     300.0..350.0   B\n"
        "CPU 1     350.0..400.0   D\n");
    // Zoomed out until a turn is under a pixel: a few blocks per lane, not a bar per span.
    const auto folded = build_core_rects(trace, TimeMap { 0, 400 * ms, 0, 8 }, 0, 2);
    EXPECT_LE(folded.size(), 10u);
    EXPECT_TRUE(std::any_of(folded.begin(), folded.end(), [](const CoreRect& r) { return r.merged > 1; }));
    // Colours are per task, apart from every state colour.
    for (std::size_t task = 0; task < 9; ++task) {
        for (const StateInfo& row : kStates)
            EXPECT_NE(task_color(task).rgb(), state_color(row.state).rgb()) << task;
        EXPECT_NE(task_color(task).rgb(), task_color(task + 1).rgb());
    }
    EXPECT_EQ(core_lane_count(kernel_trace(2, 4, KernelSource::None)), 0);
}

// A block of narrow spans takes the colour of the task with most of its time, summed over
// the task's spans in it; a tie goes to the task seen first. 300 tasks' spans in one block.
TEST(TimelineCoreLanes, ABlockIsColouredByTheTaskWithMostTimeInItTiesToTheFirstSeen)
{
    const auto block_of = [](const std::vector<std::pair<std::uint32_t, Nanos>>& runs) {
        Trace trace;
        trace.kernel.source = KernelSource::Exact;
        trace.tasks.resize(400);
        Nanos at = 0;
        for (const auto& [task, length] : runs) {
            trace.cores.push_back(CoreSpan { at, at + length, task, 0 });
            at += length;
        }
        const auto rects = build_core_rects(trace, TimeMap { 0, 1'000'000, 0, 1 }, 0, 1);
        EXPECT_EQ(rects.size(), 1u);
        EXPECT_EQ(rects.empty() ? 0u : rects[0].merged, runs.size());
        return rects.empty() ? UINT32_MAX : rects[0].task;
    };
    std::vector<std::pair<std::uint32_t, Nanos>> runs;
    for (std::uint32_t task = 0; task < 300; ++task)
        runs.emplace_back(task, 1000);
    runs[100] = { 7, 1000 }; // task 7: three spans, 3 us in all
    runs[200] = { 7, 1000 };
    EXPECT_EQ(block_of(runs), 7u);
    runs[250] = { 260, 2000 }; // 260: 3 us too, but 7 came first
    runs[260] = { 260, 1000 };
    EXPECT_EQ(block_of(runs), 7u);
    runs[299] = { 299, 3001 }; // one span longer than either one's three
    EXPECT_EQ(block_of(runs), 299u);
}

TEST(TimelineCoreLanes, TheViewNamesTaskCoreAndTimesOnHoverAndShowsNothingWithoutKernelData)
{
    ZoomState zoom;
    zoom.setBounds(TimeRange { 0, 400 * ms });
    TrackView view(*track_kind(QStringLiteral("coreLanes")), &zoom);
    view.resize(900, 120);
    view.alignPlot(150, 700);
    view.setTrace(std::make_shared<const Trace>(kernel_trace()));
    ASSERT_EQ(view.rowCount(), 2);
    EXPECT_FALSE(view.rowScrollBar()->isVisible());
    const TimeMap map = view.timeMap();
    const QString tip = view.tooltipAt(QPointF(map.to_x(75 * ms), view.rowCenterY(0)));
    EXPECT_TRUE(tip.contains(QStringLiteral("<b>C</b> on CPU 0"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("start 50"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("end 100"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("duration 50"))) << tip.toStdString();
    EXPECT_TRUE(view.tooltipAt(QPointF(map.to_x(75 * ms), view.rowCenterY(1))).contains(QStringLiteral("<b>D</b> on CPU 1")));
    // Painted: each bar in its task's colour, away from the name in its middle.
    QImage image(view.size(), QImage::Format_RGB32);
    view.render(&image);
    for (const auto& [lane, t, task] : { std::tuple { 0, 60 * ms, 2 }, { 1, 110 * ms, 1 }, { 0, 310 * ms, 0 } })
        EXPECT_EQ(image.pixelColor(int(map.to_x(t)), int(view.rowCenterY(lane))).rgb(), task_color(std::size_t(task)).rgb())
            << lane << " " << t;

    view.setTrace(std::make_shared<const Trace>(kernel_trace(2, 4, KernelSource::None)));
    EXPECT_EQ(view.rowCount(), 0);
    EXPECT_EQ(view.tooltipAt(QPointF(map.to_x(75 * ms), view.rowCenterY(0))), QString());
}

TEST(TimelineCoreLanes, SixtyFourCoresGetThinnerLanesThatScroll)
{
    ZoomState zoom;
    zoom.setBounds(TimeRange { 0, 400 * ms });
    TrackView view(*track_kind(QStringLiteral("coreLanes")), &zoom);
    view.resize(900, 300);
    view.alignPlot(150, 700);
    view.setTrace(std::make_shared<const Trace>(kernel_trace(64, 64)));
    ASSERT_EQ(view.rowCount(), 64);
    EXPECT_LT(view.rowHeight(), 20.0);
    EXPECT_GE(view.rowHeight(), 6.0);
    EXPECT_LT(view.rowsFit(), 64);
    EXPECT_TRUE(view.rowScrollBar()->isVisibleTo(&view));
    view.setFirstRow(1000);
    EXPECT_EQ(view.firstRow(), 64 - view.rowsFit());
    const QString tip = view.tooltipAt(QPointF(view.timeMap().to_x(25 * ms), view.rowCenterY(63)));
    EXPECT_TRUE(tip.contains(QStringLiteral("on CPU 63"))) << tip.toStdString();
    view.rowScrollBar()->setValue(0);
    EXPECT_EQ(view.firstRow(), 0);

    // The export has no scrolling: all 64 lanes, thinner.
    const Trace trace = kernel_trace(64, 64);
    const ReportLayout l = layout_report(QSizeF(1600, 900), trace);
    EXPECT_GT(l.trackRowHeight(QStringLiteral("coreLanes")), 1.5);
    EXPECT_LE(l.trackArea(QStringLiteral("coreLanes")).bottom(), l.trackArea(QStringLiteral("cpuChart")).top());
    EXPECT_LT(l.trackArea(QStringLiteral("cpuChart")).bottom(), 900);
}

TEST(ImageExport, CpuLanesShowEachTasksThreadOnItsCore)
{
    const Trace trace = kernel_trace();
    const QSize size(1600, 900);
    QImage image(size, QImage::Format_RGB32);
    QPainter p(&image);
    paint_report(p, QSizeF(size), trace, full_range(trace));
    p.end();
    const ReportLayout l = layout_report(QSizeF(size), trace);
    ASSERT_FALSE(l.trackArea(QStringLiteral("coreLanes")).isEmpty());
    EXPECT_GE(l.trackArea(QStringLiteral("coreLanes")).top(), l.timeline.bottom());
    const TimeMap map = timeline_time_map(l.timeline, l.style, full_range(trace));
    for (const CoreSpan& s : trace.cores) {
        const int x = int(map.to_x(s.start + (s.end - s.start) / 5)); // off the name in the middle
        const int y = int(l.trackArea(QStringLiteral("coreLanes")).top() + (s.core + 0.5) * l.trackRowHeight(QStringLiteral("coreLanes")));
        EXPECT_EQ(image.pixelColor(x, y).rgb(), task_color(s.task).rgb()) << "CPU " << s.core << " at " << x;
    }
    // The task rows show running and preempted turns, each where the trace says.
    const QRectF plot = timeline_plot_rect(l.timeline, l.style);
    for (std::size_t row = 0; row < trace.tasks.size(); ++row) {
        for (const Span& s : trace.tasks[row].spans) {
            const int x = int(map.to_x((s.start + s.end) / 2));
            const int y = int(plot.top() + (double(row) + 0.5) * l.style.row_height);
            EXPECT_EQ(image.pixelColor(x, y).rgb(), state_color(s.state).rgb()) << trace.tasks[row].name;
        }
    }
    const QString text = test::painted_text(size, [&](QPainter& svg) { paint_report(svg, QSizeF(size), trace, full_range(trace)); });
    for (const char* word : { "CPU 0", "CPU 1", "preempted", "blocked", "CPU lanes" })
        EXPECT_TRUE(text.contains(QString::fromUtf8(word))) << word;
    // Without kernel data: no lanes, no lanes' legend.
    const Trace plain = kernel_trace(2, 4, KernelSource::None);
    EXPECT_TRUE(layout_report(QSizeF(size), plain).trackArea(QStringLiteral("coreLanes")).isEmpty());
    const QString plain_text
        = test::painted_text(size, [&](QPainter& svg) { paint_report(svg, QSizeF(size), plain, full_range(plain)); });
    EXPECT_FALSE(plain_text.contains(QStringLiteral("CPU 0")));
    EXPECT_FALSE(plain_text.contains(QStringLiteral("CPU lanes")));
}

TEST(TimelineView, RunningSpansNameTheirCoreAndPreemptedOnesSayWhy)
{
    ZoomState zoom;
    zoom.setBounds(TimeRange { 0, 400 * ms });
    TimelineView view(&zoom);
    view.resize(900, 300);
    view.setTrace(std::make_shared<const Trace>(kernel_trace()));
    const QRectF plot = timeline_plot_rect(view.timelineArea(), view.style());
    const TimeMap map = timeline_time_map(view.timelineArea(), view.style(), zoom.range());
    const double row_b = plot.top() + 1.5 * view.style().row_height;
    const QString running = view.tooltipAt(QPointF(map.to_x(25 * ms), row_b));
    EXPECT_TRUE(running.contains(QStringLiteral("running"))) << running.toStdString();
    EXPECT_TRUE(running.contains(QStringLiteral("on CPU 1"))) << running.toStdString();
    const QString preempted = view.tooltipAt(QPointF(map.to_x(75 * ms), row_b));
    EXPECT_TRUE(preempted.contains(state_label(State::Preempted))) << preempted.toStdString();
    EXPECT_TRUE(preempted.contains(state_explanation(State::Preempted)));
    EXPECT_FALSE(preempted.contains(QStringLiteral("on CPU")));
}

TEST(Legend, NamesPreemptedAndBlockedAndWithLanesTheirColours)
{
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(13);
    const QString plain = test::painted_text(QSize(1400, 100), [&](QPainter& p) { paint_legend(p, QRectF(0, 0, 1400, 100), font); });
    for (const State s : { State::Running, State::Preempted, State::Blocked, State::GilWait })
        EXPECT_TRUE(plain.contains(state_label(s))) << state_name(s);
    EXPECT_FALSE(plain.contains(QStringLiteral("CPU lanes")));
    const QString lanes
        = test::painted_text(QSize(1400, 100), [&](QPainter& p) { paint_legend(p, QRectF(0, 0, 1400, 100), font, true, { .core_lanes = true }); });
    EXPECT_TRUE(lanes.contains(QStringLiteral("CPU lanes: a colour per task")));
    EXPECT_GE(paint_legend_height(font, 600, { .core_lanes = true }), paint_legend_height(font, 600));
}

TEST(Help, ExplainsPreemptedBlockedAndTheCpuLanes)
{
    const QString html = timeline_help_html();
    for (const State s : { State::Preempted, State::Blocked }) {
        EXPECT_TRUE(html.contains(QStringLiteral("color:%1").arg(state_color(s).name()))) << state_name(s);
        EXPECT_TRUE(html.contains(state_explanation(s))) << state_name(s);
    }
    for (const char* words : { "CPU lanes", "migrated", "time-sliced", "everything else", "Kernel data" })
        EXPECT_TRUE(html.contains(QString::fromUtf8(words))) << words;
}

TEST(ParameterPanel, KernelDataChoiceGoesIntoTheRunAndIsRemembered)
{
    {
        ParameterPanel panel;
        QComboBox* kernel = panel.kernelBox();
        ASSERT_EQ(kernel->count(), 4);
        EXPECT_EQ(kernel->itemText(0), QStringLiteral("auto"));
        EXPECT_EQ(kernel->itemText(1), QStringLiteral("exact (perf)"));
        EXPECT_EQ(kernel->itemText(2), QStringLiteral("sampled (/proc)"));
        EXPECT_EQ(kernel->itemText(3), QStringLiteral("off"));
        ASSERT_TRUE(panel.config());
        EXPECT_EQ(panel.config()->kernel.mode, KernelMode::Auto);
        choose(kernel, QStringLiteral("sampled"));
        EXPECT_EQ(panel.config()->kernel.mode, KernelMode::Sampled);
        QSettings settings;
        panel.save(settings);
    }
    ParameterPanel again;
    QSettings settings;
    again.load(settings);
    EXPECT_EQ(again.config()->kernel.mode, KernelMode::Sampled);
    choose(again.kernelBox(), QStringLiteral("auto"));
    again.save(settings);
}

TEST(ParameterPanel, SquareNumbersTakesSixtyFourTasks)
{
    ParameterPanel panel;
    choose(panel.workloadBox(), QStringLiteral("square-numbers"));
    panel.tasksBox()->setValue(64);
    EXPECT_EQ(panel.tasksBox()->value(), 64);
    ASSERT_TRUE(panel.config()) << panel.error().toStdString();
    EXPECT_EQ(panel.config()->workload_options.tasks, 64);
}
