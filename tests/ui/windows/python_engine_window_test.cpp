// The cpython engine in the window: the Engine row, Run, File > Run Python script..., and the
// program's output pane, driven as a person would.
#include "core/python/engine.h"
#include "ui/windows/compare_window.h"
#include "ui/windows/main_window.h"
#include "ui/panels/parameter_panel.h"
#include "ui/panels/program_output.h"
#include "ui/tracks/timeline_view.h"
#include "window_helpers.h"

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
#include <QTest>

#include <gtest/gtest.h>

#include <fstream>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::choose;
using timeslice::test::Fixture;

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

TEST(PythonEngineWindow, TheEngineRowRunsTheWorkloadInRealPythonAndShowsItsOutput)
{
    if (!have_python())
        GTEST_SKIP() << "no python3 on this machine";
    Fixture f;
    ParameterPanel* p = f.window.parameters();
    BackToNative restore { p };
    choose(p->workloadBox(), QStringLiteral("table-loading"));
    choose(p->modelBox(), QStringLiteral("threads"));
    p->scaleBox()->setValue(0.05);
    choose(p->engineBox(), QStringLiteral("cpython"));
    test::settle();
    // CPython has its own GIL: the emulation's switch is not offered; the version is shown.
    EXPECT_FALSE(p->gilBox()->isVisibleTo(p));
    EXPECT_TRUE(p->pythonEdit()->isVisibleTo(p));
    EXPECT_TRUE(p->pythonLabel()->text().startsWith(QStringLiteral("Python 3."))) << p->pythonLabel()->text().toStdString();
    QSignalSpy finished(&f.window, &MainWindow::runFinished);
    ASSERT_TRUE(f.window.runButton()->isEnabled()) << p->error().toStdString();
    QTest::mouseClick(f.window.runButton(), Qt::LeftButton);
    ASSERT_TRUE(finished.wait(60000)) << f.window.findChild<QLabel*>(QStringLiteral("statusText"))->text().toStdString();
    const auto trace = f.window.trace();
    ASSERT_TRUE(trace);
    EXPECT_EQ(trace->info.engine, "cpython");
    ASSERT_EQ(trace->tasks.size(), 3u);
    for (const TaskTrace& t : trace->tasks)
        EXPECT_EQ(t.status, State::Done) << t.name << ": " << t.reason;
    EXPECT_EQ(f.window.programOutput()->toPlainText(), QStringLiteral("loaded A B C\n"));
    EXPECT_TRUE(f.window.programOutput()->isVisibleTo(&f.window));
}

TEST(PythonEngineWindow, AMissingInterpreterIsNamedAndRunIsRefused)
{
    Fixture f;
    ParameterPanel* p = f.window.parameters();
    BackToNative restore { p };
    choose(p->engineBox(), QStringLiteral("cpython"));
    p->pythonEdit()->setText(QStringLiteral("/no/such/python3"));
    QTest::keyClick(p->pythonEdit(), Qt::Key_Return);
    test::settle();
    EXPECT_FALSE(f.window.runButton()->isEnabled());
    EXPECT_TRUE(p->error().contains(QStringLiteral("looked for '/no/such/python3'"))) << p->error().toStdString();
}

TEST(PythonEngineWindow, RunPythonScriptDrawsTheScriptsTasksWithTheirStatus)
{
    if (!have_python())
        GTEST_SKIP() << "no python3 on this machine";
    Fixture f;
    QTemporaryDir dir;
    const QString script = dir.filePath(QStringLiteral("two.py"));
    std::ofstream(script.toStdString()) << "import time\nfrom concurrent.futures import ThreadPoolExecutor\n"
                                           "def ok(x):\n    time.sleep(0.01)\n    return x\n"
                                           "def bad():\n    raise KeyError('gone')\n"
                                           "with ThreadPoolExecutor() as pool:\n    pool.submit(ok, 1)\n    pool.submit(bad)\n"
                                           "print('bye')\n";
    QSignalSpy finished(&f.window, &MainWindow::runFinished);
    ASSERT_EQ(f.window.runPythonScript(script, { QStringLiteral("--unused") }), QString());
    ASSERT_TRUE(finished.wait(60000));
    const auto trace = f.window.trace();
    ASSERT_TRUE(trace);
    ASSERT_EQ(trace->tasks.size(), 2u);
    EXPECT_EQ(trace->tasks[0].name, "ok(1)");
    EXPECT_EQ(trace->tasks[0].status, State::Done);
    EXPECT_EQ(trace->tasks[1].name, "bad");
    EXPECT_EQ(trace->tasks[1].status, State::Failed);
    EXPECT_NE(trace->tasks[1].reason.find("KeyError"), std::string::npos);
    EXPECT_EQ(f.window.programOutput()->toPlainText(), QStringLiteral("bye\n"));
}

// Issue 12, item 5, in the window: Run > Compare native and CPython puts one model in both
// engines on one time axis, both scorecards, and the fidelity line.
TEST(PythonEngineWindow, CompareNativeAndCPythonStacksBothEnginesWithTheFidelityLine)
{
    if (!have_python())
        GTEST_SKIP() << "no python3 on this machine";
    Fixture f;
    BackToNative restore { f.window.parameters() };
    choose(f.window.parameters()->workloadBox(), QStringLiteral("async-delay"));
    choose(f.window.parameters()->modelBox(), QStringLiteral("async"));
    f.window.parameters()->scaleBox()->setValue(0.02);
    f.window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&f.window));
    QTest::keyClick(&f.window, Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier);
    CompareWindow* compare = f.window.compareWindow();
    ASSERT_NE(compare, nullptr) << "Ctrl+Shift+E opens the comparison";
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
TEST(PythonEngineWindow, CompareNativeAndCPythonWithoutPythonSaysWhatWasLookedFor)
{
    Fixture f;
    BackToNative restore { f.window.parameters() };
    choose(f.window.parameters()->engineBox(), QStringLiteral("cpython"));
    f.window.parameters()->pythonEdit()->setText(QStringLiteral("/nonexistent/python3"));
    const QString error = f.window.startEngineCompare();
    EXPECT_TRUE(error.contains(QStringLiteral("/nonexistent/python3"))) << error.toStdString();
    EXPECT_TRUE(!f.window.compareWindow() || !f.window.compareWindow()->running());
}
