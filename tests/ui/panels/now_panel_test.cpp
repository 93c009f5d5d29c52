// Issue 23, the playhead: stepped through a GIL run, the panel names the GIL's holder and its
// waiters at each hand-over, and the one that takes it is the one that waited longest; stepped
// through an async run, the loop runs its ready queue in the order shown.
#include "ui/panels/now_panel.h"
#include "ui/tracks/timeline_painter.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "window_helpers.h"

#include <QDockWidget>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Fixture;

namespace {

NowPanel* open_playhead(Fixture& f, const char* example)
{
    EXPECT_EQ(test::open(f.window, test::example_trace(example)), QString());
    auto* dock = f.window.findChild<QDockWidget*>(QStringLiteral("nowDock"));
    auto* panel = f.window.findChild<NowPanel*>();
    if (!dock || !panel)
        return nullptr;
    dock->toggleViewAction()->trigger();
    test::settle();
    return panel;
}

// "GIL: held by A; waiting for it: B, C" → holder "A", waiters {"B", "C"}.
std::pair<QString, QStringList> read_gil(const QString& text)
{
    const QString held = QStringLiteral("held by ");
    const int at = text.indexOf(held);
    const int semi = text.indexOf(QLatin1Char(';'));
    const QString holder = at >= 0 ? text.mid(at + held.size(), semi - at - held.size()) : QString();
    const QString rest = text.mid(text.indexOf(QStringLiteral("waiting for it: ")) + 16);
    return { holder, rest == QStringLiteral("none") ? QStringList() : rest.split(QStringLiteral(", ")) };
}

} // namespace

TEST(NowPanel, SteppingAGilRunNamesTheHolderAndItsWaitersAtEachHandOver)
{
    Fixture f;
    NowPanel* now = open_playhead(f, "square-numbers-threads-gil.json");
    ASSERT_TRUE(now);
    ASSERT_TRUE(f.window.zoom()->playhead());
    // From the run's start, through the Step button, as a person would.
    f.window.zoom()->setPlayhead(f.window.zoom()->bounds().start - 1);
    auto* step = f.window.findChild<QPushButton*>(QStringLiteral("stepForward"));
    ASSERT_TRUE(step);
    int hand_overs = 0;
    QString holder;
    QStringList waiters;
    for (int i = 0; i < 400 && hand_overs < 5; ++i) {
        const auto before = f.window.zoom()->playhead();
        QTest::mouseClick(step, Qt::LeftButton);
        ASSERT_GT(*f.window.zoom()->playhead(), *before) << "the step did not move the playhead";
        const auto [now_holder, now_waiters] = read_gil(now->gilLabel()->text());
        // The panel says what the trace has at that instant.
        const Now& n = now->now();
        EXPECT_EQ(now_holder.isEmpty(), !n.gil_holder.has_value()) << now->gilLabel()->text().toStdString();
        EXPECT_EQ(now_waiters.size(), qsizetype(n.gil_waiters.size())) << now->gilLabel()->text().toStdString();
        if (!now_holder.isEmpty() && !holder.isEmpty() && now_holder != holder) {
            ++hand_overs;
            ASSERT_FALSE(waiters.isEmpty()) << "a hand-over with no one waiting";
            EXPECT_EQ(waiters.front(), now_holder) << "the GIL went to " << now_holder.toStdString() << ", not to "
                                                   << waiters.join(QStringLiteral(", ")).toStdString();
        }
        if (!now_holder.isEmpty())
            holder = now_holder;
        waiters = now_waiters;
    }
    EXPECT_GE(hand_overs, 2);
    // The playhead is drawn on the timeline.
    const QImage shot = f.window.timeline()->grab().toImage();
    EXPECT_TRUE(test::has_colour(shot, kPlayheadColor));
}

TEST(NowPanel, SteppingAnAsyncRunShowsTheReadyQueueTheLoopRunsInOrder)
{
    // A computes while B, C and D's timers expire in turn: the panel shows them queued in that
    // order, and the loop takes them in it.
    Fixture f;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ready-queue.json"));
    test::write_file(path, R"({"name": "ready-queue", "tasks": [
        {"name": "A", "steps": [{"wait": 0.001}, {"compute": 100000000}]},
        {"name": "B", "steps": [{"wait": 0.005}]}, {"name": "C", "steps": [{"wait": 0.006}]},
        {"name": "D", "steps": [{"wait": 0.007}]}]})");
    ASSERT_EQ(f.window.parameters()->openWorkloadFile(path), QString());
    test::choose(f.window.parameters()->modelBox(), QStringLiteral("async"));
    f.window.parameters()->scaleBox()->setValue(1.0);
    QSignalSpy finished(&f.window, &MainWindow::runFinished);
    QTest::mouseClick(f.window.runs()->runButton(), Qt::LeftButton);
    ASSERT_TRUE(finished.wait(60000));
    auto* dock = f.window.findChild<QDockWidget*>(QStringLiteral("nowDock"));
    auto* now = f.window.findChild<NowPanel*>();
    ASSERT_TRUE(dock && now);
    dock->toggleViewAction()->trigger();
    f.window.zoom()->setPlayhead(f.window.zoom()->bounds().start - 1);
    QString longest;
    QStringList taken;
    QString running;
    // Every state change to the end: on a busy machine the kernel's view splits the run into
    // many more of them (preemptions) than on a quiet one.
    for (int i = 0; i < 1'000'000; ++i) {
        now->stepForward();
        const QString text = now->loopLabel()->text(); // "Event loop: running A; ready queue: B → C → D"
        ASSERT_TRUE(text.startsWith(QStringLiteral("Event loop: "))) << text.toStdString();
        const QString queue = text.mid(text.indexOf(QStringLiteral("ready queue: ")) + 13);
        const bool timers = !now->now().tasks.empty()
            && std::none_of(now->now().tasks.begin(), now->now().tasks.end(), [](const TaskNow& t) { return t.state == State::Queued; });
        if (timers && queue.count(QStringLiteral("→")) > longest.count(QStringLiteral("→"))) {
            longest = queue;
            taken.clear();
        }
        // Which task the loop runs, as it changes (the kernel may pause one task's thread: the
        // same task again is no change).
        const QString runs = text.section(QLatin1Char(';'), 0, 0);
        if (runs.startsWith(QStringLiteral("Event loop: running ")) && runs != running) {
            if (!longest.isEmpty())
                taken << runs.mid(20);
            running = runs;
        }
        if (!next_change(*f.window.trace(), *f.window.zoom()->playhead()))
            break;
    }
    // The queue shown is the one the loop works through, head first. (Which tasks it holds can
    // vary: on a busy machine A's own timer may expire before D has started.)
    const QStringList queued = longest.split(QStringLiteral(" → "));
    ASSERT_GE(queued.size(), 2) << longest.toStdString();
    ASSERT_GE(taken.size(), queued.size());
    EXPECT_EQ(taken.mid(0, queued.size()), queued) << longest.toStdString();
}

TEST(NowPanel, PlayMovesThePlayheadAndClosingThePanelTakesItAway)
{
    Fixture f;
    NowPanel* now = open_playhead(f, "table-loading-threads.json");
    ASSERT_TRUE(now);
    f.window.zoom()->setPlayhead(f.window.zoom()->bounds().start);
    now->setSpeed(1.0);
    now->play();
    ASSERT_TRUE(now->playing());
    QSignalSpy moved(f.window.zoom(), &ZoomState::playheadChanged);
    ASSERT_TRUE(moved.wait(5000));
    EXPECT_GT(*f.window.zoom()->playhead(), f.window.zoom()->bounds().start);
    now->pause();
    f.window.findChild<QDockWidget*>(QStringLiteral("nowDock"))->toggleViewAction()->trigger();
    EXPECT_FALSE(f.window.zoom()->playhead());
    EXPECT_FALSE(now->playing());
}

// A live run: a playhead at the live end stays at the end as the run grows.
TEST(NowPanel, DuringALiveRunAPlayheadAtTheEndFollowsIt)
{
    Fixture f;
    auto* dock = f.window.findChild<QDockWidget*>(QStringLiteral("nowDock"));
    ASSERT_TRUE(dock);
    dock->toggleViewAction()->trigger();
    test::choose(f.window.parameters()->workloadBox(), QStringLiteral("table-loading"));
    test::choose(f.window.parameters()->modelBox(), QStringLiteral("threads"));
    f.window.parameters()->scaleBox()->setValue(0.4); // two seconds: live snapshots, however busy the machine
    QSignalSpy shown(&f.window, &MainWindow::traceShown);
    QSignalSpy finished(&f.window, &MainWindow::runFinished);
    QTest::mouseClick(f.window.runs()->runButton(), Qt::LeftButton);
    int live_at_end = 0;
    while (finished.isEmpty() && shown.wait(20000)) {
        const auto trace = f.window.trace();
        if (!trace || trace->complete)
            continue;
        ASSERT_TRUE(f.window.zoom()->playhead());
        EXPECT_EQ(*f.window.zoom()->playhead(), f.window.zoom()->bounds().end);
        ++live_at_end;
    }
    if (finished.isEmpty()) {
        ASSERT_TRUE(finished.wait(20000));
    }
    EXPECT_GE(live_at_end, 1);
}
