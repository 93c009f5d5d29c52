// Issue 13, defect 11: the field column jumped sideways and Run moved when the model changed or
// the GIL was toggled; on a large window the rows and the CPU chart did not grow into the space.
#include "ui/tracks/track_view.h"
#include "ui/windows/main_window.h"
#include "ui/panels/parameter_panel.h"
#include "ui/tracks/timeline_painter.h"
#include "ui/tracks/timeline_view.h"
#include "window_helpers.h"

#include <QBuffer>
#include <QCheckBox>
#include <QLabel>
#include <QPainter>
#include <QScrollArea>
#include <QScrollBar>
#include <QSvgGenerator>
#include <QSplitter>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Fixture;

TEST(MainWindow, RunAndTheFieldsStayPutWhenTheModelOrTheGilChanges)
{
    Fixture f;
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&f.window));
    ParameterPanel* panel = f.window.parameters();
    const auto run_at = [&] {
        test::settle(); // the layout settles on a posted event
        return f.window.runs()->runButton()->mapTo(&f.window, QPoint(0, 0));
    };
    const auto field_x = [&] { return panel->modelBox()->mapTo(&f.window, QPoint(0, 0)).x(); };
    // Every row shown once first: a widget's first show polishes it on posted events, which a
    // busy machine may deliver after the first measurement. The check is about what moves when
    // the model changes, once the window has settled.
    for (const char* model : { "processes", "async", "threads" }) {
        test::choose(panel->modelBox(), QString::fromLatin1(model));
        run_at();
    }
    for (const char* workload : { "table-loading", "square-numbers", "mixed" }) {
        test::choose(panel->workloadBox(), QString::fromLatin1(workload));
        test::choose(panel->modelBox(), QStringLiteral("threads"));
        panel->gilBox()->setChecked(true);
        const QPoint run = run_at();
        const int x = field_x();
        for (const char* model : { "processes", "async", "threads" }) {
            test::choose(panel->modelBox(), QString::fromLatin1(model));
            EXPECT_EQ(run_at(), run) << workload << " under " << model;
            EXPECT_EQ(field_x(), x) << workload << " under " << model;
        }
        QTest::mouseClick(panel->gilBox(), Qt::LeftButton);
        ASSERT_FALSE(panel->gilBox()->isChecked());
        EXPECT_EQ(run_at(), run) << workload << " without the GIL";
        EXPECT_EQ(field_x(), x) << workload << " without the GIL";
    }
}

// Issue 13, defect 11 (rest): Run moved when the workload's description grew or shrank (with the
// workload, or with the counts it quotes), and at 900x600 the description was cut off.
TEST(MainWindow, RunStaysPutAndTheDescriptionIsWholeWhateverItSays)
{
    Fixture f;
    f.window.resize(900, 600);
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&f.window));
    ParameterPanel* panel = f.window.parameters();
    const auto run_at = [&] {
        test::settle();
        return f.window.runs()->runButton()->mapTo(&f.window, QPoint(0, 0));
    };
    const auto field_x = [&] { return panel->modelBox()->mapTo(&f.window, QPoint(0, 0)).x(); };
    // All of the description can be read: its area lies inside the window, and the label is as
    // tall as its text at the area's width, with a scroll bar reaching the rest.
    const auto whole = [&](const char* what) {
        auto* area = panel->findChild<QScrollArea*>(QStringLiteral("workloadDescriptionArea"));
        ASSERT_NE(area, nullptr);
        QLabel* label = panel->descriptionLabel();
        const QRect in_window(area->mapTo(&f.window, QPoint(0, 0)), area->size());
        EXPECT_TRUE(f.window.rect().contains(in_window)) << what;
        EXPECT_GE(area->height(), 3 * label->fontMetrics().lineSpacing()) << what;
        const int needed = label->heightForWidth(area->viewport()->width());
        EXPECT_GE(label->height(), needed) << what;
        EXPECT_EQ(area->verticalScrollBar()->maximum(), std::max(0, label->height() - area->viewport()->height())) << what;
    };
    test::choose(panel->modelBox(), QStringLiteral("async"));
    for (const char* workload : { "table-loading", "square-numbers", "async-delay", "mixed" }) {
        test::choose(panel->workloadBox(), QString::fromLatin1(workload));
        run_at(); // every row shown once: first-show polish comes on posted events
    }
    for (const char* workload : { "table-loading", "square-numbers", "async-delay", "mixed" }) {
        test::choose(panel->workloadBox(), QString::fromLatin1(workload));
        const QPoint run = run_at();
        const int x = field_x();
        whole(workload);
        panel->tasksBox()->setFocus();
        panel->tasksBox()->selectAll();
        QTest::keyClicks(panel->tasksBox(), QStringLiteral("1000"));
        EXPECT_EQ(run_at(), run) << workload << " with 1000 tasks";
        EXPECT_EQ(field_x(), x) << workload << " with 1000 tasks";
        whole(workload);
        if (panel->iterationsEdit()->isVisible()) {
            panel->iterationsEdit()->setFocus();
            panel->iterationsEdit()->selectAll();
            QTest::keyClicks(panel->iterationsEdit(), QStringLiteral("12345678901"));
            EXPECT_EQ(run_at(), run) << workload << " with 12,345,678,901 iterations";
            whole(workload);
            panel->iterationsEdit()->selectAll();
            QTest::keyClick(panel->iterationsEdit(), Qt::Key_Delete);
        }
        panel->tasksBox()->selectAll();
        QTest::keyClicks(panel->tasksBox(), QStringLiteral("0"));
        EXPECT_EQ(run_at(), run) << workload << " back to its defaults";
        EXPECT_EQ(field_x(), x) << workload << " back to its defaults";
    }
}

TEST(MainWindow, OnALargeWindowRowsAndTheCpuChartGrowIntoTheSpace)
{
    Fixture f;
    f.window.resize(1400, 1000);
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&f.window));
    ASSERT_EQ(test::open(f.window, test::example_trace("table-loading-threads.json")), QString());
    test::settle();
    TimelineView* timeline = f.window.timeline();
    const double minimum = std::max(22.0, QFontMetricsF(timeline->font()).height() * 1.7);
    EXPECT_GT(timeline->style().row_height, minimum * 2 + 1) << "three rows stay small in a tall window";
    auto* views = qobject_cast<QSplitter*>(f.window.findChild<TrackView*>(QStringLiteral("cpuChart"))->parentWidget()); // the rows and the lanes above it
    ASSERT_NE(views, nullptr);
    EXPECT_GE(f.window.findChild<TrackView*>(QStringLiteral("cpuChart"))->height(), views->height() / 4) << "the CPU chart kept its minimum";

    // Taller rows leave the names whole: the end mark's room stops growing with the row.
    QBuffer svg;
    svg.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&svg);
    generator.setSize(timeline->size());
    QPainter painter(&generator);
    timeline->render(&painter);
    painter.end();
    const QString text = QString::fromUtf8(svg.data());
    for (std::size_t row = 0; row < f.window.trace()->tasks.size(); ++row)
        EXPECT_TRUE(text.contains(task_label(*f.window.trace(), row).toHtmlEscaped())) << f.window.trace()->tasks[row].name;
}
