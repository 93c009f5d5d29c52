// The compare window as a person uses it: zoom, export, close.
#include "core/run/compare.h"
#include "core/formats/trace_json.h"
#include "ui/windows/compare_window.h"
#include "ui/windows/save_path.h"
#include "ui/tracks/track_view.h"
#include "ui/export/image_export.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "action_helpers.h"

#include <QDir>
#include <QFileDialog>
#include <QImage>
#include <QLineEdit>
#include <QTimer>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QWheelEvent>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Files;

namespace {

// Runs async-delay under every model as Run > Compare all models does and waits for the four to end.
CompareWindow* compare_async_delay(Files& f)
{
    test::choose(f.parameters->workloadBox(), QStringLiteral("async-delay"));
    f.parameters->scaleBox()->setValue(0.02);
    if (!f.runs->startCompare().isEmpty())
        return nullptr;
    CompareWindow* compare = f.runs->compareWindow();
    QSignalSpy done(compare, &CompareWindow::allFinished);
    return compare && done.wait(30000) ? compare : nullptr;
}

void wheel(QWidget* widget, QPointF at, int notches)
{
    QWheelEvent event(at, widget->mapToGlobal(at), QPoint(), QPoint(0, 120 * notches), Qt::NoButton, Qt::NoModifier,
        Qt::NoScrollPhase, false);
    QApplication::sendEvent(widget, &event);
}

QImage paint(const std::vector<LabelledTrace>& runs, TimeRange range)
{
    QImage image(1200, 1000, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    paint_compare_report(p, QSizeF(image.size()), runs, range);
    return image;
}

} // namespace

// Issue 13, defect 7: the export dialog says "the visible time range", but the picture showed
// the whole run whatever the zoom.
TEST(CompareWindow, ExportShowsTheZoomedRange)
{
    Files f;
    CompareWindow* compare = compare_async_delay(f);
    ASSERT_NE(compare, nullptr);
    TimelineView* first = compare->findChildren<TimelineView*>().front();
    wheel(first, QPointF(first->plotLeft() + first->plotWidth() / 2, first->height() / 2.0), 4);
    const TimeRange zoomed = compare->zoom()->range();
    ASSERT_NE(zoomed, compare->zoom()->bounds());

    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("compare.png"));
    ASSERT_EQ(compare->exportImage(png, QSize(1200, 1000)), QString());
    const QImage exported(png);

    std::vector<LabelledTrace> runs;
    std::string note;
    const auto entries = compare_entries(*f.parameters->config(), note);
    const auto traces = compare->traces();
    for (std::size_t i = 0; i < traces.size(); ++i)
        runs.push_back(LabelledTrace { QString::fromStdString(entries[i].label), traces[i].get() });
    EXPECT_EQ(exported.convertToFormat(QImage::Format_RGB32), paint(runs, zoomed));
    EXPECT_NE(exported.convertToFormat(QImage::Format_RGB32), paint(runs, full_range(runs)));
}

// Issue 13, defect 16: the wheel did nothing over the compare window's CPU charts, and neither
// Ctrl+W nor Esc closed the window.
TEST(CompareWindow, WheelOverACpuChartZoomsAndCtrlWOrEscCloses)
{
    Files f;
    QPointer<CompareWindow> compare = compare_async_delay(f);
    ASSERT_NE(compare, nullptr);
    const auto charts = compare->findChildren<TrackView*>(QStringLiteral("cpuChart"));
    ASSERT_EQ(charts.size(), 4);
    TrackView* chart = charts[2];
    const TimeRange before = compare->zoom()->range();
    const TimelineView* timeline = compare->findChildren<TimelineView*>()[2];
    const QPointF at(timeline->plotLeft() + timeline->plotWidth() * 0.3, chart->height() / 2.0);
    const Nanos anchor = timeline->timeAt(at.x());
    wheel(chart, at, 3);
    const TimeRange after = compare->zoom()->range();
    EXPECT_LT(after.end - after.start, (before.end - before.start) / 1.9);
    EXPECT_NEAR(double(timeline->timeAt(at.x())), double(anchor), double(after.end - after.start) / 200);

    compare->activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(compare));
    QTest::keyClick(compare, Qt::Key_Escape);
    EXPECT_FALSE(compare && compare->isVisible()) << "Esc";
    QTest::qWait(10); // closed windows are deleted on the next turn of the event loop

    compare = compare_async_delay(f);
    ASSERT_NE(compare, nullptr);
    compare->activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(compare));
    QTest::keyClick(compare, Qt::Key_W, Qt::ControlModifier);
    EXPECT_FALSE(compare && compare->isVisible()) << "Ctrl+W";
}

// Issue 13, defect 16: a comparison's runs were lost when its window closed. Saved, they reopen
// as the same set (File > Open comparison..., or the manifest opened like a trace).
TEST(CompareWindow, ASavedComparisonReopensAsTheSameSetAfterTheWindowCloses)
{
    Files f;
    QPointer<CompareWindow> compare = compare_async_delay(f);
    ASSERT_NE(compare, nullptr);
    QPushButton* save = compare->findChild<QPushButton*>(QStringLiteral("saveComparisonButton"));
    ASSERT_NE(save, nullptr);
    EXPECT_TRUE(save->isEnabled());
    const QStringList labels = compare->labels();
    std::vector<std::string> saved;
    for (const auto& t : compare->traces())
        saved.push_back(trace_to_json(*t, scorecard_if_any(*t)));
    ASSERT_EQ(saved.size(), 4u);

    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("every-model"));
    ASSERT_EQ(compare->saveSet(folder), QString());
    compare->close();
    QTest::qWait(10); // closed windows are deleted on the next turn of the event loop
    ASSERT_TRUE(compare.isNull());

    // Opened the way File > Open trace..., a dropped file and the recent files open a path.
    QSignalSpy opened(f.files, &FileActions::traceOpened);
    f.files->openTrace(folder + QStringLiteral("/comparison.json"));
    ASSERT_EQ(opened.size(), 1);
    EXPECT_EQ(opened.front().front().toString(), QString());
    compare = f.runs->compareWindow();
    ASSERT_NE(compare, nullptr);
    EXPECT_EQ(compare->labels(), labels);
    const auto traces = compare->traces();
    ASSERT_EQ(traces.size(), 4u);
    for (std::size_t i = 0; i < traces.size(); ++i) {
        ASSERT_TRUE(traces[i]);
        EXPECT_EQ(trace_to_json(*traces[i], scorecard_if_any(*traces[i])), saved[i]) << i;
    }
    EXPECT_TRUE(compare->windowTitle().contains(QStringLiteral("every-model")));
    EXPECT_EQ(f.trace, nullptr) << "the main window's own run is untouched";

    // A folder without a comparison says so, and the set on screen stays.
    EXPECT_NE(f.files->openComparison(dir.filePath(QStringLiteral("nothing-here"))), QString());
    EXPECT_EQ(compare->traces().size(), 4u);
}

// The compare window's export carries the arrows when its timelines show them.
TEST(CompareWindow, ItsExportCarriesTheHandOverArrowsItShows)
{
    Files f;
    ComparisonSet set;
    set.title = "two GIL runs";
    for (const char* name : { "square-numbers-threads-gil.json", "mixed-threads-gil.json" }) {
        auto trace = std::make_shared<Trace>();
        std::string error;
        ASSERT_TRUE(load_trace(test::example_trace(name).toStdString(), *trace, error)) << error;
        set.labels.push_back(name);
        set.files.push_back(name);
        set.traces.push_back(trace);
    }
    QTemporaryDir dir;
    ASSERT_EQ(save_comparison(set, dir.path().toStdString()), "");
    ASSERT_EQ(f.files->openComparison(dir.path()), QString());
    CompareWindow* compare = f.runs->compareWindow();
    ASSERT_NE(compare, nullptr);
    f.runs->setHandOversVisible(false);
    const QString plain = dir.filePath(QStringLiteral("plain.png")), with = dir.filePath(QStringLiteral("with.png"));
    ASSERT_EQ(compare->exportImage(plain, QSize(1200, 1000)), QString());
    f.runs->setHandOversVisible(true);
    ASSERT_EQ(compare->exportImage(with, QSize(1200, 1000)), QString());
    const QImage a(plain), b(with);
    ASSERT_FALSE(a.isNull());
    ASSERT_EQ(a.size(), b.size());
    EXPECT_NE(a, b);
}

// Issue 23: a long status line (an exported file's path) never widens the window past the size
// it was given: the buttons stay inside it.
TEST(CompareWindow, ALongStatusNeverWidensTheWindowPastItsButtons)
{
    CompareWindow window;
    window.resize(1024, 700);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    auto* status = window.findChild<QLabel*>(QStringLiteral("compareStatus"));
    ASSERT_NE(status, nullptr);
    status->setText(QStringLiteral("Exported /") + QString(400, QLatin1Char('x')) + QStringLiteral(".png"));
    QCoreApplication::processEvents();
    EXPECT_LE(window.width(), 1024);
    EXPECT_LE(window.minimumSizeHint().width(), 1024);
    for (QPushButton* button : window.findChildren<QPushButton*>()) {
        if (button->isVisible()) {
            EXPECT_LE(button->mapTo(&window, QPoint(button->width(), 0)).x(), window.width()) << button->text().toStdString();
        }
    }
}

// Issue 23, defect 10: Save comparison's folder picker started in the home folder and refused a
// new folder name. It starts in the folder last used, suggests a name, and takes a new one.
TEST(CompareWindow, SaveComparisonStartsInTheLastFolderAndTakesANewFolderName)
{
    Files f;
    QPointer<CompareWindow> compare = compare_async_delay(f);
    ASSERT_NE(compare, nullptr);
    QTemporaryDir dir;
    remember_folder(dir.path());
    QString shown_folder, suggested;
    QTimer::singleShot(0, [&] {
        // The dialog is up, modal: look, then type a folder that does not exist yet and accept.
        auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        shown_folder = dialog->directory().absolutePath();
        if (auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit")))
            suggested = name->text();
        dialog->selectFile(QDir(dir.path()).filePath(QStringLiteral("my new comparison")));
        QMetaObject::invokeMethod(dialog, "accept"); // as the Save button does
    });
    compare->findChild<QPushButton*>(QStringLiteral("saveComparisonButton"))->click();
    EXPECT_EQ(shown_folder, QDir(dir.path()).absolutePath());
    EXPECT_EQ(suggested, QStringLiteral("async-delay-every-model"));
    const QDir saved(QDir(dir.path()).filePath(QStringLiteral("my new comparison")));
    EXPECT_TRUE(QFileInfo::exists(saved.filePath(QStringLiteral("comparison.json"))));
    EXPECT_EQ(saved.entryList({ QStringLiteral("*.json") }, QDir::Files).size(), 5) << "the four traces and the set";
}
