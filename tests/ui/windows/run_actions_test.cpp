// The run controls as a person uses them, without the window: pick, Run, watch, Stop, compare.
// (What to use?, measured: advice_window_test.cpp.)
#include "action_helpers.h"
#include "ui/style/palette.h"
#include "ui/tracks/zoom_state.h"
#include "ui/windows/compare_window.h"

#include <QAction>
#include <QCheckBox>
#include <QImage>
#include <QTemporaryDir>

#include <algorithm>
#include <csignal>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::choose;
using timeslice::test::Runs;

// The work never runs on the GUI thread (the process's main thread, whose tid is its pid): the
// click that starts a run returns while it goes on, and every task ran in a worker process or on
// a thread of its own. (How long the GUI thread ever goes unserved during a run is a speed
// figure: bench_ui's BM_GuiWorstGapDuringRuns.)
TEST(RunActions, RunsEveryWorkloadUnderEveryModelOffTheGuiThread)
{
    Runs f;
    for (const char* workload : { "table-loading", "square-numbers", "async-delay" }) {
        for (const char* model : { "processes", "threads", "async" }) {
            choose(f.parameters->workloadBox(), QString::fromLatin1(workload));
            choose(f.parameters->modelBox(), QString::fromLatin1(model));
            if (f.parameters->iterationsEdit()->text().isEmpty())
                f.parameters->iterationsEdit()->setText(QStringLiteral("30000000"));
            QSignalSpy finished(f.runs, &RunActions::finished);
            QTest::mouseClick(f.runs->runButton(), Qt::LeftButton);
            EXPECT_TRUE(f.runs->stopButton()->isEnabled())
                << workload << " under " << model << " ran on the GUI thread";
            ASSERT_TRUE(finished.wait(20000)) << workload << " " << model;
            const auto trace = f.trace;
            ASSERT_TRUE(trace && trace->complete);
            EXPECT_EQ(trace->info.workload, workload);
            EXPECT_EQ(trace->info.model, model);
            for (const TaskTrace& t : trace->tasks) {
                EXPECT_EQ(t.status, State::Done) << workload << "/" << model << " " << t.name << ": " << t.reason;
                EXPECT_NE(t.tid, ::getpid()) << workload << "/" << model << " " << t.name << " ran on the GUI thread";
                EXPECT_EQ(t.pid != ::getpid(), std::string(model) == "processes") << t.name;
            }
            EXPECT_TRUE(f.runs->runButton()->isEnabled());
            EXPECT_FALSE(f.runs->stopButton()->isEnabled());
        }
    }
}

TEST(RunActions, StopEndsTheRunAndMarksTasksStopped)
{
    Runs f;
    f.parameters->scaleBox()->setValue(2.0); // waits of 2, 4 and 10 s
    choose(f.parameters->workloadBox(), QStringLiteral("table-loading"));
    choose(f.parameters->modelBox(), QStringLiteral("processes"));
    QSignalSpy finished(f.runs, &RunActions::finished);
    QTest::mouseClick(f.runs->runButton(), Qt::LeftButton);
    // Stop once A waits: it would wait 2 s more, so every task is still going on.
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            const auto live = f.trace;
            return live && !live->tasks.empty() && live->tasks[0].time_in(State::Waiting) > 0;
        },
        20000));
    QTest::mouseClick(f.runs->stopButton(), Qt::LeftButton);
    ASSERT_TRUE(finished.wait(10000)); // C would wait 10 s
    // Stopped before its predicted end, by the trace's order rather than its clock (a busy
    // machine bends durations): no task got past its wait (nothing ran after a wait began).
    for (const TaskTrace& t : f.trace->tasks) {
        EXPECT_EQ(t.status, State::Cancelled);
        const auto wait = std::find_if(t.spans.begin(), t.spans.end(), [](const Span& s) { return s.state == State::Waiting; });
        EXPECT_TRUE(std::none_of(wait, t.spans.end(), [](const Span& s) { return s.state == State::Running; }))
            << t.name << " ran after its wait: it was not stopped in it";
    }
    EXPECT_GT(f.trace->tasks.at(0).time_in(State::Waiting), 0); // A was stopped in its wait
}

TEST(RunActions, ASecondRunIsRefusedWhileOneGoesOn)
{
    Runs f;
    f.parameters->scaleBox()->setValue(0.2);
    choose(f.parameters->workloadBox(), QStringLiteral("table-loading"));
    choose(f.parameters->modelBox(), QStringLiteral("async"));
    QSignalSpy finished(f.runs, &RunActions::finished);
    ASSERT_EQ(f.runs->start(), QString());
    EXPECT_TRUE(f.runs->start().contains(QStringLiteral("already going on")));
    ASSERT_TRUE(finished.wait(10000));
    EXPECT_EQ(finished.count(), 1);
    EXPECT_EQ(f.trace->tasks.size(), 3u);
}

TEST(RunActions, AKilledWorkerFailsItsTaskAndTheControlsStayUsable)
{
    Runs f;
    f.parameters->scaleBox()->setValue(0.3);
    choose(f.parameters->workloadBox(), QStringLiteral("table-loading"));
    choose(f.parameters->modelBox(), QStringLiteral("processes"));
    QSignalSpy shown(f.runs, &RunActions::snapshotReady);
    QSignalSpy finished(f.runs, &RunActions::finished);
    ASSERT_EQ(f.runs->start(), QString());
    // Wait until C's worker is waiting, then kill it as a user with `kill -9` would.
    int victim = 0;
    for (int i = 0; i < 200 && victim == 0; ++i) {
        shown.wait(50);
        const auto live = f.trace;
        if (live && live->tasks.size() == 3 && live->tasks[2].time_in(State::Waiting) > 0)
            victim = live->tasks[2].pid;
    }
    ASSERT_GT(victim, 0);
    ::kill(victim, SIGKILL);
    ASSERT_TRUE(finished.wait(10000));
    const auto trace = f.trace;
    EXPECT_EQ(trace->tasks[2].status, State::Failed);
    EXPECT_EQ(trace->tasks[0].status, State::Done);
    EXPECT_TRUE(f.runs->runButton()->isEnabled());
    // And the next run works.
    f.parameters->scaleBox()->setValue(0.02);
    ASSERT_TRUE(f.runAndWait(QStringLiteral("table-loading"), QStringLiteral("processes")));
    for (const TaskTrace& t : f.trace->tasks)
        EXPECT_EQ(t.status, State::Done);
}

TEST(RunActions, CompareRunsEveryModelOnOneAxisAndExportsOneImage)
{
    Runs f;
    choose(f.parameters->workloadBox(), QStringLiteral("square-numbers"));
    f.parameters->iterationsEdit()->setText(QStringLiteral("60000000"));
    QTest::mouseClick(f.runs->compareButton(), Qt::LeftButton);
    CompareWindow* compare = f.runs->compareWindow();
    ASSERT_NE(compare, nullptr);
    QSignalSpy done(compare, &CompareWindow::allFinished);
    ASSERT_TRUE(done.wait(30000));
    const auto traces = compare->traces();
    ASSERT_EQ(traces.size(), 4u);
    const std::pair<const char*, bool> expected[]
        = { { "processes", false }, { "threads", true }, { "threads", false }, { "async", false } };
    for (std::size_t i = 0; i < 4; ++i) {
        ASSERT_TRUE(traces[i] && traces[i]->complete) << i;
        EXPECT_EQ(traces[i]->info.model, expected[i].first);
        EXPECT_EQ(traces[i]->info.gil, expected[i].second);
        EXPECT_EQ(traces[i]->info.workload, "square-numbers");
    }
    // One time axis: the shared zoom covers the longest of the four.
    Nanos longest = 0;
    for (const auto& t : traces)
        longest = std::max(longest, t->end_time());
    EXPECT_EQ(compare->zoom()->range().end, longest);

    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("compare.png"));
    ASSERT_EQ(compare->exportImage(png, QSize(1600, 1400)), QString());
    const QImage image(png);
    EXPECT_EQ(image.size(), QSize(1600, 1400));
    // The GIL run's hand-overs show in the picture.
    EXPECT_TRUE(test::has_colour(image, state_color(State::GilWait)));
}

TEST(RunActions, InvalidParametersCannotBeSubmittedAndSayWhy)
{
    Runs f;
    choose(f.parameters->workloadBox(), QStringLiteral("table-loading"));
    f.parameters->waitsEdit()->setText(QStringLiteral("1, two, 5"));
    EXPECT_FALSE(f.runs->runButton()->isEnabled());
    EXPECT_TRUE(f.parameters->error().contains(QStringLiteral("'two' is not a number")));
    f.parameters->waitsEdit()->setText(QStringLiteral("1, 2, 5"));
    EXPECT_TRUE(f.runs->runButton()->isEnabled());

    choose(f.parameters->workloadBox(), QStringLiteral("square-numbers"));
    f.parameters->iterationsEdit()->setText(QStringLiteral("-5"));
    EXPECT_FALSE(f.runs->runButton()->isEnabled());
    EXPECT_TRUE(f.parameters->error().contains(QStringLiteral("Iterations")));
}

TEST(RunActions, TheMoreTasksThanCoresExampleRunsTwoThreadsPerCoreWithoutTheGil)
{
    Runs f;
    f.parameters->iterationsEdit()->setText(QStringLiteral("5000000"));
    choose(f.parameters->workloadBox(), QStringLiteral("table-loading"));
    QAction* example = f.runs->action(RunActions::MoreTasksThanCores);
    ASSERT_TRUE(example);
    EXPECT_EQ(example->objectName(), QStringLiteral("exampleMoreTasksThanCores"));
    QSignalSpy finished(f.runs, &RunActions::finished);
    example->trigger();
    ASSERT_TRUE(finished.wait(30000));
    const auto trace = f.trace;
    EXPECT_EQ(trace->info.workload, "square-numbers");
    EXPECT_EQ(trace->info.model, "threads");
    EXPECT_FALSE(trace->info.gil);
    EXPECT_EQ(int(trace->tasks.size()), 2 * online_cores());
    EXPECT_GE(trace->info.workers, int(trace->tasks.size())); // a thread for each: none queues
    EXPECT_FALSE(f.parameters->gilBox()->isChecked());
}
