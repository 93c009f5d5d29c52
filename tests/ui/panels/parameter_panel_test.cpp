// The parameter panel as a person types into it: rows appear and go with the workload and the
// model, and stay usable whatever was typed before.
#include "core/python/engine.h"
#include "core/workload/workload.h"
#include "ui/panels/parameter_panel.h"
#include "window_helpers.h"

#include <QFormLayout>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>

using namespace timeslice;
using namespace timeslice::ui;

namespace {

// A row is usable when its field and its label are both on screen with room to be seen.
::testing::AssertionResult row_shown(ParameterPanel& panel, const char* field_name)
{
    auto* field = panel.findChild<QWidget*>(QString::fromLatin1(field_name));
    if (!field)
        return ::testing::AssertionFailure() << "no field " << field_name;
    auto* form = panel.findChild<QFormLayout*>();
    auto* label = form ? form->labelForField(field) : nullptr;
    if (!field->isVisible() || field->height() < 10)
        return ::testing::AssertionFailure() << field_name << " is hidden or squashed (" << field->height() << " px)";
    if (label && !label->isVisible())
        return ::testing::AssertionFailure() << field_name << "'s label is hidden";
    return ::testing::AssertionSuccess();
}

// Counts the times a widget is shown.
class ShowCounter : public QObject {
public:
    explicit ShowCounter(QWidget* widget) { widget->installEventFilter(this); }
    int count = 0;

protected:
    bool eventFilter(QObject*, QEvent* event) override
    {
        count += event->type() == QEvent::Show;
        return false;
    }
};

} // namespace

TEST(ParameterPanel, RowsComeBackAfterAListIsTypedIntoWaits)
{
    ParameterPanel panel;
    panel.resize(360, 500);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    test::choose(panel.workloadBox(), QStringLiteral("table-loading"));
    test::choose(panel.modelBox(), QStringLiteral("async"));
    EXPECT_FALSE(panel.findChild<QWidget*>(QStringLiteral("workers"))->isVisible());

    auto* error = panel.findChild<QLabel*>(QStringLiteral("parameterError"));
    ShowCounter error_shown(error);
    panel.waitsEdit()->setFocus();
    panel.waitsEdit()->selectAll();
    QTest::keyClicks(panel.waitsEdit(), QStringLiteral("0.5, 1, 2"));
    EXPECT_EQ(panel.waitsEdit()->text(), QStringLiteral("0.5, 1, 2"));
    EXPECT_EQ(error_shown.count, 0) << "a comma typed before the next number is not a mistake";
    EXPECT_FALSE(error->isVisible());

    test::choose(panel.modelBox(), QStringLiteral("processes"));
    test::settle(); // let the layout settle
    EXPECT_TRUE(row_shown(panel, "workers"));

    test::choose(panel.workloadBox(), QStringLiteral("square-numbers"));
    test::settle();
    EXPECT_TRUE(row_shown(panel, "iterations"));
    EXPECT_TRUE(row_shown(panel, "tasks"));
    EXPECT_TRUE(row_shown(panel, "workers"));
}

// Issue 13, defect 12: Scale was shown where it does nothing, Iterations carried over from
// square-numbers to mixed, and 2,000 workers typed became 256 without a word.
TEST(ParameterPanel, ShowsOnlyWhatAppliesKeepsIterationsPerWorkloadAndNamesTheWorkersLimit)
{
    ParameterPanel panel;
    panel.resize(360, 500);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    test::choose(panel.workloadBox(), QStringLiteral("square-numbers"));
    EXPECT_FALSE(panel.scaleBox()->isVisible());
    test::choose(panel.workloadBox(), QStringLiteral("table-loading"));
    EXPECT_TRUE(panel.scaleBox()->isVisible());

    test::choose(panel.workloadBox(), QStringLiteral("square-numbers"));
    panel.iterationsEdit()->setFocus();
    QTest::keyClicks(panel.iterationsEdit(), QStringLiteral("300000000"));
    EXPECT_TRUE(panel.descriptionLabel()->text().contains(QStringLiteral("below 300,000,000")))
        << panel.descriptionLabel()->text().toStdString();
    test::choose(panel.workloadBox(), QStringLiteral("mixed"));
    EXPECT_EQ(panel.iterationsEdit()->text(), QString()) << "mixed keeps its own default";
    test::choose(panel.workloadBox(), QStringLiteral("square-numbers"));
    EXPECT_EQ(panel.iterationsEdit()->text(), QStringLiteral("300000000"));

    test::choose(panel.modelBox(), QStringLiteral("processes"));
    panel.workersBox()->setFocus();
    panel.workersBox()->selectAll();
    QTest::keyClicks(panel.workersBox(), QStringLiteral("2000"));
    EXPECT_EQ(panel.workersBox()->value(), 2000);
    EXPECT_FALSE(panel.config().has_value());
    EXPECT_TRUE(panel.error().contains(QStringLiteral("256"))) << panel.error().toStdString();
    EXPECT_TRUE(panel.findChild<QLabel*>(QStringLiteral("parameterError"))->isVisible());
    test::choose(panel.modelBox(), QStringLiteral("threads"));
    EXPECT_EQ(panel.workersBox()->value(), 2000) << "the number typed stays as typed";
    EXPECT_TRUE(panel.config().has_value());
}

// Issue 13, defect 12: I/O workloads had no task count, so 2,000 tasks meant typing 2,000 waits.
// The Tasks row applies to them too: that many tasks take the waits in turn.
TEST(ParameterPanel, TasksRowGivesIoWorkloadsAnyNumberOfTasks)
{
    ParameterPanel panel;
    panel.resize(360, 500);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    test::choose(panel.workloadBox(), QStringLiteral("table-loading"));
    test::choose(panel.modelBox(), QStringLiteral("async"));
    panel.waitsEdit()->setFocus();
    panel.waitsEdit()->selectAll();
    QTest::keyClicks(panel.waitsEdit(), QStringLiteral("1, 2, 5"));
    test::settle();
    ASSERT_TRUE(row_shown(panel, "tasks"));

    auto* tasks = panel.findChild<QSpinBox*>(QStringLiteral("tasks"));
    tasks->setFocus();
    tasks->selectAll();
    QTest::keyClicks(tasks, QStringLiteral("2000"));
    QTest::keyClick(tasks, Qt::Key_Tab);
    EXPECT_EQ(tasks->value(), 2000);
    const auto config = panel.config();
    ASSERT_TRUE(config.has_value()) << panel.error().toStdString();
    const Workload w = make_workload(config->workload, config->workload_options);
    ASSERT_EQ(w.tasks.size(), 2000u);
    EXPECT_EQ(w.tasks[5].nominal_seconds, 5.0);
    EXPECT_TRUE(panel.descriptionLabel()->text().contains(QStringLiteral("2000 tasks")));

    // Too many for square-numbers is said, not silently clamped.
    test::choose(panel.workloadBox(), QStringLiteral("square-numbers"));
    EXPECT_EQ(tasks->value(), 0) << "each workload starts from its own default count";
    tasks->setFocus();
    tasks->selectAll();
    QTest::keyClicks(tasks, QStringLiteral("2000"));
    EXPECT_EQ(tasks->value(), 2000);
    EXPECT_FALSE(panel.config().has_value());
    EXPECT_TRUE(panel.error().contains(QStringLiteral("1024")));
}

// An empty Waits list saved (a workload without waits was shown, or a workload file) left
// table-loading's Run refused at the next start: "Waits: '' is not a number of seconds".
TEST(ParameterPanel, AnEmptyWaitsListSavedRestoresTheWorkloadsOwnWaits)
{
    QSettings settings;
    settings.setValue(QStringLiteral("run/workload"), QStringLiteral("table-loading"));
    settings.setValue(QStringLiteral("run/waits"), QString());
    ParameterPanel panel;
    panel.load(settings);
    ASSERT_TRUE(panel.config()) << panel.error().toStdString();
    EXPECT_EQ(panel.config()->workload_options.waits, default_waits("table-loading"));
    settings.remove(QStringLiteral("run"));
}

// Issue 22: the dask model is there beside the others; it takes the cpython engine with it, shows
// the scheduler's field (and the local cluster's, while no scheduler is named), and Run carries
// what was typed; a malformed address is named, not run.
TEST(ParameterPanel, DaskTakesTheCPythonEngineAndAScheduler)
{
    ParameterPanel panel;
    panel.resize(360, 560);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    auto* engine = panel.findChild<QComboBox*>(QStringLiteral("engine"));
    ASSERT_NE(engine, nullptr);
    test::choose(engine, QStringLiteral("native"));
    EXPECT_FALSE(row_shown(panel, "scheduler"));
    test::choose(panel.modelBox(), QStringLiteral("dask"));
    EXPECT_EQ(engine->currentData().toString(), QStringLiteral("cpython"));
    EXPECT_TRUE(row_shown(panel, "scheduler"));
    EXPECT_TRUE(row_shown(panel, "workerThreads"));
    EXPECT_TRUE(row_shown(panel, "workers"));

    auto* scheduler = panel.findChild<QLineEdit*>(QStringLiteral("scheduler"));
    scheduler->setFocus();
    QTest::keyClicks(scheduler, QStringLiteral("tcp://127.0.0.1"));
    EXPECT_FALSE(row_shown(panel, "workerThreads")) << "a running cluster's workers are its own";
    EXPECT_FALSE(row_shown(panel, "workers"));
    EXPECT_FALSE(panel.config().has_value());
    EXPECT_TRUE(panel.error().contains(QStringLiteral("names no port"))) << panel.error().toStdString();
    QTest::keyClicks(scheduler, QStringLiteral(":8786"));
    QTRY_VERIFY_WITH_TIMEOUT(!panel.checkingPython(), 30000);
    if (const auto c = panel.config()) {
        EXPECT_EQ(c->model, ModelKind::Dask);
        EXPECT_EQ(c->engine, Engine::CPython);
        EXPECT_EQ(c->model_options.scheduler, "tcp://127.0.0.1:8786");
        EXPECT_EQ(c->model_options.workers, 0);
    } else {
        // No interpreter here imports distributed: the panel says so, by name.
        EXPECT_TRUE(panel.error().contains(QStringLiteral("distributed"))) << panel.error().toStdString();
    }

    // The native engine cannot run it: the model goes back to processes.
    test::choose(engine, QStringLiteral("native"));
    EXPECT_EQ(panel.modelBox()->currentData().toString(), QStringLiteral("processes"));
    EXPECT_FALSE(row_shown(panel, "scheduler"));
}

TEST(ParameterPanel, TheRowsBelowThePythonVersionKeepTheirHeightInANarrowPanel)
{
    try {
        find_python("");
    } catch (const std::exception&) {
        GTEST_SKIP() << "no python3 on this machine";
    }
    // As wide as the window's panel. The version under the Python field once wrapped its words,
    // and QFormLayout squeezed the row below it to 0 px: Workers (and the scheduler) were gone.
    ParameterPanel panel;
    panel.resize(300, 700);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    test::choose(panel.workloadBox(), QStringLiteral("table-loading"));
    test::choose(panel.modelBox(), QStringLiteral("threads"));
    test::choose(panel.engineBox(), QStringLiteral("native"));
    test::choose(panel.engineBox(), QStringLiteral("cpython"));
    QTRY_VERIFY_WITH_TIMEOUT(!panel.checkingPython(), 30000);
    test::settle();
    EXPECT_TRUE(row_shown(panel, "workers"));
    const QString version = panel.pythonLabel()->text();
    EXPECT_TRUE(version.startsWith(QStringLiteral("Python 3."))) << version.toStdString();
    EXPECT_FALSE(version.contains(QStringLiteral("distributed"))) << version.toStdString();
    EXPECT_TRUE(panel.pythonLabel()->toolTip().contains(QString::fromStdString(find_python("").path)))
        << panel.pythonLabel()->toolTip().toStdString();
    EXPECT_LE(panel.pythonLabel()->sizeHint().width(), panel.pythonEdit()->width() + 2);
    test::choose(panel.modelBox(), QStringLiteral("dask"));
    QTRY_VERIFY_WITH_TIMEOUT(!panel.checkingPython(), 30000);
    test::settle();
    EXPECT_TRUE(row_shown(panel, "workers"));
    EXPECT_TRUE(row_shown(panel, "scheduler"));
    EXPECT_TRUE(row_shown(panel, "workerThreads"));
    test::choose(panel.engineBox(), QStringLiteral("native"));
}
