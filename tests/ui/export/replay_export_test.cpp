// Issue 23: File → Export replay video. The dialog says what the video will be before it is
// made; the video is written off the GUI thread, with progress, and Cancel leaves nothing.
#include "core/formats/trace_json.h"
#include "ui/export/replay_export.h"
#include "timeline_helpers.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace timeslice;
using namespace timeslice::ui;

TEST(ReplayDialog, SaysHowLongTheVideoWillBeAndRefusesWhatCannotBeMade)
{
    const auto trace = test::load_example("square-numbers-threads-gil.json");
    ReplayDialog dialog(trace);
    dialog.setPath(QStringLiteral("/tmp/replay.mp4"));
    ReplayOptions o;
    o.speed = 0.1;
    o.size = QSize(1280, 720);
    dialog.setOptions(o);
    const ReplayPlan plan = plan_replay(*trace, dialog.options());
    EXPECT_EQ(dialog.options().speed, 0.1);
    EXPECT_EQ(dialog.options().size, QSize(1280, 720));
    EXPECT_TRUE(dialog.note().startsWith(QStringLiteral("%1 frames: ").arg(plan.frames))) << dialog.note().toStdString();
    EXPECT_TRUE(dialog.acceptable());
    dialog.setPath(QStringLiteral("/tmp/replay.gif"));
    EXPECT_FALSE(dialog.acceptable()) << "an MP4 only";
    dialog.setPath(QStringLiteral("/tmp/replay.mp4"));
    // The nearest speed the list has.
    o.speed = 0.02;
    dialog.setOptions(o);
    EXPECT_EQ(dialog.options().speed, 0.01);

    // A run of ten seconds at 1/1000x would be hours of video.
    Trace longer = *trace;
    longer.tasks.front().finished = 10 * kNanosPerSecond;
    ReplayDialog too_long(std::make_shared<const Trace>(longer));
    too_long.setPath(QStringLiteral("/tmp/replay.mp4"));
    o.speed = 0.001;
    too_long.setOptions(o);
    EXPECT_TRUE(too_long.note().contains(QStringLiteral("choose a faster speed"))) << too_long.note().toStdString();
    EXPECT_FALSE(too_long.acceptable());
}

TEST(ReplayExporter, WritesInTheBackgroundWithProgressAndCancelLeavesNothing)
{
    const auto trace = test::load_example("square-numbers-threads-gil.json");
    QWidget window;
    ReplayExporter exporter(&window);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("replay.mp4"));
    ReplayOptions o;
    o.size = QSize(640, 360);
    o.speed = 0.1;
    QSignalSpy progressed(&exporter, &ReplayExporter::progressed);
    QSignalSpy finished(&exporter, &ReplayExporter::finished);
    ASSERT_TRUE(exporter.start(trace, path, o));
    EXPECT_TRUE(exporter.busy());
    EXPECT_FALSE(exporter.start(trace, path, o)) << "one at a time";
    EXPECT_TRUE(exporter.progressDialog()->isVisible());
    // The GUI thread is free meanwhile: progress arrives as events while it waits.
    ASSERT_TRUE(finished.wait(60'000));
    EXPECT_EQ(finished.front().at(0).toString(), path);
    EXPECT_EQ(finished.front().at(1).toString(), QString());
    EXPECT_FALSE(exporter.busy());
    EXPECT_FALSE(exporter.progressDialog()->isVisible());
    const int frames = plan_replay(*trace, o).frames;
    test::settle();
    ASSERT_EQ(progressed.size(), frames);
    EXPECT_EQ(progressed.back().at(0).toInt(), frames);
    EXPECT_TRUE(QFile::exists(path));

    // Cancel from the progress dialog: nothing written, the old video untouched.
    const QString other = dir.filePath(QStringLiteral("slow.mp4"));
    o.size = QSize(1280, 720);
    o.speed = 0.01; // about 180 frames
    finished.clear();
    ASSERT_TRUE(exporter.start(trace, other, o));
    auto* cancel = exporter.progressDialog()->findChild<QPushButton*>();
    ASSERT_TRUE(cancel);
    cancel->click();
    ASSERT_TRUE(finished.wait(60'000));
    EXPECT_EQ(finished.front().at(1).toString(), QStringLiteral("cancelled"));
    EXPECT_FALSE(QFile::exists(other));
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files), QStringList { QStringLiteral("replay.mp4") });
}
