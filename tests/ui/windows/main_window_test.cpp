// What only the whole window does: passes a run's frames, a saved file and a chosen span between
// its parts, shows the CPU lanes and the output pane when there is something in them.
#include "core/formats/trace_json.h"
#include "core/python/engine.h"
#include "ui/panels/find_bar.h"
#include "ui/panels/parameter_panel.h"
#include "ui/panels/program_output.h"
#include "ui/panels/scorecard_view.h"
#include "ui/panels/span_details.h"
#include "ui/tracks/track_view.h"
#include "ui/tracks/timeline_view.h"
#include "ui/windows/file_actions.h"
#include "ui/windows/main_window.h"
#include "window_helpers.h"

#include <QCheckBox>
#include <QDockWidget>
#include <QLabel>
#include <QSettings>
#include <QTemporaryDir>

#include <fstream>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::choose;
using timeslice::test::Fixture;

// Run and Compare follow the fields' validity as it changes, without checking it again at each
// update of the controls (a check makes the whole workload).
TEST(MainWindow, RunAndCompareAreOffWhileTheFieldsAreInvalidAndOnAgainWhenFixed)
{
    Fixture f;
    choose(f.window.parameters()->workloadBox(), QStringLiteral("table-loading"));
    EXPECT_TRUE(f.window.runs()->runButton()->isEnabled());
    f.window.parameters()->waitsEdit()->setText(QStringLiteral("1, x"));
    EXPECT_FALSE(f.window.parameters()->valid());
    EXPECT_FALSE(f.window.runs()->runButton()->isEnabled());
    EXPECT_FALSE(f.window.runs()->compareButton()->isEnabled());
    f.window.parameters()->waitsEdit()->setText(QStringLiteral("0.01, 0.02"));
    EXPECT_TRUE(f.window.parameters()->valid());
    EXPECT_TRUE(f.window.runs()->runButton()->isEnabled());
    EXPECT_TRUE(f.window.runs()->compareButton()->isEnabled());
}

TEST(MainWindow, TheTimelineGrowsLiveWhileARunGoesOn)
{
    Fixture f;
    f.window.parameters()->scaleBox()->setValue(0.2); // C waits 1 s
    choose(f.window.parameters()->workloadBox(), QStringLiteral("table-loading"));
    choose(f.window.parameters()->modelBox(), QStringLiteral("threads"));
    QSignalSpy shown(&f.window, &MainWindow::traceShown);
    QSignalSpy finished(&f.window, &MainWindow::runFinished);
    QTest::mouseClick(f.window.runs()->runButton(), Qt::LeftButton);
    EXPECT_FALSE(f.window.runs()->runButton()->isEnabled()); // no second run while one goes on
    EXPECT_TRUE(f.window.runs()->stopButton()->isEnabled());
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
    // What was asked is remembered for the next start (written off the GUI thread).
    f.window.runs()->flushSettings();
    QSettings settings;
    EXPECT_EQ(settings.value(QStringLiteral("run/model")).toString(), QStringLiteral("threads"));
    EXPECT_EQ(settings.value(QStringLiteral("run/scale")).toDouble(), 0.2);
}

TEST(MainWindow, HasItsIcon)
{
    Fixture f;
    EXPECT_TRUE(QFile::exists(QStringLiteral(":/icons/timeslice.svg")));
    EXPECT_FALSE(f.window.windowIcon().isNull());
    EXPECT_FALSE(f.window.windowIcon().pixmap(64, 64).isNull());
}

TEST(MainWindow, ARunIsUnsavedUntilItsTraceIsSaved)
{
    Fixture f;
    ASSERT_TRUE(f.runAndWait(QStringLiteral("mixed"), QStringLiteral("threads")));
    QTemporaryDir dir;
    EXPECT_TRUE(f.window.hasUnsavedResults());
    ASSERT_EQ(f.window.files()->saveTrace(dir.filePath(QStringLiteral("run.json"))), QString());
    EXPECT_FALSE(f.window.hasUnsavedResults());
}

TEST(MainWindow, AnOpenedTraceWithoutKernelDataShowsNoLanesAndSaysSo)
{
    Fixture f;
    ASSERT_EQ(test::open(f.window, test::example_trace("square-numbers-threads-gil.json")), QString());
    EXPECT_FALSE(f.window.findChild<TrackView*>(QStringLiteral("coreLanes"))->isVisible());
    EXPECT_EQ(f.window.findChild<ScorecardView*>()->kernelNote()->text(), QStringLiteral("kernel data: none"));
}

// A live run: which source is used is the kernel's and the machine's word; /proc is there on any
// Linux, and "off" is always off.
TEST(MainWindow, TheChosenKernelSourceIsUsedAndNamedAndItsLanesShown)
{
    Fixture f;
    TrackView* lanes = f.window.findChild<TrackView*>(QStringLiteral("coreLanes"));
    QLabel* note = f.window.findChild<ScorecardView*>()->kernelNote();
    choose(f.window.parameters()->kernelBox(), QStringLiteral("sampled"));
    f.window.parameters()->gilBox()->setChecked(false);
    f.window.parameters()->iterationsEdit()->setText(QStringLiteral("20000000"));
    ASSERT_TRUE(f.runAndWait(QStringLiteral("square-numbers"), QStringLiteral("threads")));
    ASSERT_TRUE(f.window.trace());
    EXPECT_EQ(f.window.trace()->kernel.source, KernelSource::Sampled) << f.window.trace()->kernel.note;
    EXPECT_TRUE(note->text().startsWith(QStringLiteral("kernel data: sampled"))) << note->text().toStdString();
    EXPECT_TRUE(lanes->isVisible());
    EXPECT_GE(lanes->rowCount(), 1);
    EXPECT_GE(lanes->height(), 20);

    choose(f.window.parameters()->kernelBox(), QStringLiteral("off"));
    ASSERT_TRUE(f.runAndWait(QStringLiteral("square-numbers"), QStringLiteral("threads")));
    EXPECT_EQ(f.window.trace()->kernel.source, KernelSource::None);
    EXPECT_TRUE(note->text().startsWith(QStringLiteral("kernel data: "))) << note->text().toStdString();
    EXPECT_FALSE(lanes->isVisible());
    choose(f.window.parameters()->kernelBox(), QStringLiteral("auto"));
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

TEST(MainWindow, APythonRunOpensItsOutputPane)
{
    try {
        find_python("");
    } catch (const std::exception&) {
        GTEST_SKIP() << "no python3 on this machine";
    }
    Fixture f;
    QTemporaryDir dir;
    const QString script = dir.filePath(QStringLiteral("hello.py"));
    std::ofstream(script.toStdString()) << "print('hello')\n";
    QSignalSpy finished(&f.window, &MainWindow::runFinished);
    ASSERT_EQ(f.window.runs()->startScript(script, {}), QString());
    ASSERT_TRUE(finished.wait(60000));
    EXPECT_TRUE(f.window.runs()->output()->isVisibleTo(&f.window));
}

TEST(Accessibility, TheWindowsRunButtonsAndDocksHaveAccessibleNames)
{
    Fixture f;
    std::vector<QWidget*> controls { f.window.runs()->runButton(), f.window.runs()->stopButton() };
    for (QDockWidget* dock : f.window.findChildren<QDockWidget*>())
        controls.push_back(dock);
    for (QWidget* w : controls) {
        ASSERT_NE(w, nullptr);
        EXPECT_FALSE(w->accessibleName().isEmpty()) << w->objectName().toStdString();
    }
}
