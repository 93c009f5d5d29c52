// Issue 13, what users of comparable tools expect: a sortable per-task statistics table with a
// CSV export, and an accessible name on every new control. (Recent files: file_actions_test.cpp;
// traces dropped on the window: drop_workload_test.cpp.)
#include "core/analysis/task_stats.h"
#include "ui/panels/find_bar.h"
#include "ui/panels/range_summary_view.h"
#include "ui/panels/span_details.h"
#include "ui/panels/task_stats_view.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "action_helpers.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace timeslice;
using namespace timeslice::ui;

TEST(TaskStatistics, OneSortableRowPerTaskAndTheCsvWrittenAtomically)
{
    test::Files f;
    ASSERT_EQ(test::open(*f.files, test::example_trace("table-loading-processes.json")), QString());
    const Trace& trace = *f.trace;
    TaskStatsView view;
    TaskStatsView* stats = &view;
    stats->setTrace(&trace);
    QAbstractItemModelTester tester(stats->table()->model(), QAbstractItemModelTester::FailureReportingMode::Warning);
    // Tabulated when seen, not before.
    EXPECT_EQ(stats->table()->model()->rowCount(), 0);
    stats->resize(1000, 400);
    stats->show();
    test::settle();
    QTableView* table = stats->table();
    ASSERT_EQ(table->model()->rowCount(), int(trace.tasks.size()));
    // A trace given while it is on screen is there at once.
    Trace two = trace;
    two.tasks.resize(2);
    stats->setTrace(&two);
    EXPECT_EQ(table->model()->rowCount(), 2);
    stats->setTrace(&trace);
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
    EXPECT_EQ(f.files->exportTaskStats(path), QString());
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    EXPECT_EQ(file.readAll().toStdString(), task_stats_csv(trace));
    // A path that cannot be written: a message, the file beside it untouched, no crash.
    EXPECT_FALSE(f.files->exportTaskStats(dir.filePath(QStringLiteral("no/such/dir/tasks.csv"))).isEmpty());
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
