// Issue 13, what users of comparable tools expect: find tasks by name (Ctrl+F), a row height
// setting, and Tracy's and Perfetto's keys (W/S zoom, A/D pan).
#include "core/formats/trace_json.h"
#include "ui/panels/span_details.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "window_helpers.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Fixture;

namespace {

// 300 tasks named T1..T300, each waiting one second, saved where the window can open it.
QString many_tasks_file(const QTemporaryDir& dir)
{
    Trace trace;
    trace.info.workload = "table-loading";
    trace.info.model = "async";
    trace.info.makespan = kNanosPerSecond;
    trace.complete = true;
    for (int i = 0; i < 300; ++i) {
        TaskTrace t;
        t.name = "T" + std::to_string(i + 1);
        t.status = State::Done;
        t.spans.push_back(Span { 0, kNanosPerSecond, 0, 0, -1, State::Waiting });
        summarise_task(t);
        trace.tasks.push_back(t);
    }
    const QString path = dir.filePath(QStringLiteral("many.json"));
    const std::string error = save_trace(trace, scorecard_if_any(trace), path.toStdString());
    EXPECT_EQ(error, "");
    return path;
}

std::vector<std::string> names_of(const Trace& trace)
{
    std::vector<std::string> out;
    for (const TaskTrace& t : trace.tasks)
        out.push_back(t.name);
    return out;
}

} // namespace

TEST(FindTask, CtrlFTypesANameAndTheTimelineScrollsToItAndMarksIt)
{
    QTemporaryDir dir;
    Fixture f;
    ASSERT_EQ(test::open(f.window, many_tasks_file(dir)), QString());
    test::settle();
    TimelineView* view = f.window.timeline();
    ASSERT_EQ(view->firstRow(), 0);
    f.window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&f.window));
    view->setFocus();
    QTest::keyClick(view, Qt::Key_F, Qt::ControlModifier);
    ASSERT_EQ(QApplication::focusWidget(), f.window.findField());

    QTest::keyClicks(f.window.findField(), QStringLiteral("t25"));
    // T25 and T250..T259: the first is row 24, in sight from the start.
    EXPECT_EQ(view->matchingRows().size(), 11u);
    EXPECT_EQ(view->currentMatch(), 24);
    EXPECT_EQ(f.window.findChild<QLabel*>(QStringLiteral("findCount"))->text(), QStringLiteral("1 of 11"));
    // Enter goes to the next, far down: the rows scroll to it.
    QTest::keyClick(f.window.findField(), Qt::Key_Return);
    EXPECT_EQ(view->currentMatch(), 249);
    EXPECT_LE(view->firstRow(), 249);
    EXPECT_GT(view->firstRow() + view->rowsFit(), 249);
    EXPECT_EQ(f.window.findChild<QLabel*>(QStringLiteral("findCount"))->text(), QStringLiteral("2 of 11"));
    // Shift+Enter goes back; past the first it wraps to the last.
    QTest::keyClick(f.window.findField(), Qt::Key_Return, Qt::ShiftModifier);
    EXPECT_EQ(view->currentMatch(), 24);
    QTest::keyClick(f.window.findField(), Qt::Key_Return, Qt::ShiftModifier);
    EXPECT_EQ(view->currentMatch(), 258);

    QTest::keyClicks(f.window.findField(), QStringLiteral("x"));
    EXPECT_TRUE(view->matchingRows().empty());
    EXPECT_EQ(f.window.findChild<QLabel*>(QStringLiteral("findCount"))->text(), QStringLiteral("no task"));
}

TEST(FindTask, RowHeightIsASettingThatChangesHowManyRowsFit)
{
    QTemporaryDir dir;
    Fixture f;
    ASSERT_EQ(test::open(f.window, many_tasks_file(dir)), QString());
    test::settle();
    TimelineView* view = f.window.timeline();
    const int automatic = view->rowsFit();
    f.window.rowHeightBox()->setValue(12);
    test::settle();
    EXPECT_EQ(view->rowHeight(), 12);
    EXPECT_GT(view->rowsFit(), automatic);
    f.window.rowHeightBox()->setValue(3);
    EXPECT_EQ(view->rowHeight(), 8) << "never below 8 px";
    f.window.rowHeightBox()->setValue(0);
    test::settle();
    EXPECT_EQ(view->rowsFit(), automatic);
    EXPECT_EQ(f.window.rowHeightBox()->text(), QStringLiteral("auto"));
}

TEST(KeyboardNavigation, WAndSZoomAtTheMiddleAAndDPan)
{
    Fixture f;
    ASSERT_EQ(test::open(f.window, test::example_trace("mixed-async.json")), QString());
    test::settle();
    TimelineView* view = f.window.timeline();
    view->setFocus();
    ZoomState* zoom = f.window.zoom();
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

TEST(RowFilter, OnlyTasksInAStateGetRowsAndHiddenRowsComeBack)
{
    Fixture f;
    // Three tasks: A queues then waits, B computes, C waits then computes.
    Trace made;
    made.info.workload = "mixed";
    made.info.model = "threads";
    made.info.makespan = 3 * kNanosPerSecond;
    made.complete = true;
    const std::vector<std::vector<Span>> spans {
        { Span { 0, kNanosPerSecond, 0, 0, -1, State::Queued }, Span { kNanosPerSecond, 2 * kNanosPerSecond, 1, 2, -1, State::Waiting } },
        { Span { 0, 3 * kNanosPerSecond, 1, 3, -1, State::Running } },
        { Span { 0, kNanosPerSecond, 1, 4, -1, State::Waiting }, Span { kNanosPerSecond, 2 * kNanosPerSecond, 1, 4, -1, State::Running } },
    };
    for (std::size_t i = 0; i < spans.size(); ++i) {
        TaskTrace t;
        t.name = std::string(1, char('A' + i));
        t.status = State::Done;
        t.spans = spans[i];
        summarise_task(t);
        made.tasks.push_back(t);
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("three.json"));
    ASSERT_EQ(save_trace(made, scorecard_if_any(made), path.toStdString()), "");
    ASSERT_EQ(test::open(f.window, path), QString());
    test::settle();
    const Trace& trace = *f.window.trace();
    TimelineView* view = f.window.timeline();
    ASSERT_EQ(view->trace()->tasks.size(), trace.tasks.size());
    const auto names = [](const Trace& t, State state, int leave_out) {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < t.tasks.size(); ++i) {
            if (int(i) != leave_out && (state == State::Done || t.tasks[i].time_in(state) > 0))
                out.push_back(t.tasks[i].name);
        }
        return out;
    };
    const auto shown = [view] { return names_of(*view->trace()); };

    // Only the task that queued gets a row under "queued".
    QComboBox* filter = f.window.rowFilter();
    filter->setCurrentIndex(filter->findData(int(State::Queued)));
    const auto queued = names(trace, State::Queued, -1);
    ASSERT_EQ(queued, std::vector<std::string> { "A" });
    EXPECT_EQ(shown(), queued);
    EXPECT_EQ(f.window.findChild<QLabel*>(QStringLiteral("rowsShown"))->text(),
        QStringLiteral("%1 of %2").arg(queued.size()).arg(trace.tasks.size()));

    // Hide a row: gone under every filter; the span details follow the rows as shown.
    filter->setCurrentIndex(0);
    EXPECT_EQ(view->trace()->tasks.size(), trace.tasks.size());
    f.window.hideTask(0);
    EXPECT_EQ(shown(), names(trace, State::Done, 0));
    view->selectSpan(SpanRef { 0, 0 });
    EXPECT_TRUE(f.window.spanDetails()->field("task")->text().startsWith(QString::fromStdString(trace.tasks[1].name)));
    filter->setCurrentIndex(filter->findData(int(State::Waiting)));
    EXPECT_EQ(shown(), std::vector<std::string> { "C" });

    f.window.showAllTasks();
    EXPECT_EQ(view->trace()->tasks.size(), trace.tasks.size());
    EXPECT_EQ(filter->currentData().toInt(), -1);
    EXPECT_TRUE(f.window.findChild<QLabel*>(QStringLiteral("rowsShown"))->text().isEmpty());
    // Bad indices are ignored.
    f.window.hideTask(-1);
    f.window.hideTask(1000);
    EXPECT_EQ(view->trace()->tasks.size(), trace.tasks.size());
}
