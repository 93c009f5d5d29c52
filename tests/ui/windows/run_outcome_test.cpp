// Issue 13, defect 14: a stopped run's scorecard said only "None: not every task is done", the
// legend said "cancelled" where the status bar said "stopped", and a failure's reason was only
// in a tooltip.
#include "ui/export/image_export.h"
#include "ui/panels/scorecard_view.h"
#include "ui/style/palette.h"
#include "action_helpers.h"

#include <QFile>
#include <QLabel>
#include <QTemporaryDir>

#include <csignal>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Files;

namespace {

// The scorecard the window shows beside the finished run.
QString scorecard_of(const Trace& trace)
{
    ScorecardView view;
    view.showTrace(trace);
    return view.scorecard()->text();
}

// Starts table-loading under processes and waits until task C's worker is waiting.
int start_until_c_waits(Files& f, double scale)
{
    f.parameters->scaleBox()->setValue(scale);
    test::choose(f.parameters->workloadBox(), QStringLiteral("table-loading"));
    test::choose(f.parameters->modelBox(), QStringLiteral("processes"));
    QSignalSpy shown(f.runs, &RunActions::snapshotReady);
    QTest::mouseClick(f.runs->runButton(), Qt::LeftButton);
    for (int i = 0; i < 400; ++i) {
        shown.wait(50);
        const auto live = f.trace;
        if (live && live->tasks.size() == 3 && live->tasks[2].time_in(State::Waiting) > 0)
            return live->tasks[2].pid;
    }
    return 0;
}

} // namespace

TEST(RunOutcome, AStoppedRunSaysWhatWasDoneInWordsTheLegendShares)
{
    Files f;
    ASSERT_GT(start_until_c_waits(f, 1.0), 0);
    QSignalSpy finished(f.runs, &RunActions::finished);
    QTest::mouseClick(f.runs->stopButton(), Qt::LeftButton);
    ASSERT_TRUE(finished.wait(10000));
    const QString card = scorecard_of(*f.trace);
    EXPECT_TRUE(card.contains(QStringLiteral("stopped after"))) << card.toStdString();
    int done = 0;
    for (const TaskTrace& t : f.trace->tasks)
        done += t.status == State::Done;
    EXPECT_TRUE(card.contains(QStringLiteral("%1 of 3 tasks done").arg(done))) << card.toStdString();
    EXPECT_TRUE(f.status.contains(QStringLiteral("stopped")));
    // The status bar as the scorecard: a stopped run has no makespan.
    EXPECT_TRUE(f.status.contains(QStringLiteral("— stopped after "))) << f.status.toStdString();
    EXPECT_FALSE(f.status.contains(QStringLiteral("makespan"))) << f.status.toStdString();

    // The legend (here in an exported SVG) uses the same word.
    EXPECT_EQ(state_label(State::Cancelled), QStringLiteral("stopped"));
    QTemporaryDir dir;
    const QString svg = dir.filePath(QStringLiteral("stopped.svg"));
    ASSERT_EQ(f.files->exportImage(svg, QSize(1600, 900)), QString());
    QFile file(svg);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    EXPECT_TRUE(text.contains("stopped"));
    EXPECT_FALSE(text.contains("cancelled"));
}

TEST(RunOutcome, AFailedTaskSaysWhyInTheScorecardAndTheStatusBar)
{
    Files f;
    const int victim = start_until_c_waits(f, 0.3);
    ASSERT_GT(victim, 0);
    QSignalSpy finished(f.runs, &RunActions::finished);
    ::kill(victim, SIGKILL);
    ASSERT_TRUE(finished.wait(10000));
    ASSERT_EQ(f.trace->tasks[2].status, State::Failed);
    const QString card = scorecard_of(*f.trace);
    EXPECT_TRUE(card.contains(QStringLiteral("<b>C</b> failed"))) << card.toStdString();
    EXPECT_TRUE(card.contains(QStringLiteral("SIGKILL"))) << card.toStdString();
    EXPECT_TRUE(f.status.contains(QStringLiteral("SIGKILL"))) << f.status.toStdString();
}
