// Issue 13, defect 15: "What to use?" showed its table in a box with a scroll bar of its own and
// the 5th row cut off, wrote "us" for µs, had no progress bar or Stop while measuring, and it and
// the compare window opened at 0,0 over the main window.
#include "ui/windows/advice_window.h"
#include "ui/windows/compare_window.h"
#include "ui/windows/main_window.h"
#include "window_helpers.h"

#include <QLabel>
#include <QProgressBar>
#include <QScrollBar>
#include <QTableWidget>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Fixture;

namespace {

AdviseOptions quick()
{
    AdviseOptions o;
    o.async_sizes = { 10, 100 };
    o.thread_sizes = { 10 };
    o.process_sizes = { 2 };
    o.iterations = 10'000'000;
    o.sweep_wait = 50 * kNanosPerMilli;
    return o;
}

} // namespace

TEST(MainWindow, WhatToUseShowsEveryRowWithoutAScrollBarInMicroseconds)
{
    Fixture f;
    f.window.move(100, 80);
    const AdviseOptions o = quick();
    f.window.showAdvice(&o);
    AdviceWindow* advice = f.window.adviceWindow();
    ASSERT_NE(advice, nullptr);
    EXPECT_NE(advice->pos(), QPoint(0, 0));
    EXPECT_GT(advice->x(), f.window.x()) << "cascaded from the main window";
    EXPECT_TRUE(advice->findChild<QProgressBar*>()->isVisible()) << "a busy bar while it measures";
    QSignalSpy done(advice, &AdviceWindow::finished);
    ASSERT_TRUE(done.wait(60000));
    EXPECT_FALSE(advice->findChild<QProgressBar*>()->isVisible());

    QTableWidget* table = advice->table();
    ASSERT_EQ(table->rowCount(), 5);
    test::settle(); // let the rows settle to the columns' width
    EXPECT_FALSE(table->verticalScrollBar()->isVisible());
    const QRect last = table->visualItemRect(table->item(4, 0));
    EXPECT_LE(last.bottom(), table->viewport()->height()) << "the 5th row is cut off";
    QString text;
    for (int r = 0; r < table->rowCount(); ++r)
        text += table->item(r, 2)->text() + QLatin1Char('\n');
    EXPECT_TRUE(text.contains(QStringLiteral(" µs"))) << text.toStdString();
    EXPECT_FALSE(text.contains(QStringLiteral(" us "))) << text.toStdString();
}

TEST(MainWindow, WhatToUseCanBeStoppedWhileItMeasures)
{
    Fixture f;
    AdviseOptions o = quick();
    o.async_sizes = { 10, 100, 1000, 10000 };
    o.thread_sizes = { 10, 100 };
    o.process_sizes = { 2, 8 };
    f.window.showAdvice(&o);
    AdviceWindow* advice = f.window.adviceWindow();
    ASSERT_NE(advice, nullptr);
    ASSERT_TRUE(advice->running());
    auto* stop = advice->findChild<QPushButton*>(QStringLiteral("adviceStop"));
    ASSERT_NE(stop, nullptr);
    ASSERT_TRUE(stop->isEnabled());
    QSignalSpy done(advice, &AdviceWindow::finished);
    QTest::mouseClick(stop, Qt::LeftButton);
    ASSERT_TRUE(done.wait(60000));
    EXPECT_FALSE(advice->running());
    EXPECT_FALSE(stop->isEnabled());
    bool says_stopped = false;
    for (QLabel* label : advice->findChildren<QLabel*>())
        says_stopped |= label->text().startsWith(QStringLiteral("Stopped"));
    EXPECT_TRUE(says_stopped);
}

TEST(CompareWindow, OpensCascadedFromTheMainWindowNotAtTheCorner)
{
    Fixture f;
    f.window.move(100, 80);
    test::choose(f.window.parameters()->workloadBox(), QStringLiteral("async-delay"));
    f.window.parameters()->scaleBox()->setValue(0.02);
    ASSERT_EQ(f.window.startCompare(), QString());
    CompareWindow* compare = f.window.compareWindow();
    ASSERT_NE(compare, nullptr);
    EXPECT_NE(compare->pos(), QPoint(0, 0));
    EXPECT_GT(compare->x(), f.window.x());
    QSignalSpy done(compare, &CompareWindow::allFinished);
    ASSERT_TRUE(done.wait(30000));
}
