// Issue 13, what users of comparable tools expect: a sortable per-task statistics table with a
// CSV export, recent files, traces dropped on the window, and an accessible name on every new
// control. (The window's run buttons and docks: main_window_test.cpp.)
#include "core/analysis/task_stats.h"
#include "ui/panels/find_bar.h"
#include "ui/panels/range_summary_view.h"
#include "ui/panels/span_details.h"
#include "ui/panels/task_stats_view.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "window_helpers.h"

#include <QAbstractItemModelTester>
#include <QDockWidget>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QUrl>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Fixture;

TEST(TaskStatistics, OneSortableRowPerTaskAndTheCsvWrittenAtomically)
{
    Fixture f;
    ASSERT_EQ(test::open(f.window, test::example_trace("table-loading-processes.json")), QString());
    test::settle();
    const Trace& trace = *f.window.trace();
    TaskStatsView* stats = f.window.taskStats();
    QAbstractItemModelTester tester(stats->table()->model(), QAbstractItemModelTester::FailureReportingMode::Warning);
    f.window.taskStatsDock()->show();
    test::settle();
    QTableView* table = stats->table();
    ASSERT_EQ(table->model()->rowCount(), int(trace.tasks.size()));
    const int running = TaskStatsModel::FirstState + int(State::Waiting);
    EXPECT_EQ(table->model()->headerData(running, Qt::Horizontal).toString(), QStringLiteral("waiting"));

    // A click on a header sorts by that column's numbers; a second click reverses.
    const int x = table->horizontalHeader()->sectionViewportPosition(running) + 5;
    QTest::mouseClick(table->horizontalHeader()->viewport(), Qt::LeftButton, Qt::NoModifier, QPoint(x, 5));
    std::vector<qlonglong> column;
    for (int r = 0; r < table->model()->rowCount(); ++r)
        column.push_back(table->model()->index(r, running).data(Qt::UserRole).toLongLong());
    EXPECT_TRUE(std::is_sorted(column.begin(), column.end()));
    QTest::mouseClick(table->horizontalHeader()->viewport(), Qt::LeftButton, Qt::NoModifier, QPoint(x, 5));
    column.clear();
    for (int r = 0; r < table->model()->rowCount(); ++r)
        column.push_back(table->model()->index(r, running).data(Qt::UserRole).toLongLong());
    EXPECT_TRUE(std::is_sorted(column.rbegin(), column.rend()));
    EXPECT_GT(column.front(), column.back());

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tasks.csv"));
    EXPECT_EQ(f.window.exportTaskStats(path), QString());
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    EXPECT_EQ(file.readAll().toStdString(), task_stats_csv(trace));
    // A path that cannot be written: a message, the file beside it untouched, no crash.
    EXPECT_FALSE(f.window.exportTaskStats(dir.filePath(QStringLiteral("no/such/dir/tasks.csv"))).isEmpty());
}

TEST(RecentFiles, AnOpenedTraceIsInTheMenuOfTheNextWindowAndOpensFromThere)
{
    QSettings().remove(QStringLiteral("files/recent"));
    const QString path = test::example_trace("table-loading-threads.json");
    {
        Fixture f;
        ASSERT_EQ(test::open(f.window, path), QString());
    }
    Fixture f;
    QAction* first = nullptr;
    for (QAction* a : f.window.recentMenu()->actions()) {
        if (a->data().toString() == QFileInfo(path).absoluteFilePath())
            first = a;
    }
    ASSERT_NE(first, nullptr);
    EXPECT_TRUE(first->text().contains(QStringLiteral("table-loading-threads.json")));
    QSignalSpy opened(&f.window, &MainWindow::traceOpened);
    first->trigger();
    ASSERT_TRUE(opened.wait(10000));
    EXPECT_EQ(opened.at(0).at(0).toString(), QString());
    EXPECT_EQ(f.window.trace()->info.model, "threads");
    QSettings().remove(QStringLiteral("files/recent"));
}

TEST(DragAndDrop, ATraceDroppedOnTheWindowOpensAndOtherFilesAreRefused)
{
    Fixture f;
    const QString path = test::example_trace("mixed-async.json");
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(path) });
    QDragEnterEvent enter(QPoint(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    enter.setAccepted(false);
    QCoreApplication::sendEvent(&f.window, &enter);
    EXPECT_TRUE(enter.isAccepted());
    QSignalSpy opened(&f.window, &MainWindow::traceOpened);
    QDropEvent drop(QPointF(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    drop.setAccepted(false);
    QCoreApplication::sendEvent(&f.window, &drop);
    EXPECT_TRUE(drop.isAccepted());
    ASSERT_TRUE(!opened.isEmpty() || opened.wait(10000));
    EXPECT_EQ(opened.at(0).at(0).toString(), QString());
    EXPECT_EQ(f.window.trace()->info.model, "async");

    QMimeData other;
    other.setUrls({ QUrl::fromLocalFile(QStringLiteral("/etc/hostname")) });
    QDragEnterEvent refused(QPoint(100, 100), Qt::CopyAction, &other, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QCoreApplication::sendEvent(&f.window, &refused);
    EXPECT_FALSE(refused.isAccepted());
    // A .json that is no trace: the window says so and keeps what it showed.
    QTemporaryDir dir;
    const QString junk = dir.filePath(QStringLiteral("junk.json"));
    QFile file(junk);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("{\"not\": \"a trace\"");
    file.close();
    QMimeData bad;
    bad.setUrls({ QUrl::fromLocalFile(junk) });
    opened.clear();
    QDragEnterEvent enter_bad(QPoint(100, 100), Qt::CopyAction, &bad, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&f.window, &enter_bad);
    QDropEvent drop_bad(QPointF(100, 100), Qt::CopyAction, &bad, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&f.window, &drop_bad);
    ASSERT_TRUE(!opened.isEmpty() || opened.wait(10000));
    EXPECT_FALSE(opened.at(0).at(0).toString().isEmpty());
    EXPECT_EQ(f.window.trace()->info.model, "async");
}

TEST(Accessibility, EveryNewControlHasAnAccessibleName)
{
    ZoomState zoom;
    TimelineView timeline(&zoom);
    FindBar find(&timeline);
    SpanDetails details;
    RangeSummaryView range;
    TaskStatsView stats;
    std::vector<QWidget*> controls { find.findField(), find.rowHeightBox(), details.previousButton(), details.nextButton(),
        range.table(), range.zoomButton(), range.headline(), stats.table(), stats.exportButton() };
    for (const char* field : { "task", "state", "start", "end", "duration", "worker", "core", "reason" })
        controls.push_back(details.field(field));
    for (QWidget* w : controls) {
        ASSERT_NE(w, nullptr);
        EXPECT_FALSE(w->accessibleName().isEmpty()) << w->objectName().toStdString();
    }
    // The window's run buttons and docks: main_window_test.cpp.
}
