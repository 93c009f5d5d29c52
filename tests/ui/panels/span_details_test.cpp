// Issue 13, what users of comparable tools expect: click a span for a details panel, step
// through the task's spans with the arrow keys or the panel's buttons.
#include "ui/style/palette.h"
#include "ui/panels/span_details.h"
#include "ui/tracks/time_axis.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "window_helpers.h"

#include <QDockWidget>
#include <QLabel>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Fixture;

namespace {

// The longest span of a task that has one before and after it: wide enough to be clicked.
SpanRef longest_span(const Trace& trace, int task)
{
    const auto& spans = trace.tasks[std::size_t(task)].spans;
    int best = 1;
    for (int i = 1; i + 1 < int(spans.size()); ++i) {
        if (spans[std::size_t(i)].duration() > spans[std::size_t(best)].duration())
            best = i;
    }
    return SpanRef { task, best };
}

QString text(SpanDetails* details, const char* field) { return details->field(field)->text(); }

} // namespace

TEST(SpanDetails, ClickingASpanShowsItAndArrowsAndButtonsStepThroughItsTask)
{
    Fixture f;
    ASSERT_EQ(test::open(f.window, test::example_trace("mixed-threads-gil.json")), QString());
    test::settle();
    TimelineView* view = f.window.timeline();
    const Trace& trace = *f.window.trace();
    EXPECT_FALSE(f.window.findChild<QDockWidget*>(QStringLiteral("spanDetailsDock"))->isVisible()) << "hidden until there is something to show";

    const int task = 1;
    const SpanRef ref = longest_span(trace, task);
    const QRectF rect = view->spanRect(ref);
    ASSERT_GT(rect.width(), 4);
    QTest::mouseClick(view, Qt::LeftButton, Qt::NoModifier, rect.center().toPoint());
    test::settle();
    EXPECT_EQ(view->selectedSpan(), ref);
    EXPECT_TRUE(f.window.findChild<QDockWidget*>(QStringLiteral("spanDetailsDock"))->isVisible());

    SpanDetails* details = f.window.findChild<SpanDetails*>();
    const TaskTrace& t = trace.tasks[std::size_t(task)];
    const Span& s = t.spans[std::size_t(ref.index)];
    EXPECT_TRUE(text(details, "task").startsWith(QString::fromStdString(t.name)));
    EXPECT_TRUE(text(details, "state").contains(state_label(s.state)));
    EXPECT_EQ(text(details, "start"), QString::fromStdString(format_instant(s.start, 1000)));
    EXPECT_EQ(text(details, "end"), QString::fromStdString(format_instant(s.end, 1000)));
    EXPECT_EQ(text(details, "duration"), QString::fromStdString(format_duration(s.duration())));
    EXPECT_EQ(text(details, "worker"), QStringLiteral("pid %1, tid %2").arg(s.pid()).arg(s.tid()));
    EXPECT_FALSE(text(details, "core").isEmpty());
    EXPECT_TRUE(text(details, "reason").startsWith(QStringLiteral("done")));

    // Right and Left on the timeline step to the next and previous span of the same task.
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Right);
    EXPECT_EQ(view->selectedSpan(), (SpanRef { task, ref.index + 1 }));
    EXPECT_EQ(text(details, "start"), QString::fromStdString(format_instant(t.spans[std::size_t(ref.index + 1)].start, 1000)));
    QTest::keyClick(view, Qt::Key_Left);
    QTest::keyClick(view, Qt::Key_Left);
    EXPECT_EQ(view->selectedSpan(), (SpanRef { task, ref.index - 1 }));

    // So do the panel's buttons; at the task's first span Previous is off, and Left stays.
    QTest::mouseClick(details->nextButton(), Qt::LeftButton);
    EXPECT_EQ(view->selectedSpan(), ref);
    for (int i = 0; i < ref.index; ++i)
        QTest::mouseClick(details->previousButton(), Qt::LeftButton);
    EXPECT_EQ(view->selectedSpan(), (SpanRef { task, 0 }));
    EXPECT_FALSE(details->previousButton()->isEnabled());
    const TimeRange before = f.window.zoom()->range();
    QTest::keyClick(view, Qt::Key_Left);
    EXPECT_EQ(view->selectedSpan(), (SpanRef { task, 0 }));
    EXPECT_EQ(f.window.zoom()->range(), before) << "Left neither pans nor loses the choice";
    EXPECT_TRUE(text(details, "task").contains(QStringLiteral("span 1 of %1").arg(t.spans.size())));

    // A click on empty space clears the choice and the panel says how to choose.
    QTest::mouseClick(view, Qt::LeftButton, Qt::NoModifier, QPoint(5, view->height() / 3));
    EXPECT_FALSE(view->selectedSpan().valid());
    EXPECT_TRUE(text(details, "start").isEmpty());
}

TEST(SpanDetails, SteppingToASpanOutOfViewBringsItIntoView)
{
    Fixture f;
    ASSERT_EQ(test::open(f.window, test::example_trace("mixed-threads-gil.json")), QString());
    test::settle();
    TimelineView* view = f.window.timeline();
    const Trace& trace = *f.window.trace();
    const int task = 0;
    const auto& spans = trace.tasks[task].spans;
    ASSERT_GT(spans.size(), 3u);
    view->selectSpan(SpanRef { task, 0 });
    // Zoom into the first span only, then walk to the last: each stays in the visible range.
    f.window.zoom()->zoomTo(TimeRange { spans[0].start, spans[0].end });
    view->setFocus();
    for (std::size_t i = 1; i < spans.size(); ++i) {
        QTest::keyClick(view, Qt::Key_Right);
        const TimeRange r = f.window.zoom()->range();
        ASSERT_EQ(view->selectedSpan().index, int(i));
        EXPECT_TRUE(spans[i].end > r.start && spans[i].start < r.end) << i;
    }
}

TEST(SpanDetails, ANewRunOrTraceClearsTheChoice)
{
    Fixture f;
    ASSERT_EQ(test::open(f.window, test::example_trace("mixed-threads-gil.json")), QString());
    f.window.timeline()->selectSpan(SpanRef { 0, 0 });
    EXPECT_TRUE(f.window.timeline()->selectedSpan().valid());
    ASSERT_EQ(test::open(f.window, test::example_trace("table-loading-processes.json")), QString());
    EXPECT_FALSE(f.window.timeline()->selectedSpan().valid());
    EXPECT_TRUE(f.window.findChild<SpanDetails*>()->field("task")->text().isEmpty());
    // A span that does not exist is no choice, and nothing breaks.
    f.window.timeline()->selectSpan(SpanRef { 99, 3 });
    EXPECT_FALSE(f.window.timeline()->selectedSpan().valid());
}

// Issue 23, defect 9: a GIL wait was "on CPU 1" in a trace with no kernel data. A state that runs
// on no core names none; a running span without kernel data says its core is where it began.
TEST(SpanDetails, OnlyARunningSpanNamesACore)
{
    Trace trace;
    trace.kernel.source = KernelSource::None;
    const auto span = [](State state, std::int16_t core) {
        Span s;
        s.state = state;
        s.core = core;
        return s;
    };
    const Span wait = span(State::GilWait, 1), run = span(State::Running, 1), blocked = span(State::Blocked, 0);
    EXPECT_EQ(span_core_text(trace, wait), QStringLiteral("none: GIL wait uses no core"));
    EXPECT_EQ(span_core_text(trace, blocked), QStringLiteral("none: blocked uses no core"));
    EXPECT_TRUE(span_core_text(trace, run).startsWith(QStringLiteral("CPU 1 when it began"))) << span_core_text(trace, run).toStdString();
    trace.kernel.source = KernelSource::Exact;
    EXPECT_EQ(span_core_text(trace, run), QStringLiteral("CPU 1"));
    EXPECT_EQ(span_core_text(trace, wait), QStringLiteral("none: GIL wait uses no core"));
}
