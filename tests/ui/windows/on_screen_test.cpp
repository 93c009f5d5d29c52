// Issue 23, defect 1: after opening a trace the panel kept the previous settings, and Run ran
// something other than what was on screen. Now the panel and Run describe what is on screen: a
// workload file's run reopens its file, a script of the user's runs again, and what cannot be
// run again (a foreign trace, a file that is gone) is said above the fields.
#include "core/formats/trace_json.h"
#include "core/python/engine.h"
#include "action_helpers.h"
#include "ui/tracks/timeline_view.h"

#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QLabel>
#include <QSpinBox>
#include <QTemporaryDir>

#include <fstream>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Files;

namespace {

QString note(const ParameterPanel* panel)
{
    return panel->onScreenLabel()->isVisibleTo(const_cast<ParameterPanel*>(panel)) ? panel->onScreenLabel()->text()
                                                                                   : QString();
}

// Runs what the Run button runs and returns the trace it made.
std::shared_ptr<const Trace> press_run(Files& f)
{
    QSignalSpy finished(f.runs, &RunActions::finished);
    QTest::mouseClick(f.runs->runButton(), Qt::LeftButton);
    if (!finished.wait(60000))
        return nullptr;
    return f.trace;
}

// A trace of the workload file at `path`, run and saved to `saved`, with the panel then set to
// something else.
void record_workload_file_run(Files& f, const QString& path, const QString& saved)
{
    test::write_file(path, R"({"name": "two-waits", "tasks": [{"name": "A", "steps": [{"wait": 0.02}]},
                                 {"name": "B", "steps": [{"compute": 1000}, {"wait": 0.04}]}]})");
    ASSERT_EQ(f.files->openWorkload(path), QString());
    ASSERT_TRUE(press_run(f));
    EXPECT_EQ(f.trace->info.workload_file, QFileInfo(path).absoluteFilePath().toStdString());
    ASSERT_EQ(f.files->saveTrace(saved), QString());
    test::choose(f.parameters->workloadBox(), QStringLiteral("table-loading"));
    f.parameters->tasksBox()->setValue(30);
}

} // namespace

TEST(OnScreen, ATraceOfAWorkloadFileReopensItsFileAndRunRunsIt)
{
    Files f;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("two-waits.json"));
    const QString saved = dir.filePath(QStringLiteral("run.json"));
    record_workload_file_run(f, path, saved);

    ASSERT_EQ(test::open(*f.files, saved), QString());
    EXPECT_TRUE(f.parameters->workloadBox()->currentText().startsWith(QStringLiteral("two-waits")))
        << f.parameters->workloadBox()->currentText().toStdString();
    EXPECT_EQ(note(f.parameters), QString());
    const auto ran = press_run(f);
    ASSERT_TRUE(ran);
    EXPECT_EQ(ran->info.workload, "two-waits");
    ASSERT_EQ(ran->tasks.size(), 2u);
    EXPECT_EQ(ran->tasks[1].name, "B");
}

TEST(OnScreen, AWorkloadFileThatIsGoneIsSaidAndTheFieldsAreNotPassedOffAsTheRun)
{
    Files f;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("two-waits.json"));
    const QString saved = dir.filePath(QStringLiteral("run.json"));
    record_workload_file_run(f, path, saved);
    ASSERT_TRUE(QFile::remove(path));

    ASSERT_EQ(test::open(*f.files, saved), QString());
    const QString said = note(f.parameters);
    EXPECT_TRUE(said.contains(QStringLiteral("two-waits.json"))) << said.toStdString();
    EXPECT_TRUE(said.contains(QStringLiteral("Run runs the fields below"))) << said.toStdString();
    // Changing a field makes the fields what Run runs: the note goes.
    f.parameters->scaleBox()->setValue(0.02);
    EXPECT_EQ(note(f.parameters), QString());
}

TEST(OnScreen, AForeignTraceSaysItCannotBeRunAgainUntilAFieldChanges)
{
    Files f;
    ASSERT_EQ(test::open(*f.files, QStringLiteral(TIMESLICE_FIXTURES_DIR "/node-worker-threads.json")), QString());
    const QString said = note(f.parameters);
    EXPECT_TRUE(said.contains(QStringLiteral("cannot be run again"))) << said.toStdString();
    test::choose(f.parameters->modelBox(), QStringLiteral("async"));
    EXPECT_EQ(note(f.parameters), QString());
    // A run of the fields: nothing is said about the trace it replaced.
    ASSERT_EQ(test::open(*f.files, QStringLiteral(TIMESLICE_FIXTURES_DIR "/node-worker-threads.json")), QString());
    EXPECT_NE(note(f.parameters), QString());
    test::choose(f.parameters->workloadBox(), QStringLiteral("async-delay"));
    f.parameters->scaleBox()->setValue(0.01);
    const auto ran = press_run(f);
    ASSERT_TRUE(ran);
    EXPECT_EQ(ran->info.workload, "async-delay");
    EXPECT_EQ(note(f.parameters), QString());
}

TEST(OnScreen, AScriptOfTheUsersOnScreenIsWhatRunRunsAgain)
{
    try {
        find_python("");
    } catch (const std::exception&) {
        GTEST_SKIP() << "no python3 on this machine";
    }
    Files f;
    QTemporaryDir dir;
    const QString script = dir.filePath(QStringLiteral("say.py"));
    std::ofstream(script.toStdString()) << "import sys\nprint('args', sys.argv[1:])\n";
    QSignalSpy finished(f.runs, &RunActions::finished);
    ASSERT_EQ(f.runs->startScript(script, { QStringLiteral("one"), QStringLiteral("two") }), QString());
    ASSERT_TRUE(finished.wait(60000));
    const QString saved = dir.filePath(QStringLiteral("script.json"));
    ASSERT_EQ(f.files->saveTrace(saved), QString());
    EXPECT_EQ(f.trace->info.script, script.toStdString());

    // Opened again over a panel set to a workload: Run runs the script, with its arguments.
    test::choose(f.parameters->workloadBox(), QStringLiteral("square-numbers"));
    ASSERT_EQ(test::open(*f.files, saved), QString());
    EXPECT_TRUE(note(f.parameters).contains(QStringLiteral("say.py"))) << note(f.parameters).toStdString();
    EXPECT_TRUE(f.runs->runButton()->toolTip().contains(QStringLiteral("say.py")));
    const auto ran = press_run(f);
    ASSERT_TRUE(ran);
    EXPECT_EQ(ran->info.model, "script");
    EXPECT_EQ(ran->info.program, (script + QStringLiteral(" one two")).toStdString());
    // Still on screen after the run: Run would run it again.
    EXPECT_EQ(f.parameters->scriptOnScreen(), script);
    // A field changed: the fields again.
    test::choose(f.parameters->workloadBox(), QStringLiteral("table-loading"));
    EXPECT_EQ(f.parameters->scriptOnScreen(), QString());
    EXPECT_FALSE(f.runs->runButton()->toolTip().contains(QStringLiteral("say.py")));
}

// Issue 23, defect 8: the find box still said "io-2 — 1 of 1" where no such row was, and Python's
// output kept the last script's text, after another trace opened.
TEST(OnScreen, NothingOfTheLastTraceCarriesOverToTheNext)
{
    test::Fixture f;
    ASSERT_EQ(test::open(f.window, test::example_trace("table-loading-threads.json")), QString());
    auto* find = f.window.findChild<QLineEdit*>(QStringLiteral("findTask"));
    auto* count = f.window.findChild<QLabel*>(QStringLiteral("findCount"));
    auto* output = f.window.findChild<QPlainTextEdit*>(QStringLiteral("programOutput"));
    auto* output_dock = f.window.findChild<QDockWidget*>(QStringLiteral("programOutputDock"));
    ASSERT_TRUE(find && count && output && output_dock);
    QTest::keyClicks(find, QStringLiteral("io"));
    EXPECT_FALSE(count->text().isEmpty());
    output->setPlainText(QStringLiteral("the last script's words"));
    output_dock->show();

    ASSERT_EQ(test::open(f.window, test::example_trace("mixed-async.json")), QString());
    EXPECT_EQ(find->text(), QString());
    EXPECT_EQ(count->text(), QString());
    EXPECT_EQ(f.window.timeline()->findText(), QString());
    EXPECT_EQ(output->toPlainText(), QString());
    EXPECT_FALSE(output_dock->isVisible());
}
