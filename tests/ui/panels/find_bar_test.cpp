// Issue 13, what users of comparable tools expect: find tasks by name, a row height setting, and
// rows only for the tasks in one state (or not hidden by hand), in the bar over the timeline.
#include "ui/panels/find_bar.h"
#include "core/formats/trace_json.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "window_helpers.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace timeslice;
using namespace timeslice::ui;

namespace {

// The bar over a timeline, as the window lays them out, showing `trace`.
struct Bar {
    ZoomState zoom;
    QWidget window;
    TimelineView* view = new TimelineView(&zoom);
    FindBar* bar = new FindBar(view);
    explicit Bar(std::shared_ptr<const Trace> trace)
    {
        auto* layout = new QVBoxLayout(&window);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(0);
        layout->addWidget(bar);
        layout->addWidget(view, 1);
        window.resize(880, 480);
        window.show();
        zoom.setBounds(TimeRange { 0, trace->end_time() });
        bar->setTrace(std::move(trace));
        test::settle();
    }
    QString label(const char* name) const { return bar->findChild<QLabel*>(QString::fromLatin1(name))->text(); }
};

// 300 tasks named T1..T300, each waiting one second.
std::shared_ptr<const Trace> many_tasks()
{
    auto trace = std::make_shared<Trace>();
    trace->info.workload = "table-loading";
    trace->info.model = "async";
    trace->info.makespan = kNanosPerSecond;
    trace->complete = true;
    for (int i = 0; i < 300; ++i) {
        TaskTrace t;
        t.name = "T" + std::to_string(i + 1);
        t.status = State::Done;
        t.spans.push_back(Span { 0, kNanosPerSecond, 0, 0, -1, State::Waiting });
        summarise_task(t);
        trace->tasks.push_back(t);
    }
    return trace;
}

std::vector<std::string> names_of(const Trace& trace)
{
    std::vector<std::string> out;
    for (const TaskTrace& t : trace.tasks)
        out.push_back(t.name);
    return out;
}

} // namespace

TEST(FindTask, TypingANameScrollsTheTimelineToItAndMarksIt)
{
    Bar f(many_tasks());
    TimelineView* view = f.view;
    ASSERT_EQ(view->firstRow(), 0);
    f.bar->focusFind();
    QLineEdit* field = f.bar->findField();
    QTest::keyClicks(field, QStringLiteral("t25"));
    // T25 and T250..T259: the first is row 24, in sight from the start.
    EXPECT_EQ(view->matchingRows().size(), 11u);
    EXPECT_EQ(view->currentMatch(), 24);
    EXPECT_EQ(f.label("findCount"), QStringLiteral("1 of 11"));
    // Enter goes to the next, far down: the rows scroll to it.
    QTest::keyClick(field, Qt::Key_Return);
    EXPECT_EQ(view->currentMatch(), 249);
    EXPECT_LE(view->firstRow(), 249);
    EXPECT_GT(view->firstRow() + view->rowsFit(), 249);
    EXPECT_EQ(f.label("findCount"), QStringLiteral("2 of 11"));
    // Shift+Enter goes back; past the first it wraps to the last.
    QTest::keyClick(field, Qt::Key_Return, Qt::ShiftModifier);
    EXPECT_EQ(view->currentMatch(), 24);
    QTest::keyClick(field, Qt::Key_Return, Qt::ShiftModifier);
    EXPECT_EQ(view->currentMatch(), 258);

    QTest::keyClicks(field, QStringLiteral("x"));
    EXPECT_TRUE(view->matchingRows().empty());
    EXPECT_EQ(f.label("findCount"), QStringLiteral("no task"));
}

// Seen under Xvfb: "t150" found T150 ("1 of 1"); the next run's tasks were w000..w199, and the bar
// still said "1 of 1" with nothing marked. The count follows each trace the bar is given.
TEST(FindTask, TheCountFollowsANewTraceWithoutMovingTheRows)
{
    Bar f(many_tasks());
    QTest::keyClicks(f.bar->findField(), QStringLiteral("t150"));
    ASSERT_EQ(f.label("findCount"), QStringLiteral("1 of 1"));
    auto others = std::make_shared<Trace>(*many_tasks());
    for (std::size_t i = 0; i < others->tasks.size(); ++i)
        others->tasks[i].name = "w" + std::to_string(i);
    f.bar->setTrace(others);
    EXPECT_EQ(f.label("findCount"), QStringLiteral("no task"));
    // A trace where it is found again, but not at the row marked: counted, nothing scrolled.
    auto again = std::make_shared<Trace>(*many_tasks());
    again->tasks[149].name = "moved";
    again->tasks[3].name = "T150-a";
    again->tasks[7].name = "T150-b";
    const int first = f.view->firstRow();
    f.bar->setTrace(again);
    EXPECT_EQ(f.label("findCount"), QStringLiteral("2 tasks"));
    EXPECT_EQ(f.view->firstRow(), first);
    QTest::keyClick(f.bar->findField(), Qt::Key_Return);
    EXPECT_EQ(f.label("findCount"), QStringLiteral("1 of 2"));
}

TEST(FindTask, RowHeightIsASettingThatChangesHowManyRowsFit)
{
    Bar f(many_tasks());
    TimelineView* view = f.view;
    const int automatic = view->rowsFit();
    f.bar->rowHeightBox()->setValue(12);
    test::settle();
    EXPECT_EQ(view->rowHeight(), 12);
    EXPECT_GT(view->rowsFit(), automatic);
    f.bar->rowHeightBox()->setValue(3);
    EXPECT_EQ(view->rowHeight(), 8) << "never below 8 px";
    f.bar->rowHeightBox()->setValue(0);
    test::settle();
    EXPECT_EQ(view->rowsFit(), automatic);
    EXPECT_EQ(f.bar->rowHeightBox()->text(), QStringLiteral("auto"));
}

TEST(RowFilter, OnlyTasksInAStateGetRowsAndHiddenRowsComeBack)
{
    // Three tasks: A queues then waits, B computes, C waits then computes.
    auto made = std::make_shared<Trace>();
    made->info.workload = "mixed";
    made->info.model = "threads";
    made->info.makespan = 3 * kNanosPerSecond;
    made->complete = true;
    const std::vector<std::vector<Span>> spans {
        { Span { 0, kNanosPerSecond, 0, 0, -1, State::Queued },
            Span { kNanosPerSecond, 2 * kNanosPerSecond, 1, 2, -1, State::Waiting } },
        { Span { 0, 3 * kNanosPerSecond, 1, 3, -1, State::Running } },
        { Span { 0, kNanosPerSecond, 1, 4, -1, State::Waiting },
            Span { kNanosPerSecond, 2 * kNanosPerSecond, 1, 4, -1, State::Running } },
    };
    for (std::size_t i = 0; i < spans.size(); ++i) {
        TaskTrace t;
        t.name = std::string(1, char('A' + i));
        t.status = State::Done;
        t.spans = spans[i];
        summarise_task(t);
        made->tasks.push_back(t);
    }
    Bar f(made);
    const Trace& trace = *made;
    TimelineView* view = f.view;
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
    QComboBox* filter = f.bar->rowFilterBox();
    filter->setCurrentIndex(filter->findData(int(State::Queued)));
    const auto queued = names(trace, State::Queued, -1);
    ASSERT_EQ(queued, std::vector<std::string> { "A" });
    EXPECT_EQ(shown(), queued);
    EXPECT_EQ(f.label("rowsShown"), QStringLiteral("%1 of %2").arg(queued.size()).arg(trace.tasks.size()));

    // Hide a row: gone under every filter.
    filter->setCurrentIndex(0);
    EXPECT_EQ(view->trace()->tasks.size(), trace.tasks.size());
    f.bar->hideTask(0);
    EXPECT_EQ(shown(), names(trace, State::Done, 0));
    filter->setCurrentIndex(filter->findData(int(State::Waiting)));
    EXPECT_EQ(shown(), std::vector<std::string> { "C" });

    f.bar->showAllTasks();
    EXPECT_EQ(view->trace()->tasks.size(), trace.tasks.size());
    EXPECT_EQ(filter->currentData().toInt(), -1);
    EXPECT_TRUE(f.label("rowsShown").isEmpty());
    // Bad indices are ignored.
    f.bar->hideTask(-1);
    f.bar->hideTask(1000);
    EXPECT_EQ(view->trace()->tasks.size(), trace.tasks.size());
}

// Issue 23, defect 10: found rows were olive text on yellow, the green tick hard to see. A mark
// beside the label now, the label's text and tick as they are.
TEST(FindTask, AFoundRowIsMarkedBesideItsLabelNotPaintedOver)
{
    Trace trace;
    std::string error;
    ASSERT_TRUE(load_trace((test::example_trace("table-loading-threads.json")).toStdString(), trace, error)) << error;
    Bar f(std::make_shared<Trace>(trace));
    const QImage before = f.view->grab().toImage();
    QTest::keyClicks(f.bar->findField(), QStringLiteral("B"));
    test::settle();
    const QImage after = f.view->grab().toImage();
    const QRectF label(0, f.view->rowTop(1), f.view->style().label_width, f.view->style().row_height);
    int marked = 0, changed_text = 0;
    for (int y = int(label.top()) + 3; y < int(label.bottom()) - 3; ++y) {
        for (int x = 0; x < int(label.right()); ++x) {
            const QColor was = before.pixelColor(x, y), now = after.pixelColor(x, y);
            marked += now.rgb() == QColor(0xB0, 0x60, 0x00).rgb();
            // Right of the mark and inside the frame, every pixel is as it was.
            if (x > 6 && x < int(label.right()) - 3 && was != now)
                ++changed_text;
        }
    }
    EXPECT_GT(marked, 0) << "the found row has no mark";
    EXPECT_EQ(changed_text, 0) << "the label's text or tick was painted over";
}
