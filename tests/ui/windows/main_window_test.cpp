// Drives the real main window as a person would: pick, Run, watch, export.
#include "core/formats/trace_json.h"
#include "ui/windows/advice_window.h"
#include "ui/windows/compare_window.h"
#include "ui/tracks/cpu_chart_view.h"
#include "ui/export/image_export.h"
#include "ui/windows/main_window.h"
#include "ui/style/palette.h"
#include "ui/panels/find_bar.h"
#include "ui/panels/span_details.h"
#include "ui/panels/parameter_panel.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "window_helpers.h"

#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QSet>
#include <QThread>
#include <QTimer>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTableWidget>

#include <gtest/gtest.h>

#include <csignal>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::choose;
using timeslice::test::Fixture;
using timeslice::test::open;


// The work never runs on the GUI thread (the process's main thread, whose tid is its pid): the
// click that starts a run returns while it goes on, and every task ran in a worker process or on
// a thread of its own. (How long the GUI thread ever goes unserved during a run is a speed
// figure: bench_ui's BM_GuiWorstGapDuringRuns.)
TEST(MainWindow, RunsEveryWorkloadUnderEveryModelOffTheGuiThread)
{
    Fixture f;
    for (const char* workload : { "table-loading", "square-numbers", "async-delay" }) {
        for (const char* model : { "processes", "threads", "async" }) {
            choose(f.window.parameters()->workloadBox(), QString::fromLatin1(workload));
            choose(f.window.parameters()->modelBox(), QString::fromLatin1(model));
            if (f.window.parameters()->iterationsEdit()->text().isEmpty())
                f.window.parameters()->iterationsEdit()->setText(QStringLiteral("30000000"));
            QSignalSpy finished(&f.window, &MainWindow::runFinished);
            QTest::mouseClick(f.window.runButton(), Qt::LeftButton);
            EXPECT_TRUE(f.window.stopButton()->isEnabled()) << workload << " under " << model << " ran on the GUI thread";
            ASSERT_TRUE(finished.wait(20000)) << workload << " " << model;
            const auto trace = f.window.trace();
            ASSERT_TRUE(trace && trace->complete);
            EXPECT_EQ(trace->info.workload, workload);
            EXPECT_EQ(trace->info.model, model);
            for (const TaskTrace& t : trace->tasks) {
                EXPECT_EQ(t.status, State::Done) << workload << "/" << model << " " << t.name << ": " << t.reason;
                EXPECT_NE(t.tid, ::getpid()) << workload << "/" << model << " " << t.name << " ran on the GUI thread";
                EXPECT_EQ(t.pid != ::getpid(), std::string(model) == "processes") << t.name;
            }
            EXPECT_TRUE(f.window.runButton()->isEnabled());
            EXPECT_FALSE(f.window.stopButton()->isEnabled());
        }
    }
}

TEST(MainWindow, TheTimelineGrowsLiveWhileARunGoesOn)
{
    Fixture f;
    f.window.parameters()->scaleBox()->setValue(0.2); // C waits 1 s
    choose(f.window.parameters()->workloadBox(), QStringLiteral("table-loading"));
    choose(f.window.parameters()->modelBox(), QStringLiteral("threads"));
    QSignalSpy shown(&f.window, &MainWindow::traceShown);
    QSignalSpy finished(&f.window, &MainWindow::runFinished);
    QTest::mouseClick(f.window.runButton(), Qt::LeftButton);
    EXPECT_FALSE(f.window.runButton()->isEnabled()); // no second run while one goes on
    EXPECT_TRUE(f.window.stopButton()->isEnabled());
    bool live_frame = false;
    QObject::connect(&f.window, &MainWindow::traceShown, [&] {
        const auto t = f.window.timeline()->trace();
        live_frame = live_frame || (t && !t->complete);
    });
    ASSERT_TRUE(finished.wait(10000));
    // Frames came while the run went on, not only at its end.
    EXPECT_GE(shown.count(), 2);
    EXPECT_TRUE(live_frame);
    const auto trace = f.window.timeline()->trace();
    ASSERT_NE(trace, nullptr);
    EXPECT_TRUE(trace->complete);
}

TEST(MainWindow, StopEndsTheRunAndMarksTasksStopped)
{
    Fixture f;
    f.window.parameters()->scaleBox()->setValue(2.0); // waits of 2, 4 and 10 s
    choose(f.window.parameters()->workloadBox(), QStringLiteral("table-loading"));
    choose(f.window.parameters()->modelBox(), QStringLiteral("processes"));
    QSignalSpy finished(&f.window, &MainWindow::runFinished);
    QTest::mouseClick(f.window.runButton(), Qt::LeftButton);
    // Stop once A waits: it would wait 2 s more, so every task is still going on.
    ASSERT_TRUE(QTest::qWaitFor([&] {
        const auto live = f.window.trace();
        return live && !live->tasks.empty() && live->tasks[0].time_in(State::Waiting) > 0;
    }, 20000));
    QTest::mouseClick(f.window.stopButton(), Qt::LeftButton);
    ASSERT_TRUE(finished.wait(10000)); // C would wait 10 s
    for (const TaskTrace& t : f.window.trace()->tasks)
        EXPECT_EQ(t.status, State::Cancelled);
    EXPECT_LT(f.window.trace()->info.makespan, f.window.trace()->ideal.makespan); // stopped before its predicted end
}

TEST(MainWindow, ASecondRunIsRefusedWhileOneGoesOn)
{
    Fixture f;
    f.window.parameters()->scaleBox()->setValue(0.2);
    choose(f.window.parameters()->workloadBox(), QStringLiteral("table-loading"));
    choose(f.window.parameters()->modelBox(), QStringLiteral("async"));
    QSignalSpy finished(&f.window, &MainWindow::runFinished);
    ASSERT_EQ(f.window.startRun(), QString());
    EXPECT_TRUE(f.window.startRun().contains(QStringLiteral("already going on")));
    ASSERT_TRUE(finished.wait(10000));
    EXPECT_EQ(finished.count(), 1);
    EXPECT_EQ(f.window.trace()->tasks.size(), 3u);
}

TEST(MainWindow, AKilledWorkerFailsItsTaskAndTheWindowStaysUsable)
{
    Fixture f;
    f.window.parameters()->scaleBox()->setValue(0.3);
    choose(f.window.parameters()->workloadBox(), QStringLiteral("table-loading"));
    choose(f.window.parameters()->modelBox(), QStringLiteral("processes"));
    QSignalSpy shown(&f.window, &MainWindow::traceShown);
    QSignalSpy finished(&f.window, &MainWindow::runFinished);
    ASSERT_EQ(f.window.startRun(), QString());
    // Wait until C's worker is waiting, then kill it as a user with `kill -9` would.
    int victim = 0;
    for (int i = 0; i < 200 && victim == 0; ++i) {
        shown.wait(50);
        const auto live = f.window.trace();
        if (live && live->tasks.size() == 3 && live->tasks[2].time_in(State::Waiting) > 0)
            victim = live->tasks[2].pid;
    }
    ASSERT_GT(victim, 0);
    ::kill(victim, SIGKILL);
    ASSERT_TRUE(finished.wait(10000));
    const auto trace = f.window.trace();
    EXPECT_EQ(trace->tasks[2].status, State::Failed);
    EXPECT_EQ(trace->tasks[0].status, State::Done);
    EXPECT_TRUE(f.window.runButton()->isEnabled());
    // And the next run works.
    f.window.parameters()->scaleBox()->setValue(0.02);
    ASSERT_TRUE(f.runAndWait(QStringLiteral("table-loading"), QStringLiteral("processes")));
    for (const TaskTrace& t : f.window.trace()->tasks)
        EXPECT_EQ(t.status, State::Done);
}

TEST(MainWindow, CompareRunsEveryModelOnOneAxisAndExportsOneImage)
{
    Fixture f;
    choose(f.window.parameters()->workloadBox(), QStringLiteral("square-numbers"));
    f.window.parameters()->iterationsEdit()->setText(QStringLiteral("60000000"));
    QTest::mouseClick(f.window.findChild<QPushButton*>(QStringLiteral("compareButton")), Qt::LeftButton);
    CompareWindow* compare = f.window.compareWindow();
    ASSERT_NE(compare, nullptr);
    QSignalSpy done(compare, &CompareWindow::allFinished);
    ASSERT_TRUE(done.wait(30000));
    const auto traces = compare->traces();
    ASSERT_EQ(traces.size(), 4u);
    const std::pair<const char*, bool> expected[] = { { "processes", false }, { "threads", true }, { "threads", false },
        { "async", false } };
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
    bool gil_colour = false;
    for (int y = 0; y < image.height() && !gil_colour; y += 2) {
        for (int x = 0; x < image.width() && !gil_colour; x += 2)
            gil_colour = image.pixelColor(x, y).rgb() == state_color(State::GilWait).rgb();
    }
    EXPECT_TRUE(gil_colour);
}

TEST(MainWindow, WhatToUseShowsTheMeasuredTableAndTheDecision)
{
    Fixture f;
    AdviseOptions quick;
    quick.async_sizes = { 10, 100 };
    quick.thread_sizes = { 10 };
    quick.process_sizes = { 2 };
    quick.iterations = 10'000'000;
    quick.sweep_wait = 50 * kNanosPerMilli;
    f.window.showAdvice(&quick);
    AdviceWindow* advice = f.window.adviceWindow();
    ASSERT_NE(advice, nullptr);
    // Measured off the GUI thread: the window is back before the measuring is over, and its
    // event loop keeps running and shows each step.
    EXPECT_TRUE(advice->running());
    // Every step reaches the window's own thread while the measuring is still going on, in the
    // order measured: counted from the window's signal, not sampled by a timer that load can starve.
    QSet<QString> steps_seen;
    bool shown_while_running = true;
    bool shown_on_gui_thread = true;
    QObject::connect(advice, &AdviceWindow::stepShown, [&](const QString& text) {
        steps_seen.insert(text);
        shown_while_running = shown_while_running && advice->running();
        shown_on_gui_thread = shown_on_gui_thread && QThread::currentThread() == advice->thread();
        EXPECT_TRUE(text.startsWith(QStringLiteral("Measuring "))) << text.toStdString();
    });
    QSignalSpy done(advice, &AdviceWindow::finished);
    ASSERT_TRUE(done.wait(60000));
    EXPECT_GE(steps_seen.size(), 3) << "the window did not show the measurement's steps as they went";
    EXPECT_TRUE(shown_while_running);
    EXPECT_TRUE(shown_on_gui_thread);
    EXPECT_EQ(advice->table()->rowCount(), 5);
    EXPECT_TRUE(advice->table()->item(0, 0)->text().contains(QStringLiteral("article: Yes (preemptive)")));
    EXPECT_TRUE(advice->decisionText().contains(QStringLiteral("the article's rule says")));
}

TEST(MainWindow, HasItsIcon)
{
    Fixture f;
    EXPECT_TRUE(QFile::exists(QStringLiteral(":/icons/timeslice.svg")));
    EXPECT_FALSE(f.window.windowIcon().isNull());
    EXPECT_FALSE(f.window.windowIcon().pixmap(64, 64).isNull());
}

TEST(MainWindow, InvalidParametersCannotBeSubmittedAndSayWhy)
{
    Fixture f;
    choose(f.window.parameters()->workloadBox(), QStringLiteral("table-loading"));
    f.window.parameters()->waitsEdit()->setText(QStringLiteral("1, two, 5"));
    EXPECT_FALSE(f.window.runButton()->isEnabled());
    EXPECT_TRUE(f.window.parameters()->error().contains(QStringLiteral("'two' is not a number")));
    f.window.parameters()->waitsEdit()->setText(QStringLiteral("1, 2, 5"));
    EXPECT_TRUE(f.window.runButton()->isEnabled());

    choose(f.window.parameters()->workloadBox(), QStringLiteral("square-numbers"));
    f.window.parameters()->iterationsEdit()->setText(QStringLiteral("-5"));
    EXPECT_FALSE(f.window.runButton()->isEnabled());
    EXPECT_TRUE(f.window.parameters()->error().contains(QStringLiteral("Iterations")));
}

TEST(MainWindow, ExportsTheRunAsPngAndSvgAndSavesAndReopensTheTrace)
{
    Fixture f;
    ASSERT_TRUE(f.runAndWait(QStringLiteral("mixed"), QStringLiteral("threads")));
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("run.png"));
    const QString svg = dir.filePath(QStringLiteral("run.svg"));
    const QString json = dir.filePath(QStringLiteral("run.json"));
    ASSERT_EQ(f.window.exportImage(png, QSize(1600, 900)), QString());
    ASSERT_EQ(f.window.exportImage(svg, QSize(1600, 900)), QString());
    const QImage image(png);
    EXPECT_EQ(image.size(), QSize(1600, 900));
    // The GIL made the I/O threads wait: its colour is in the picture.
    bool gil_colour = false;
    for (int y = 0; y < image.height() && !gil_colour; y += 2) {
        for (int x = 0; x < image.width() && !gil_colour; x += 2)
            gil_colour = image.pixelColor(x, y).rgb() == state_color(State::GilWait).rgb();
    }
    EXPECT_TRUE(gil_colour);
    QFile svg_file(svg);
    ASSERT_TRUE(svg_file.open(QIODevice::ReadOnly));
    const QByteArray svg_text = svg_file.readAll();
    for (const char* name : { "CPU", "IO-1", "IO-2", "IO-3" })
        EXPECT_TRUE(svg_text.contains(name)) << name;

    EXPECT_TRUE(f.window.hasUnsavedResults());
    ASSERT_EQ(f.window.saveTrace(json), QString());
    EXPECT_FALSE(f.window.hasUnsavedResults());
    const auto before = f.window.trace();
    ASSERT_EQ(open(f.window, json), QString());
    EXPECT_EQ(*f.window.trace(), *before); // redrawn from the file, exactly
}

TEST(MainWindow, ABadTraceFileGivesAClearErrorAndKeepsTheCurrentView)
{
    Fixture f;
    QTemporaryDir dir;
    const QString bad = dir.filePath(QStringLiteral("bad.json"));
    QFile file(bad);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("{\"traceEvents\": [");
    file.close();
    const QString error = open(f.window, bad);
    EXPECT_TRUE(error.contains(QStringLiteral("not valid JSON"))) << error.toStdString();
    EXPECT_EQ(f.window.trace(), nullptr);
    EXPECT_TRUE(open(f.window, dir.filePath(QStringLiteral("missing.json"))).contains(QStringLiteral("cannot open")));
}

TEST(MainWindow, HoverExplainsTheSpanUnderTheCursor)
{
    Fixture f;
    ASSERT_TRUE(f.runAndWait(QStringLiteral("table-loading"), QStringLiteral("processes")));
    TimelineView* view = f.window.timeline();
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
    const TimeMap map = timeline_time_map(view->timelineArea(), view->style(), f.window.zoom()->range());
    const QPointF at(map.to_x((waiting->start + waiting->end) / 2), plot.top() + 2.5 * view->style().row_height);
    const QString tip = view->tooltipAt(at);
    EXPECT_TRUE(tip.contains(QStringLiteral("<b>C</b>"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("waiting")));
    EXPECT_TRUE(tip.contains(QStringLiteral("worker pid %1").arg(waiting->pid)));
    // One unit rule (issue 13, defect 10): C starts waiting some 50 ms in, and the tip says so
    // in ms, as it gives the duration, not in raw µs.
    EXPECT_TRUE(tip.contains(QRegularExpression(QStringLiteral("start \\d+(\\.\\d+)? ms,")))) << tip.toStdString();
}

TEST(MainWindow, WheelZoomsAtTheCursorAndTheChartFollows)
{
    Fixture f;
    ASSERT_TRUE(f.runAndWait(QStringLiteral("async-delay"), QStringLiteral("async")));
    TimelineView* view = f.window.timeline();
    const TimeRange before = f.window.zoom()->range();
    const QPointF at(view->plotLeft() + view->plotWidth() / 2, 60);
    const Nanos anchor = view->timeAt(at.x());
    QWheelEvent wheel(at, view->mapToGlobal(at), QPoint(), QPoint(0, 120 * 3), Qt::NoButton, Qt::NoModifier,
        Qt::NoScrollPhase, false);
    QApplication::sendEvent(view, &wheel);
    const TimeRange after = f.window.zoom()->range();
    EXPECT_LT(after.end - after.start, before.end - before.start);
    EXPECT_NEAR(double(view->timeAt(at.x())), double(anchor), double(after.end - after.start) / 500);
    f.window.zoom()->fit();
    EXPECT_EQ(f.window.zoom()->range(), before);
}

// A row hidden from the find bar's filter is gone from what the span details show too.
TEST(MainWindow, TheSpanDetailsFollowTheRowsAsShown)
{
    Fixture f;
    ASSERT_EQ(test::open(f.window, test::example_trace("table-loading-threads.json")), QString());
    const Trace& trace = *f.window.trace();
    f.window.findChild<FindBar*>()->hideTask(0);
    f.window.timeline()->selectSpan(SpanRef { 0, 0 });
    SpanDetails* details = f.window.findChild<SpanDetails*>();
    EXPECT_TRUE(details->field("task")->text().startsWith(QString::fromStdString(trace.tasks[1].name)));
}

TEST(Accessibility, TheWindowsRunButtonsAndDocksHaveAccessibleNames)
{
    Fixture f;
    std::vector<QWidget*> controls { f.window.runButton(), f.window.stopButton() };
    for (QDockWidget* dock : f.window.findChildren<QDockWidget*>())
        controls.push_back(dock);
    for (QWidget* w : controls) {
        ASSERT_NE(w, nullptr);
        EXPECT_FALSE(w->accessibleName().isEmpty()) << w->objectName().toStdString();
    }
}
