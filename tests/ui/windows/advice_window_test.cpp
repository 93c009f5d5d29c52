// Issue 13, defect 15: "What to use?" showed its table in a box with a scroll bar of its own and
// the 5th row cut off, wrote "us" for µs, had no progress bar or Stop while measuring, and it and
// the compare window opened at 0,0 over the main window.
#include "ui/windows/advice_window.h"
#include "ui/windows/compare_window.h"
#include "action_helpers.h"

#include <QLabel>
#include <QProgressBar>
#include <QScrollBar>
#include <QSet>
#include <QTableWidget>
#include <QThread>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Runs;

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

TEST(RunActions, WhatToUseShowsTheMeasuredTableAndTheDecision)
{
    Runs f;
    const AdviseOptions o = quick();
    f.runs->showAdvice(&o);
    AdviceWindow* advice = f.runs->adviceWindow();
    ASSERT_NE(advice, nullptr);
    // Measured off the GUI thread: the window is back before the measuring is over, and its
    // event loop keeps running and shows each step.
    EXPECT_TRUE(advice->running());
    // Every step reaches the window's own thread while the measuring is still going on, in the
    // order measured: counted from the window's signal, not sampled by a timer that load can starve.
    QSet<QString> steps_seen;
    bool shown_while_running = true;
    bool shown_on_gui_thread = true;
    QObject::connect(advice, &AdviceWindow::stepShown, [&](const QString& text) {
        steps_seen.insert(text);
        shown_while_running = shown_while_running && advice->running();
        shown_on_gui_thread = shown_on_gui_thread && QThread::currentThread() == advice->thread();
        EXPECT_TRUE(text.startsWith(QStringLiteral("Measuring "))) << text.toStdString();
    });
    QSignalSpy done(advice, &AdviceWindow::finished);
    ASSERT_TRUE(done.wait(60000));
    EXPECT_GE(steps_seen.size(), 3) << "the window did not show the measurement's steps as they went";
    EXPECT_TRUE(shown_while_running);
    EXPECT_TRUE(shown_on_gui_thread);
    EXPECT_EQ(advice->table()->rowCount(), 5);
    EXPECT_TRUE(advice->table()->item(0, 0)->text().contains(QStringLiteral("article: Yes (preemptive)")));
    EXPECT_TRUE(advice->decisionText().contains(QStringLiteral("the article's rule says")));
}

TEST(RunActions, WhatToUseShowsEveryRowWithoutAScrollBarInMicroseconds)
{
    Runs f;
    f.window.move(100, 80);
    const AdviseOptions o = quick();
    f.runs->showAdvice(&o);
    AdviceWindow* advice = f.runs->adviceWindow();
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

TEST(RunActions, WhatToUseCanBeStoppedWhileItMeasures)
{
    Runs f;
    AdviseOptions o = quick();
    o.async_sizes = { 10, 100, 1000, 10000 };
    o.thread_sizes = { 10, 100 };
    o.process_sizes = { 2, 8 };
    f.runs->showAdvice(&o);
    AdviceWindow* advice = f.runs->adviceWindow();
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
    Runs f;
    f.window.move(100, 80);
    test::choose(f.parameters->workloadBox(), QStringLiteral("async-delay"));
    f.parameters->scaleBox()->setValue(0.02);
    ASSERT_EQ(f.runs->startCompare(), QString());
    CompareWindow* compare = f.runs->compareWindow();
    ASSERT_NE(compare, nullptr);
    EXPECT_NE(compare->pos(), QPoint(0, 0));
    EXPECT_GT(compare->x(), f.window.x());
    // And it fits the screen: its right and bottom edges (the buttons) are on it.
    const QRect room = f.window.screen()->availableGeometry();
    EXPECT_LE(compare->geometry().right(), room.right());
    EXPECT_LE(compare->geometry().bottom(), room.bottom());
    QSignalSpy done(compare, &CompareWindow::allFinished);
    ASSERT_TRUE(done.wait(30000));
}
