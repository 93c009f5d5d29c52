// Issue 13, defect 17: the help had no swatches and called pink "purple"; the CPU chart had no
// tooltip; Alt+I was taken twice; Ctrl+= did not zoom; the timeline showed no focus ring.
#include "ui/tracks/cpu_chart_view.h"
#include "ui/windows/main_window.h"
#include "ui/style/palette.h"
#include "ui/panels/timeline_help.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "window_helpers.h"

#include <QFormLayout>
#include <QLabel>
#include <QMenuBar>
#include <QToolTip>

#include <map>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Fixture;

TEST(MainWindow, HelpShowsEachStateInItsOwnColourAndExplainsOutlinesHatchingAndMarks)
{
    const QString html = timeline_help_html();
    for (const State s : { State::Queued, State::Starting, State::Running, State::Waiting, State::GilWait, State::Ready }) {
        EXPECT_TRUE(html.contains(QStringLiteral("color:%1").arg(state_color(s).name()))) << state_name(s);
        EXPECT_TRUE(html.contains(state_label(s))) << state_name(s);
    }
    EXPECT_TRUE(html.contains(QStringLiteral("pink")));
    EXPECT_FALSE(html.contains(QStringLiteral("purple")));
    for (const char* word : { "predicted", "Hatched", "stacked by share of time", "✓", "✗", "■", "stopped" })
        EXPECT_TRUE(html.contains(QString::fromUtf8(word))) << word;
}

TEST(MainWindow, EveryAltKeyOfTheWindowIsTakenOnce)
{
    Fixture f;
    std::map<QChar, QStringList> owners;
    const auto note = [&owners](const QString& text) {
        const qsizetype at = text.indexOf(QLatin1Char('&'));
        if (at >= 0 && at + 1 < text.size() && text[at + 1] != QLatin1Char('&'))
            owners[text[at + 1].toLower()] << text;
    };
    for (QAction* menu : f.window.menuBar()->actions())
        note(menu->text());
    for (QLabel* label : f.window.findChildren<QLabel*>()) {
        if (label->buddy())
            note(label->text());
    }
    for (QAbstractButton* button : f.window.findChildren<QAbstractButton*>())
        note(button->text());
    for (const auto& [key, texts] : owners)
        EXPECT_EQ(texts.size(), 1) << "Alt+" << QString(key).toStdString() << ": " << texts.join(QStringLiteral(", ")).toStdString();
}

TEST(MainWindow, CtrlEqualsZoomsTheTimelineWhichShowsItHasTheKeyboard)
{
    Fixture f;
    ASSERT_EQ(test::open(f.window, test::example_trace("mixed-async.json")), QString());
    f.window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&f.window));
    TimelineView* view = f.window.timeline();
    view->setFocus();
    const TimeRange before = f.window.zoom()->range();
    QTest::keyClick(view, Qt::Key_Equal, Qt::ControlModifier);
    const TimeRange after = f.window.zoom()->range();
    EXPECT_LT(after.end - after.start, before.end - before.start);

    // The focus ring: the highlight colour along the edge while the timeline has the keyboard.
    const QColor highlight = view->palette().color(QPalette::Highlight);
    EXPECT_EQ(view->grab().toImage().pixelColor(1, view->height() / 2), highlight);
    f.window.runs()->runButton()->setFocus();
    EXPECT_NE(view->grab().toImage().pixelColor(1, view->height() / 2), highlight);
}

TEST(CpuChart, HoverGivesTheMomentAndEachCoresUse)
{
    Fixture f;
    ASSERT_EQ(test::open(f.window, test::example_trace("table-loading-threads.json")), QString());
    CpuChartView* chart = f.window.cpuChart();
    const auto trace = f.window.trace();
    ASSERT_FALSE(trace->cpu.empty());
    // Over the plot, at the time of the first sample.
    const TimeRange range = f.window.zoom()->range();
    const TimeMap map { range.start, range.end, f.window.timeline()->plotLeft(), f.window.timeline()->plotWidth() };
    const QString tip = chart->tooltipAt(QPointF(map.to_x(trace->cpu.front().t) - 1, chart->height() / 2.0));
    EXPECT_TRUE(tip.contains(QStringLiteral("total %1 %").arg(double(trace->cpu.front().total), 0, 'f', 0))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("cpu1"))) << tip.toStdString();
    EXPECT_EQ(chart->tooltipAt(QPointF(2, chart->height() / 2.0)), QString()) << "left of the plot";
}

// Issue 13, defect 17: hovering the CPU chart showed nothing until Qt's tooltip delay, and no line
// said which moment the numbers were for. The pointer now carries a vertical line over the plot
// and the values at once.
TEST(CpuChart, HoverDrawsACrosshairAndShowsTheValuesAtOnce)
{
    Fixture f;
    ASSERT_EQ(test::open(f.window, test::example_trace("table-loading-threads.json")), QString());
    CpuChartView* chart = f.window.cpuChart();
    test::settle();
    const auto trace = f.window.trace();
    ASSERT_GT(trace->cpu.size(), 2u);
    const TimeRange range = f.window.zoom()->range();
    const TimeMap map { range.start, range.end, f.window.timeline()->plotLeft(), f.window.timeline()->plotWidth() };
    const int x = int(map.to_x(trace->cpu[trace->cpu.size() / 2].t)) - 1;
    const int y = chart->height() / 2;
    const auto crosshair_pixels = [&] {
        const QImage image = chart->grab().toImage();
        int n = 0;
        for (int row = 0; row < image.height(); ++row)
            n += image.pixelColor(x, row) == CpuChartView::crosshairColor();
        return n;
    };
    const int before = crosshair_pixels();
    EXPECT_LT(chart->crosshairX(), 0);

    QTest::mouseMove(chart->viewport(), QPoint(x, y));
    test::settle();
    EXPECT_EQ(chart->crosshairX(), double(x));
    EXPECT_GT(crosshair_pixels(), before + chart->height() / 3) << "a line down the plot at the pointer";
    EXPECT_TRUE(QToolTip::isVisible());
    EXPECT_TRUE(QToolTip::text().contains(QStringLiteral("total"))) << QToolTip::text().toStdString();
    EXPECT_TRUE(QToolTip::text().contains(QStringLiteral("cpu0"))) << QToolTip::text().toStdString();

    QTest::mouseMove(chart->viewport(), QPoint(2, y)); // over the legend, left of the plot
    test::settle();
    EXPECT_LT(chart->crosshairX(), 0);
    EXPECT_LE(crosshair_pixels(), before);
}
