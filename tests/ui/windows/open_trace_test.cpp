// Issue 13, defect 9: opening a trace left the panel and the title as they were, so Run then
// ran something other than what was on screen.
#include "ui/windows/main_window.h"
#include "ui/panels/parameter_panel.h"
#include "window_helpers.h"

#include <QCheckBox>
#include <QSpinBox>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Fixture;

TEST(MainWindow, OpeningATraceShowsItsParametersAndFileAndRunRunsThem)
{
    Fixture f;
    ParameterPanel* panel = f.window.parameters();
    test::choose(panel->workloadBox(), QStringLiteral("square-numbers"));
    test::choose(panel->modelBox(), QStringLiteral("processes"));
    panel->scaleBox()->setValue(0.7);

    ASSERT_EQ(test::open(f.window, test::example_trace("table-loading-threads.json")), QString());
    EXPECT_EQ(panel->workloadBox()->currentData().toString(), QStringLiteral("table-loading"));
    EXPECT_EQ(panel->modelBox()->currentData().toString(), QStringLiteral("threads"));
    EXPECT_TRUE(panel->gilBox()->isChecked());
    EXPECT_DOUBLE_EQ(panel->scaleBox()->value(), 0.05);
    EXPECT_EQ(panel->waitsEdit()->text(), QStringLiteral("1, 2, 5"));
    // Recorded with the default pool, min(32, cores + 4) on 2 cores: "default" where that is the
    // default here too.
    EXPECT_EQ(panel->workersBox()->value(), pool_size(ModelKind::Threads, 0) == 6 ? 0 : 6);
    EXPECT_TRUE(f.window.windowTitle().contains(QStringLiteral("table-loading-threads.json"))) << f.window.windowTitle().toStdString();
    EXPECT_TRUE(f.window.windowTitle().contains(QStringLiteral("table-loading under threads with the GIL")));
    EXPECT_FALSE(f.window.isWindowModified());

    ASSERT_EQ(test::open(f.window, test::example_trace("mixed-async.json")), QString());
    EXPECT_EQ(panel->workloadBox()->currentData().toString(), QStringLiteral("mixed"));
    EXPECT_EQ(panel->modelBox()->currentData().toString(), QStringLiteral("async"));
    EXPECT_EQ(panel->iterationsEdit()->text(), QStringLiteral("50000000"));
    EXPECT_TRUE(f.window.windowTitle().contains(QStringLiteral("mixed-async.json")));

    // Run runs what is on screen.
    const auto opened = f.window.trace();
    QSignalSpy finished(&f.window, &MainWindow::runFinished);
    QTest::mouseClick(f.window.runs()->runButton(), Qt::LeftButton);
    ASSERT_TRUE(finished.wait(20000));
    const auto ran = f.window.trace();
    EXPECT_EQ(ran->info.workload, opened->info.workload);
    EXPECT_EQ(ran->info.model, opened->info.model);
    EXPECT_EQ(ran->info.scale, opened->info.scale);
    EXPECT_EQ(ran->info.iterations, opened->info.iterations);
    EXPECT_EQ(ran->tasks.size(), opened->tasks.size());
    // A run not saved yet: no file in the title, and marked modified.
    EXPECT_FALSE(f.window.windowTitle().contains(QStringLiteral(".json")));
    EXPECT_TRUE(f.window.isWindowModified());
}

// A trace from another tool names its file in the title too, though it has nothing to run again.
TEST(MainWindow, AForeignTraceNamesItsFileInTheTitle)
{
    Fixture f;
    ASSERT_EQ(test::open(f.window, QStringLiteral(TIMESLICE_FIXTURES_DIR "/viztracer-fib.json")), QString());
    ASSERT_TRUE(f.window.trace() && f.window.trace()->foreign);
    EXPECT_TRUE(f.window.windowTitle().contains(QStringLiteral("viztracer-fib.json")));
}
