// The timeline on its own, as a person uses it: hover explains a span, the wheel zooms at the
// cursor, and Tracy's and Perfetto's keys zoom (W/S) and pan (A/D).
#include "run_helpers.h"
#include "hand_made_trace.h"
#include "painted_text.h"
#include "timeline_helpers.h"
#include "ui/tracks/timeline_painter.h"
#include "ui/panels/scorecard_view.h"
#include "ui/style/palette.h"
#include "ui/tracks/time_axis.h"

#include <QRegularExpression>
#include <QScrollBar>
#include <QWheelEvent>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Timeline;

TEST(Timeline, HoverExplainsTheSpanUnderTheCursor)
{
    Timeline f(run_to_end(test::small_config("table-loading", ModelKind::Processes)));
    TimelineView* view = &f.view;
    const auto trace = view->trace();
    const QRectF plot = timeline_plot_rect(view->timelineArea(), view->style());
    // Row C (the longest wait), in the middle of the run.
    const TaskTrace& c = trace->tasks[2];
    const Span* waiting = nullptr;
    for (const Span& s : c.spans) {
        if (s.state == State::Waiting)
            waiting = &s;
    }
    ASSERT_NE(waiting, nullptr);
    const TimeMap map = timeline_time_map(view->timelineArea(), view->style(), f.zoom.range());
    const QPointF at(map.to_x((waiting->start + waiting->end) / 2), plot.top() + 2.5 * view->style().row_height);
    const QString tip = view->tooltipAt(at);
    EXPECT_TRUE(tip.contains(QStringLiteral("<b>C</b>"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("waiting")));
    EXPECT_TRUE(tip.contains(QStringLiteral("worker pid %1").arg(waiting->pid())));
    // One unit rule (issue 13, defect 10): C starts waiting some 50 ms in, and the tip says so
    // in ms, as it gives the duration, not in raw µs.
    EXPECT_TRUE(tip.contains(QRegularExpression(QStringLiteral("start \\d+(\\.\\d+)? ms,")))) << tip.toStdString();
}

TEST(Timeline, WheelZoomsAtTheCursor)
{
    Timeline f(run_to_end(test::small_config("async-delay", ModelKind::Async)));
    TimelineView* view = &f.view;
    const TimeRange before = f.zoom.range();
    const QPointF at(view->plotLeft() + view->plotWidth() / 2, 60);
    const Nanos anchor = view->timeAt(at.x());
    QWheelEvent wheel(at, view->mapToGlobal(at), QPoint(), QPoint(0, 120 * 3), Qt::NoButton, Qt::NoModifier,
        Qt::NoScrollPhase, false);
    QApplication::sendEvent(view, &wheel);
    const TimeRange after = f.zoom.range();
    EXPECT_LT(after.end - after.start, before.end - before.start);
    EXPECT_NEAR(double(view->timeAt(at.x())), double(anchor), double(after.end - after.start) / 500);
    f.zoom.fit();
    EXPECT_EQ(f.zoom.range(), before);
}

TEST(KeyboardNavigation, WAndSZoomAtTheMiddleAAndDPan)
{
    Timeline f(test::load_example("mixed-async.json"));
    TimelineView* view = &f.view;
    view->setFocus();
    ZoomState* zoom = &f.zoom;
    const TimeRange whole = zoom->range();
    const auto width = [](TimeRange r) { return r.end - r.start; };
    const auto middle = [](TimeRange r) { return r.start + (r.end - r.start) / 2; };

    QTest::keyClick(view, Qt::Key_W);
    QTest::keyClick(view, Qt::Key_W);
    TimeRange r = zoom->range();
    EXPECT_NEAR(double(width(r)), double(width(whole)) / 1.5625, 2.0);
    EXPECT_NEAR(double(middle(r)), double(middle(whole)), 2.0);
    const TimeRange zoomed = r;
    QTest::keyClick(view, Qt::Key_D);
    r = zoom->range();
    EXPECT_EQ(r.start - zoomed.start, width(zoomed) / 10);
    QTest::keyClick(view, Qt::Key_A);
    EXPECT_EQ(zoom->range(), zoomed);
    QTest::keyClick(view, Qt::Key_S);
    QTest::keyClick(view, Qt::Key_S);
    EXPECT_NEAR(double(width(zoom->range())), double(width(whole)), 4.0);
    // Left and Right pan too while no span is chosen.
    QTest::keyClick(view, Qt::Key_W);
    const TimeRange in = zoom->range();
    QTest::keyClick(view, Qt::Key_Right);
    EXPECT_EQ(zoom->range().start - in.start, width(in) / 10);
}

// Issue 20: real Python's reasons, told apart at a glance and named on hover: a lock wait is
// blocked, an I/O wait is waiting and names its socket, a GIL wait says the kernel saw it on the
// GIL, and a thread running without the GIL is dotted and explained.
TEST(Timeline, RealPythonSpansSayWhyTheKernelHadThemOffACoreAndWhoHeldTheGil)
{
    constexpr Nanos ms = kNanosPerMilli;
    auto trace = std::make_shared<Trace>();
    trace->info.engine = "cpython";
    trace->info.model = "script";
    trace->complete = true;
    trace->info.makespan = 40 * ms;
    trace->targets = { "", "socket 127.0.0.1:5000" };
    const auto row = [&](const char* name, Span s) {
        TaskTrace t;
        t.name = name;
        t.thread_row = true;
        t.status = State::Done;
        t.started = 0;
        t.finished = 40 * ms;
        s.start = 0;
        s.end = 40 * ms;
        t.spans = { s };
        trace->tasks.push_back(t);
    };
    Span lock { 0, 0, 1, 11, -1, State::Blocked, WaitReason::Lock };
    Span io { 0, 0, 1, 12, -1, State::Waiting, WaitReason::Io, GilHold::Unknown, 1 };
    Span gil { 0, 0, 1, 13, -1, State::GilWait, WaitReason::Gil };
    Span released { 0, 0, 1, 14, 0, State::Running, WaitReason::None, GilHold::Released };
    row("Thread-1 (get)", lock);
    row("Thread-2 (recv)", io);
    row("Thread-3 (spin)", gil);
    row("Thread-4 (digest)", released);
    test::Timeline f(trace);
    const QRectF plot = timeline_plot_rect(f.view.timelineArea(), f.view.style());
    const auto tip = [&](int r) {
        return f.view.tooltipAt(QPointF(plot.center().x(), plot.top() + (r + 0.5) * f.view.style().row_height)).toStdString();
    };
    EXPECT_NE(tip(0).find("why, by the kernel: lock"), std::string::npos) << tip(0);
    EXPECT_NE(tip(1).find("why, by the kernel: io"), std::string::npos) << tip(1);
    EXPECT_NE(tip(1).find("waiting for: socket 127.0.0.1:5000"), std::string::npos) << tip(1);
    EXPECT_NE(tip(2).find("why, by the kernel: gil"), std::string::npos) << tip(2);
    EXPECT_NE(tip(3).find("GIL: released"), std::string::npos) << tip(3);

    // Dotted: the released bar has white dots among its running blue; a held one would not.
    const QImage shot = f.view.grab().toImage();
    const int y = int(plot.top() + 3.5 * f.view.style().row_height);
    int white = 0, blue = 0;
    for (int x = int(plot.left()) + 10; x < int(plot.left()) + 110; ++x) {
        const QColor c = shot.pixelColor(x, y);
        white += c.lightness() > 200;
        blue += c == state_color(State::Running);
    }
    EXPECT_GT(white, 0);
    EXPECT_GT(blue, 0);

    // The scorecard counts the time without the GIL and gives the GIL's own count of hand-overs.
    auto counted = std::make_shared<Trace>(*trace);
    counted->info.gil_switch_number = 46;
    counted->info.gil_hand_overs = 45;
    const std::string card = scorecard_html(*counted).toStdString();
    EXPECT_NE(card.find("45 drawn, 46 counted"), std::string::npos) << card;
    EXPECT_NE(card.find("without the GIL</td><td align='right'><b>40 ms"), std::string::npos) << card;

    // What could not be read is said under the scorecard.
    counted->info.waits_note = "why threads were off a core is not known for 1 thread: the kernel refused";
    counted->info.gil_found = "not found: no GIL fields before the futex word 0x10";
    const std::string note = kernel_note_text(*counted).toStdString();
    EXPECT_NE(note.find("the kernel refused"), std::string::npos) << note;
    EXPECT_NE(note.find("GIL not found: no GIL fields before the futex word 0x10: no wait is called a GIL wait"), std::string::npos) << note;
}

// Rows of real Python are named "thread 1234567 (native)" or "fetch('alpha')": the label column
// grows to show the longest whole (up to a third of the width), the CPU bands follow the plot's
// new left edge, short names keep the usual 150 px, and an export shows them whole too.
TEST(Timeline, TheLabelColumnFitsTheLongestRowLabel)
{
    auto trace = std::const_pointer_cast<Trace>(test::waiting_tasks(3));
    trace->tasks[1].name = "thread 1234567 (native)";
    trace->tasks[2].name = "fetch('a rather long argument')";
    Timeline f(trace);
    TimelineView* view = &f.view;
    const QFontMetricsF fm(view->style().font);
    const double longest = fm.horizontalAdvance(QString::fromStdString(trace->tasks[2].name));
    ASSERT_GT(longest + 34, 150) << "the font is too small for the test to tell";
    EXPECT_GE(view->style().label_width, longest + 34);
    EXPECT_LE(view->style().label_width, view->timelineArea().width() / 3 + 0.5);
    EXPECT_DOUBLE_EQ(view->plotLeft(), view->timelineArea().left() + view->style().label_width);
    const QString text = test::painted_text(view->size(), [&](QPainter& p) {
        paint_timeline(p, view->timelineArea(), *trace, f.zoom.range(), 0, view->style());
    });
    EXPECT_TRUE(text.contains(QStringLiteral("thread 1234567 (native)"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("fetch('a rather long argument')"))) << text.toStdString();
    EXPECT_FALSE(text.contains(QChar(0x2026))) << "a label was cut: " << text.toStdString();
    const QString exported = test::painted_text(QSize(1600, 900), [&](QPainter& p) {
        paint_report(p, QSizeF(1600, 900), *trace, full_range(*trace));
    });
    EXPECT_TRUE(exported.contains(QStringLiteral("fetch('a rather long argument')"))) << exported.toStdString();

    Timeline plain(test::waiting_tasks(3));
    EXPECT_DOUBLE_EQ(plain.view.style().label_width, 150);
}

// Seen under Xvfb: a Dask row's label read "A · 127.....1:37647" and "IO-1 · 1....1:45033", the
// worker's address cut in the middle. A label too long for its column now cuts the task's name
// and keeps the worker whole; only where even that does not fit is all of it cut.
TEST(RowLabels, ALongLabelCutsTheNameAndKeepsTheWorkerWhole)
{
    const QFont font;
    const QFontMetricsF fm(font);
    const QString name = QStringLiteral("fetch_table('customers')");
    const QString worker = QStringLiteral(" · 127.0.0.1:45033");
    const double whole = fm.horizontalAdvance(name + worker);
    EXPECT_EQ(fitted_label(fm, name, worker, whole + 1), name + worker);
    const QString cut = fitted_label(fm, name, worker, whole * 0.8);
    EXPECT_TRUE(cut.endsWith(worker)) << cut.toStdString();
    EXPECT_TRUE(cut.startsWith(QStringLiteral("fetch"))) << cut.toStdString();
    EXPECT_TRUE(cut.contains(QStringLiteral("…"))) << cut.toStdString();
    EXPECT_LE(fm.horizontalAdvance(cut), whole * 0.8);
    // Narrower than the worker itself: all of it is cut, within the width.
    const double narrow = fm.horizontalAdvance(worker) * 0.7;
    const QString tiny = fitted_label(fm, name, worker, narrow);
    EXPECT_LE(fm.horizontalAdvance(tiny), narrow);
    EXPECT_FALSE(tiny.endsWith(worker));
    // No worker: the name is cut in the middle, as before.
    EXPECT_EQ(fitted_label(fm, name, QString(), fm.horizontalAdvance(name) / 2),
        fm.elidedText(name, Qt::ElideMiddle, fm.horizontalAdvance(name) / 2));
}

// Seen under Xvfb: a script's rows read "sleep-1" where the built-in programs' read
// "IO-1 · tid 3630".
TEST(RowLabels, AScriptsRowsNameTheirThreadAsTheBuiltInProgramsDo)
{
    Trace trace = *test::load_example("table-loading-threads.json");
    trace.info.model = "script";
    trace.tasks[0].tid = 4242;
    EXPECT_EQ(task_label(trace, 0), QString::fromStdString(trace.tasks[0].name) + QStringLiteral(" · tid 4242"));
    trace.tasks[1].tid = 0; // a row no thread ran says none
    EXPECT_EQ(task_label(trace, 1), QString::fromStdString(trace.tasks[1].name));
}

// Seen under Xvfb: each run in the compare window showed its four rows with a scroll bar, and
// Shift+wheel scrolled the first row away. heightToShow() is the height at which they fit.
TEST(RowLabels, AtTheHeightToShowItsRowsEveryRowFitsAndNoScrollBarShows)
{
    test::Timeline f(test::load_example("table-loading-threads.json"));
    f.view.setLegendVisible(false);
    const int rows = int(f.view.trace()->tasks.size());
    auto* bar = f.view.findChild<QScrollBar*>(QStringLiteral("timelineRows"));
    ASSERT_NE(bar, nullptr);
    f.view.resize(f.view.width(), f.view.heightToShow(rows));
    test::settle();
    EXPECT_GE(f.view.rowsFit(), rows);
    EXPECT_FALSE(bar->isVisible());
    f.view.resize(f.view.width(), f.view.heightToShow(rows) - 12);
    test::settle();
    EXPECT_TRUE(bar->isVisible()) << "a little less, and the last row scrolls";
}
