// A Chrome trace from another tool opens read-only: a row per thread and depth, spans by name in
// tooltips and exports, no scorecard, and what was not understood said in the scorecard's place.
// (Its file named in the window's title: open_trace_test.cpp.)
#include "core/formats/trace_json.h"
#include "ui/tracks/draw_list.h"
#include "ui/export/image_export.h"
#include "ui/panels/scorecard_view.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/track_view.h"
#include "ui/tracks/timeline_painter.h"
#include "action_helpers.h"
#include "timeline_helpers.h"

#include <QComboBox>
#include <QImage>
#include <QLegend>
#include <QLabel>
#include <QTemporaryDir>

#include <set>

using namespace timeslice;
using namespace timeslice::ui;

TEST(FileActions, AForeignTraceOpensReadOnlyWithARowPerThreadAndDepth)
{
    test::Files f;
    ASSERT_EQ(test::open(*f.files, QStringLiteral(TIMESLICE_FIXTURES_DIR "/viztracer-fib.json")), QString());
    const auto trace = f.trace;
    ASSERT_TRUE(trace && trace->foreign);
    EXPECT_EQ(trace->tasks.size(), 6u);
    ScorecardView scorecard;
    scorecard.showTrace(*trace);
    const QString card = scorecard.scorecard()->text();
    EXPECT_TRUE(card.contains(QStringLiteral("VizTracer trace, read-only: 2 threads in 6 rows"))) << card.toStdString();
    EXPECT_TRUE(card.contains(QStringLiteral("ph &#x27;C&#x27; (counter)")) || card.contains(QStringLiteral("ph 'C' (counter)")))
        << card.toStdString();

    // The tooltip over main's span names it.
    test::Timeline timeline(trace);
    TimelineView* view = &timeline.view;
    const QRectF area = view->timelineArea();
    int row = -1;
    const double x = view->plotLeft() + view->plotWidth() * 0.05;
    for (double y = area.top(); y < area.bottom() && row != 0; y += 2)
        if (view->spanAt(QPointF(x, y), &row) && row == 0) {
            EXPECT_TRUE(view->tooltipAt(QPointF(x, y)).contains(QStringLiteral("main (/home/u/fib.py:8)")))
                << view->tooltipAt(QPointF(x, y)).toStdString();
            break;
        }
    EXPECT_EQ(row, 0);

    // Read-only: Save trace refuses, saying why; Export image draws it.
    QTemporaryDir dir;
    EXPECT_TRUE(f.files->saveTrace(dir.filePath(QStringLiteral("t.json"))).contains(QStringLiteral("read-only")));
    EXPECT_EQ(f.files->exportImage(dir.filePath(QStringLiteral("t.png")), QSize(800, 600)), QString());
    EXPECT_FALSE(QImage(dir.filePath(QStringLiteral("t.png"))).isNull());
}

TEST(ImageExport, AForeignTraceDrawsEveryRowAndEachSpanInItsNamesColour)
{
    Trace trace;
    std::string error;
    ASSERT_TRUE(load_trace(TIMESLICE_FIXTURES_DIR "/viztracer-fib.json", trace, error)) << error;
    // The draw list of the whole trace has a rectangle on every row, each depth included.
    const TimeMap map { 0, trace.end_time(), 0, 1000 };
    const DrawList list = build_draw_list(trace, map, 0, 100);
    std::set<int> rows;
    for (const DrawRect& r : list.rects)
        rows.insert(r.row);
    EXPECT_EQ(rows.size(), trace.tasks.size());
    // main() is a wide span on row 0: its first_span points at it.
    EXPECT_EQ(list.rects.front().row, 0);
    EXPECT_EQ(trace.foreign->names[trace.foreign->span_names[0][list.rects.front().first_span]], "main (/home/u/fib.py:8)");
}

// Issue 23, defect 7: nested rows' labels were cut to "JavaScriptMainTh…" and read as more
// threads of one name; a trace with no CPU data had an empty chart with a cpu0/cpu1 legend; the
// title said "Chrome trace trace"; a filtered foreign trace lost its span names.
TEST(MainWindow, AForeignTraceLabelsItsNestedRowsByDepthAndHasNoCpuChartToShow)
{
    test::Fixture f;
    ASSERT_EQ(test::open(f.window, QStringLiteral(TIMESLICE_FIXTURES_DIR "/viztracer-fib.json")), QString());
    const auto trace = f.window.trace();
    ASSERT_TRUE(trace && trace->foreign);
    EXPECT_EQ(task_label(*trace, 0), QStringLiteral("MainThread"));
    EXPECT_EQ(task_label(*trace, 1), QStringLiteral("  └ depth 1"));
    EXPECT_EQ(task_label(*trace, 4), QStringLiteral("Thread-1 (worker)"));
    EXPECT_EQ(trace->info.workload, "VizTracer trace");
    // No CPU samples in it: no CPU chart (an export has none either), and its room goes to the rows.
    auto* chart = f.window.findChild<TrackView*>(QStringLiteral("cpuChart"));
    ASSERT_TRUE(chart);
    EXPECT_FALSE(chart->isVisible());

    // Only the rows with "running" time: still read-only, the spans still named.
    auto* filter = f.window.findChild<QComboBox*>(QStringLiteral("rowFilter"));
    ASSERT_TRUE(filter);
    filter->setCurrentIndex(filter->findData(int(State::Running)));
    const Trace* shown = f.window.timeline()->trace();
    ASSERT_TRUE(shown && shown->foreign);
    EXPECT_EQ(shown->foreign->depth.size(), shown->tasks.size());
    EXPECT_EQ(task_label(*shown, 1), QStringLiteral("  └ depth 1"));

    ASSERT_EQ(test::open(f.window, QStringLiteral(TIMESLICE_FIXTURES_DIR "/node-worker-threads.json")), QString());
    EXPECT_FALSE(f.window.windowTitle().contains(QStringLiteral("trace trace"))) << f.window.windowTitle().toStdString();
}

// Issue 23, defect 7: the "not understood" line ran off a small image's edge; it wraps, and the
// rows start below it.
TEST(ImageExport, AForeignTracesLongSubtitleWrapsAboveTheRows)
{
    Trace trace;
    std::string error;
    ASSERT_TRUE(load_trace(TIMESLICE_FIXTURES_DIR "/node-worker-threads.json", trace, error)) << error;
    const QString line = parameters_text(trace);
    const ReportLayout small = layout_report(QSizeF(800, 600), trace);
    const QFontMetricsF fm(small.base);
    ASSERT_GT(fm.horizontalAdvance(line), 800 - 2 * 24 * small.unit) << "the line fits: nothing to wrap";
    EXPECT_GE(small.parameters_height, 2 * fm.lineSpacing() - 1);
    EXPECT_GE(small.timeline.top(), small.header_top + 34 * small.unit + small.parameters_height);
}

// Issue 23, defect 6: File > Open listed only *.json, hiding Node's node_trace.1.log. Every file is
// listed first, and a .log of Chrome trace events opens by its content.
TEST(FileActions, OpenListsEveryFileAndANodeLogOpensByItsContent)
{
    EXPECT_TRUE(FileActions::openTraceFilter().startsWith(QStringLiteral("All files (*);;")))
        << FileActions::openTraceFilter().toStdString();
    test::Files f;
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("node_trace.1.log"));
    ASSERT_TRUE(QFile::copy(QStringLiteral(TIMESLICE_FIXTURES_DIR "/node-worker-threads.json"), log));
    ASSERT_EQ(test::open(*f.files, log), QString());
    ASSERT_TRUE(f.trace && f.trace->foreign);
    EXPECT_EQ(f.trace->foreign->source, "Node.js");
}
