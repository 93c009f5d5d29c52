// The File menu's work without the window: export, save, open (and what a bad file says), and the
// recent files.
#include "action_helpers.h"
#include "ui/style/palette.h"

#include <QAction>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QMenu>
#include <QSettings>
#include <QTemporaryDir>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Files;

TEST(FileActions, ExportsTheRunAsPngAndSvgAndSavesAndReopensTheTrace)
{
    Files f;
    ASSERT_TRUE(f.runAndWait(QStringLiteral("mixed"), QStringLiteral("threads")));
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("run.png"));
    const QString svg = dir.filePath(QStringLiteral("run.svg"));
    const QString json = dir.filePath(QStringLiteral("run.json"));
    ASSERT_EQ(f.files->exportImage(png, QSize(1600, 900)), QString());
    ASSERT_EQ(f.files->exportImage(svg, QSize(1600, 900)), QString());
    const QImage image(png);
    EXPECT_EQ(image.size(), QSize(1600, 900));
    // The GIL made the I/O threads wait: its colour is in the picture.
    EXPECT_TRUE(test::has_colour(image, state_color(State::GilWait)));
    QFile svg_file(svg);
    ASSERT_TRUE(svg_file.open(QIODevice::ReadOnly));
    const QByteArray svg_text = svg_file.readAll();
    for (const char* name : { "CPU", "IO-1", "IO-2", "IO-3" })
        EXPECT_TRUE(svg_text.contains(name)) << name;

    QSignalSpy saved(f.files, &FileActions::traceSaved);
    ASSERT_EQ(f.files->saveTrace(json), QString());
    ASSERT_EQ(saved.count(), 1);
    EXPECT_EQ(saved.at(0).at(0).toString(), json);
    Trace before = *f.trace;
    before.live_run = 0; // the run's number in this window, never saved
    ASSERT_EQ(test::open(*f.files, json), QString());
    EXPECT_EQ(*f.trace, before); // redrawn from the file, exactly
}

// What Save, Export and Derive suggest: the workload and model, a script by its own name, and
// never a folder or a character a file name refuses.
TEST(FileActions, SuggestedNamesSayWhatRanAndAreFileNames)
{
    Files f;
    const auto name_for = [&](std::string workload, std::string model, const QString& suffix) {
        auto t = std::make_shared<Trace>();
        t->info.workload = std::move(workload);
        t->info.model = std::move(model);
        f.files->setTrace(t);
        return f.files->suggestedName(suffix);
    };
    EXPECT_EQ(name_for("table-loading", "threads", QStringLiteral(".png")), QStringLiteral("table-loading-threads.png"));
    EXPECT_EQ(name_for("fetch.py", std::string(RunInfo::kScriptModel), QStringLiteral(".png")), QStringLiteral("fetch.png"));
    EXPECT_EQ(name_for("fetch.py", std::string(RunInfo::kScriptModel), QStringLiteral("-derived.json")),
        QStringLiteral("fetch-derived.json"));
    EXPECT_EQ(name_for("io/cpu: mix?", "async", QStringLiteral(".json")), QStringLiteral("io-cpu- mix--async.json"));
    EXPECT_EQ(name_for("", "", QStringLiteral(".svg")), QStringLiteral("trace.svg"));
}

TEST(FileActions, ABadTraceFileGivesAClearErrorAndKeepsTheCurrentView)
{
    Files f;
    QSignalSpy loaded(f.files, &FileActions::traceLoaded);
    QTemporaryDir dir;
    const QString bad = dir.filePath(QStringLiteral("bad.json"));
    test::write_file(bad, "{\"traceEvents\": [");
    const QString error = test::open(*f.files, bad);
    EXPECT_TRUE(error.contains(QStringLiteral("not valid JSON"))) << error.toStdString();
    EXPECT_EQ(f.trace, nullptr);
    EXPECT_TRUE(
        test::open(*f.files, dir.filePath(QStringLiteral("missing.json"))).contains(QStringLiteral("cannot open")));
    EXPECT_TRUE(loaded.isEmpty());
}

TEST(RecentFiles, AnOpenedTraceIsInTheMenuOfTheNextWindowAndOpensFromThere)
{
    QSettings().remove(QStringLiteral("files/recent"));
    const QString path = test::example_trace("table-loading-threads.json");
    {
        Files f;
        ASSERT_EQ(test::open(*f.files, path), QString());
    }
    Files f;
    QAction* first = nullptr;
    for (QAction* a : f.files->recentMenu()->actions()) {
        if (a->data().toString() == QFileInfo(path).absoluteFilePath())
            first = a;
    }
    ASSERT_NE(first, nullptr);
    EXPECT_TRUE(first->text().contains(QStringLiteral("table-loading-threads.json")));
    QSignalSpy opened(f.files, &FileActions::traceOpened);
    first->trigger();
    ASSERT_TRUE(opened.wait(10000));
    EXPECT_EQ(opened.at(0).at(0).toString(), QString());
    EXPECT_EQ(f.trace->info.model, "threads");
    QSettings().remove(QStringLiteral("files/recent"));
}
