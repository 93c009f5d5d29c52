// A Chrome trace from another tool opens read-only: a row per thread and depth, spans by name in
// tooltips and exports, no scorecard, and what was not understood said in the scorecard's place.
// (Its file named in the window's title: open_trace_test.cpp.)
#include "core/formats/trace_json.h"
#include "ui/tracks/draw_list.h"
#include "ui/export/image_export.h"
#include "ui/panels/scorecard_view.h"
#include "ui/tracks/timeline_view.h"
#include "action_helpers.h"
#include "timeline_helpers.h"

#include <QImage>
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
