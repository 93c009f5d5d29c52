// The cpython engine in the run controls: the Engine row, Run, File > Run Python script..., and
// the program's output, driven as a person would. (The output pane opening in the window:
// main_window_test.cpp; Ctrl+Shift+E: menus_test.cpp.)
#include "core/python/engine.h"
#include "ui/panels/program_output.h"
#include "ui/windows/compare_window.h"
#include "ui/tracks/timeline_view.h"
#include "action_helpers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QFile>
#include <QTest>

#include <gtest/gtest.h>

#include <fstream>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::choose;
using timeslice::test::Runs;

namespace {

bool have_python()
{
    try {
        find_python("");
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

// Run saves the panel to the settings every window test shares: the next test must not find
// the cpython engine chosen.
struct BackToNative {
    ParameterPanel* panel;
    ~BackToNative()
    {
        choose(panel->engineBox(), QStringLiteral("native"));
        panel->pythonEdit()->clear();
        QSettings settings;
        panel->save(settings);
    }
};

} // namespace

TEST(PythonRuns, TheEngineRowRunsTheWorkloadInRealPythonAndShowsItsOutput)
{
    if (!have_python())
        GTEST_SKIP() << "no python3 on this machine";
    Runs f;
    ParameterPanel* p = f.parameters;
    BackToNative restore { p };
    choose(p->workloadBox(), QStringLiteral("table-loading"));
    choose(p->modelBox(), QStringLiteral("threads"));
    p->scaleBox()->setValue(0.05);
    choose(p->engineBox(), QStringLiteral("cpython"));
    QTRY_VERIFY_WITH_TIMEOUT(!p->checkingPython(), 30000);
    test::settle();
    // CPython has its own GIL: the emulation's switch is not offered; the version is shown.
    EXPECT_FALSE(p->gilBox()->isVisibleTo(p));
    EXPECT_TRUE(p->pythonEdit()->isVisibleTo(p));
    EXPECT_TRUE(p->pythonLabel()->text().startsWith(QStringLiteral("Python 3."))) << p->pythonLabel()->text().toStdString();
    QSignalSpy finished(f.runs, &RunActions::finished);
    ASSERT_TRUE(f.runs->runButton()->isEnabled()) << p->error().toStdString();
    QTest::mouseClick(f.runs->runButton(), Qt::LeftButton);
    ASSERT_TRUE(finished.wait(60000)) << f.status.toStdString();
    const auto trace = f.trace;
    ASSERT_TRUE(trace);
    EXPECT_EQ(trace->info.engine, "cpython");
    ASSERT_EQ(trace->tasks.size(), 3u);
    for (const TaskTrace& t : trace->tasks)
        EXPECT_EQ(t.status, State::Done) << t.name << ": " << t.reason;
    EXPECT_EQ(f.runs->output()->toPlainText(), QStringLiteral("loaded A B C\n"));
}

TEST(PythonRuns, AMissingInterpreterIsNamedAndRunIsRefused)
{
    Runs f;
    ParameterPanel* p = f.parameters;
    BackToNative restore { p };
    choose(p->engineBox(), QStringLiteral("cpython"));
    p->pythonEdit()->setText(QStringLiteral("/no/such/python3"));
    QTest::keyClick(p->pythonEdit(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!p->checkingPython(), 30000);
    test::settle();
    EXPECT_FALSE(f.runs->runButton()->isEnabled());
    EXPECT_TRUE(p->error().contains(QStringLiteral("looked for '/no/such/python3'"))) << p->error().toStdString();
}

TEST(PythonRuns, RunPythonScriptDrawsTheScriptsTasksWithTheirStatus)
{
    if (!have_python())
        GTEST_SKIP() << "no python3 on this machine";
    Runs f;
    QTemporaryDir dir;
    const QString script = dir.filePath(QStringLiteral("two.py"));
    std::ofstream(script.toStdString()) << "import time\nfrom concurrent.futures import ThreadPoolExecutor\n"
                                           "def ok(x):\n    time.sleep(0.01)\n    return x\n"
                                           "def bad():\n    raise KeyError('gone')\n"
                                           "with ThreadPoolExecutor() as pool:\n    pool.submit(ok, 1)\n    pool.submit(bad)\n"
                                           "print('bye')\n";
    QSignalSpy finished(f.runs, &RunActions::finished);
    ASSERT_EQ(f.runs->startScript(script, { QStringLiteral("--unused") }), QString());
    ASSERT_TRUE(finished.wait(60000));
    const auto trace = f.trace;
    ASSERT_TRUE(trace);
    // The main thread's own row first, then the work items in the order they were submitted.
    ASSERT_EQ(trace->tasks.size(), 3u);
    EXPECT_EQ(trace->tasks[0].name, "MainThread");
    EXPECT_TRUE(trace->tasks[0].thread_row);
    EXPECT_EQ(trace->tasks[0].status, State::Done);
    EXPECT_EQ(trace->tasks[1].name, "ok(1)");
    EXPECT_FALSE(trace->tasks[1].thread_row);
    EXPECT_EQ(trace->tasks[1].status, State::Done);
    EXPECT_EQ(trace->tasks[2].name, "bad");
    EXPECT_EQ(trace->tasks[2].status, State::Failed);
    EXPECT_NE(trace->tasks[2].reason.find("KeyError"), std::string::npos);
    EXPECT_EQ(f.runs->output()->toPlainText(), QStringLiteral("bye\n"));
}

// Issue 12, item 5: Run > Compare native and CPython puts one model in both engines on one time
// axis, both scorecards, and the fidelity line.
TEST(PythonRuns, CompareNativeAndCPythonStacksBothEnginesWithTheFidelityLine)
{
    if (!have_python())
        GTEST_SKIP() << "no python3 on this machine";
    Runs f;
    BackToNative restore { f.parameters };
    choose(f.parameters->workloadBox(), QStringLiteral("async-delay"));
    choose(f.parameters->modelBox(), QStringLiteral("async"));
    f.parameters->scaleBox()->setValue(0.02);
    ASSERT_EQ(f.runs->startEngineCompare(), QString());
    CompareWindow* compare = f.runs->compareWindow();
    ASSERT_NE(compare, nullptr);
    QSignalSpy done(compare, &CompareWindow::allFinished);
    ASSERT_TRUE(done.wait(60000));

    EXPECT_EQ(compare->findChildren<TimelineView*>().size(), 2);
    const QStringList labels = compare->labels();
    ASSERT_EQ(labels.size(), 2);
    EXPECT_TRUE(labels[0].startsWith(QStringLiteral("async (native"))) << labels[0].toStdString();
    EXPECT_TRUE(labels[1].startsWith(QStringLiteral("async (cpython 3."))) << labels[1].toStdString();
    const auto traces = compare->traces();
    ASSERT_EQ(traces.size(), 2u);
    ASSERT_TRUE(traces[0] && traces[1]);
    EXPECT_EQ(traces[0]->info.engine, "native");
    EXPECT_EQ(traces[1]->info.engine, "cpython");
    for (const auto& t : traces) {
        ASSERT_TRUE(t->complete);
        EXPECT_EQ(t->tasks.size(), 3u);
        for (const TaskTrace& task : t->tasks)
            EXPECT_EQ(task.status, State::Done) << t->info.engine << " " << task.name << ": " << task.reason;
    }
    EXPECT_TRUE(compare->note().contains(QStringLiteral("Fidelity: makespan cpython/native"))) << compare->note().toStdString();
    EXPECT_TRUE(compare->note().contains(QStringLiteral("order of starts the same (A B C)"))) << compare->note().toStdString();
    EXPECT_TRUE(compare->windowTitle().contains(QStringLiteral("native against CPython")));
}

// A python3 that is not there stops the comparison before anything runs, and says why.
TEST(PythonRuns, CompareNativeAndCPythonWithoutPythonSaysWhatWasLookedFor)
{
    Runs f;
    BackToNative restore { f.parameters };
    choose(f.parameters->engineBox(), QStringLiteral("cpython"));
    f.parameters->pythonEdit()->setText(QStringLiteral("/nonexistent/python3"));
    const QString error = f.runs->startEngineCompare();
    EXPECT_TRUE(error.contains(QStringLiteral("/nonexistent/python3"))) << error.toStdString();
    EXPECT_TRUE(!f.runs->compareWindow() || !f.runs->compareWindow()->running());
}

namespace {

// An interpreter that takes a second to answer anything: python3 behind a sleep.
struct SlowPython {
    QTemporaryDir dir;
    QString path;
    SlowPython()
    {
        path = dir.filePath(QStringLiteral("slow-python3"));
        std::ofstream(path.toStdString()) << "#!/bin/sh\nsleep 1\nexec '" << find_python("").path << "' \"$@\"\n";
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
};

// The panel set for table loading in CPython through `python`, Run enabled once it has checked it.
bool ready_for_cpython(Runs& f, const QString& python)
{
    ParameterPanel* p = f.parameters;
    choose(p->workloadBox(), QStringLiteral("table-loading"));
    choose(p->modelBox(), QStringLiteral("threads"));
    p->scaleBox()->setValue(0.05);
    choose(p->engineBox(), QStringLiteral("cpython"));
    p->pythonEdit()->setText(python);
    QTest::keyClick(p->pythonEdit(), Qt::Key_Return);
    return QTest::qWaitFor([&] { return !p->checkingPython() && f.runs->runButton()->isEnabled(); }, 60000);
}

// The run controls ready for table loading in CPython, through an interpreter slow to answer.
struct SlowToStart {
    Runs f;
    BackToNative restore { f.parameters };
    SlowPython slow;
    bool ready = ready_for_cpython(f, slow.path);
};

} // namespace

// The panel asks the interpreter typed what it is off the window's thread: the edit returns at
// once, the field says the interpreter is being looked at and Run stays on; its version follows.
TEST(PythonRuns, ThePanelAsksTheInterpreterWhatItIsOffTheWindowsThread)
{
    if (!have_python())
        GTEST_SKIP() << "no python3 on this machine";
    Runs f;
    BackToNative restore { f.parameters };
    ParameterPanel* p = f.parameters;
    SlowPython slow;
    choose(p->workloadBox(), QStringLiteral("table-loading"));
    choose(p->modelBox(), QStringLiteral("threads"));
    choose(p->engineBox(), QStringLiteral("cpython"));
    QTRY_VERIFY_WITH_TIMEOUT(!p->checkingPython(), 30000);
    p->pythonEdit()->setText(slow.path);
    QTest::keyClick(p->pythonEdit(), Qt::Key_Return);
    EXPECT_TRUE(p->checkingPython()); // the interpreter sleeps a second before it answers
    EXPECT_TRUE(p->pythonLabel()->text().startsWith(QStringLiteral("Looking at the interpreter…\n"))) << p->pythonLabel()->text().toStdString();
    EXPECT_LE(p->pythonLabel()->sizeHint().width(), p->pythonEdit()->width() + 2);
    EXPECT_TRUE(f.runs->runButton()->isEnabled()) << p->error().toStdString();
    QTRY_VERIFY_WITH_TIMEOUT(!p->checkingPython(), 30000);
    EXPECT_TRUE(p->pythonLabel()->text().startsWith(QStringLiteral("Python 3."))) << p->pythonLabel()->text().toStdString();
    EXPECT_TRUE(p->error().isEmpty()) << p->error().toStdString();

    // One that is not there is named once asked; Run is refused.
    p->pythonEdit()->setText(QStringLiteral("/no/such/python3"));
    QTest::keyClick(p->pythonEdit(), Qt::Key_Return);
    EXPECT_TRUE(p->checkingPython());
    QTRY_VERIFY_WITH_TIMEOUT(!p->checkingPython(), 30000);
    EXPECT_TRUE(p->error().contains(QStringLiteral("looked for '/no/such/python3'"))) << p->error().toStdString();
    EXPECT_FALSE(f.runs->runButton()->isEnabled());
    EXPECT_TRUE(p->pythonLabel()->text().isEmpty());
}

TEST(PythonRuns, RunIsPreparedOffTheWindowsThreadWhichStaysServedUntilTheRunStarts)
{
    if (!have_python())
        GTEST_SKIP() << "no python3 on this machine";
    SlowToStart s;
    Runs& f = s.f;
    ASSERT_TRUE(s.ready) << f.parameters->error().toStdString();
    QSignalSpy started(f.runs, &RunActions::started);
    QSignalSpy finished(f.runs, &RunActions::finished);
    // Checking the interpreter (a second, here) happens after the click has returned.
    QTest::mouseClick(f.runs->runButton(), Qt::LeftButton);
    EXPECT_EQ(started.count(), 0);
    EXPECT_TRUE(f.runs->running());
    EXPECT_EQ(f.status, QStringLiteral("Starting…"));
    EXPECT_TRUE(f.runs->stopButton()->isEnabled());
    EXPECT_FALSE(f.runs->runButton()->isEnabled());
    bool served_before_start = false;
    QTimer::singleShot(0, &f.window, [&] { served_before_start = started.count() == 0; });
    ASSERT_TRUE(finished.wait(60000)) << f.status.toStdString();
    EXPECT_TRUE(served_before_start);
    EXPECT_EQ(started.count(), 1);
    for (const TaskTrace& t : f.trace->tasks)
        EXPECT_EQ(t.status, State::Done) << t.name << ": " << t.reason;
}

TEST(PythonRuns, StopWhileTheRunIsPreparedEndsItAsAnyStoppedRun)
{
    if (!have_python())
        GTEST_SKIP() << "no python3 on this machine";
    SlowToStart s;
    Runs& f = s.f;
    ASSERT_TRUE(s.ready) << f.parameters->error().toStdString();
    QSignalSpy failed(f.runs, &RunActions::failed);
    QSignalSpy finished(f.runs, &RunActions::finished);
    QTest::mouseClick(f.runs->runButton(), Qt::LeftButton);
    ASSERT_TRUE(f.runs->running());
    QTest::mouseClick(f.runs->stopButton(), Qt::LeftButton);
    ASSERT_TRUE(finished.wait(60000)) << f.status.toStdString();
    EXPECT_EQ(failed.count(), 0);
    EXPECT_EQ(f.trace->info.exit, "stopped");
    for (const TaskTrace& t : f.trace->tasks)
        EXPECT_EQ(t.status, State::Cancelled) << t.name;
    EXPECT_TRUE(f.runs->runButton()->isEnabled());
}

TEST(PythonRuns, ARunThatCannotStartSaysWhyAndLeavesTheScreenAsItWas)
{
    if (!have_python())
        GTEST_SKIP() << "no python3 on this machine";
    Runs f;
    BackToNative restore { f.parameters };
    ParameterPanel* p = f.parameters;
    choose(p->workloadBox(), QStringLiteral("table-loading"));
    choose(p->engineBox(), QStringLiteral("cpython"));
    choose(p->modelBox(), QStringLiteral("dask"));
    auto* scheduler = p->findChild<QLineEdit*>(QStringLiteral("scheduler"));
    ASSERT_TRUE(scheduler);
    // Well formed, so the panel takes it; nothing listens on port 1, which Run finds out.
    scheduler->setText(QStringLiteral("tcp://127.0.0.1:1"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return f.runs->runButton()->isEnabled(); }, 60000)) << p->error().toStdString();
    QSignalSpy failed(f.runs, &RunActions::failed);
    QSignalSpy started(f.runs, &RunActions::started);
    QTest::mouseClick(f.runs->runButton(), Qt::LeftButton);
    ASSERT_TRUE(failed.wait(30000));
    EXPECT_TRUE(failed.at(0).at(1).toString().contains(QStringLiteral("127.0.0.1:1"))) << failed.at(0).at(1).toString().toStdString();
    EXPECT_EQ(started.count(), 0);
    EXPECT_FALSE(f.trace); // nothing was shown, nothing was taken off the screen
    EXPECT_FALSE(f.runs->running());
    EXPECT_TRUE(f.runs->runButton()->isEnabled());
    scheduler->clear();
}
