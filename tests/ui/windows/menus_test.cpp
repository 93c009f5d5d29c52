// The window's menus, wired: each action is where a person looks for it, its key reaches it, and
// a View choice reaches every part that draws.
#include "ui/panels/parameter_panel.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "ui/windows/compare_window.h"
#include "ui/windows/main_window.h"
#include "window_helpers.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QTimer>

#include <map>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Fixture;

namespace {

QMenu* menu(MainWindow& window, const QString& title)
{
    for (QAction* top : window.menuBar()->actions()) {
        if (top->text() == title)
            return top->menu();
    }
    return nullptr;
}

// Lets a comparison the test started end before the window goes.
void finish(CompareWindow* compare)
{
    if (!compare || !compare->running())
        return;
    QSignalSpy done(compare, &CompareWindow::allFinished);
    compare->stop();
    EXPECT_TRUE(done.wait(30000));
}

} // namespace

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
        EXPECT_EQ(texts.size(), 1) << "Alt+" << QString(key).toStdString() << ": "
                                   << texts.join(QStringLiteral(", ")).toStdString();
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

TEST(FindTask, CtrlFFromTheTimelinePutsTheKeyboardInTheFindField)
{
    Fixture f;
    ASSERT_EQ(test::open(f.window, test::example_trace("mixed-async.json")), QString());
    test::settle();
    TimelineView* view = f.window.timeline();
    f.window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&f.window));
    view->setFocus();
    QTest::keyClick(view, Qt::Key_F, Qt::ControlModifier);
    ASSERT_EQ(QApplication::focusWidget(), f.window.findChild<QLineEdit*>(QStringLiteral("findTask")));
}

TEST(MainWindow, TheActionsAreInTheirMenus)
{
    Fixture f;
    QMenu* file = menu(f.window, QStringLiteral("&File"));
    ASSERT_NE(file, nullptr);
    QStringList texts;
    for (QAction* a : file->actions())
        texts << a->text();
    EXPECT_TRUE(texts.contains(QStringLiteral("&Export image…"))) << texts.join(QStringLiteral(", ")).toStdString();
    QMenu* examples = menu(f.window, QStringLiteral("&Examples"));
    ASSERT_NE(examples, nullptr);
    bool example = false;
    for (QAction* a : examples->actions())
        example = example || a->objectName() == QStringLiteral("exampleMoreTasksThanCores");
    EXPECT_TRUE(example);
}

TEST(HandOverArrows, TheViewMenuTogglesThemAndTheChoiceIsKept)
{
    QSettings().remove(QStringLiteral("view/handOverArrows"));
    {
        MainWindow window;
        window.setInteractive(false);
        auto* action = window.findChild<QAction*>(QStringLiteral("handOverArrows"));
        ASSERT_NE(action, nullptr);
        QMenu* view_menu = menu(window, QStringLiteral("&View"));
        ASSERT_NE(view_menu, nullptr);
        EXPECT_TRUE(view_menu->actions().contains(action)) << "in the View menu";
        EXPECT_EQ(action->text(), QStringLiteral("Hand-over &arrows"));
        EXPECT_TRUE(action->isCheckable());
        EXPECT_FALSE(action->isChecked()) << "off by default";
        EXPECT_FALSE(window.timeline()->handOversVisible());
        action->trigger();
        EXPECT_TRUE(window.timeline()->handOversVisible());
        EXPECT_TRUE(QSettings().value(QStringLiteral("view/handOverArrows")).toBool());
    }
    {
        MainWindow window;
        window.setInteractive(false);
        auto* action = window.findChild<QAction*>(QStringLiteral("handOverArrows"));
        ASSERT_NE(action, nullptr);
        EXPECT_TRUE(action->isChecked()) << "remembered";
        EXPECT_TRUE(window.timeline()->handOversVisible());
        action->trigger();
        EXPECT_FALSE(window.timeline()->handOversVisible());
        EXPECT_FALSE(QSettings().value(QStringLiteral("view/handOverArrows")).toBool());
    }
    QSettings().remove(QStringLiteral("view/handOverArrows"));
}

// View > Hand-over arrows reaches the compare window's timelines too, when it opens and when
// the choice changes.
TEST(CompareWindow, HandOverArrowsFollowTheViewMenu)
{
    Fixture f;
    QAction* arrows = f.window.findChild<QAction*>(QStringLiteral("handOverArrows"));
    ASSERT_NE(arrows, nullptr);
    arrows->setChecked(true);
    test::choose(f.window.parameters()->workloadBox(), QStringLiteral("async-delay"));
    f.window.parameters()->scaleBox()->setValue(0.02);
    ASSERT_EQ(f.window.runs()->startCompare(), QString());
    CompareWindow* compare = f.window.runs()->compareWindow();
    ASSERT_NE(compare, nullptr);
    QSignalSpy done(compare, &CompareWindow::allFinished);
    ASSERT_TRUE(done.wait(30000));
    const auto timelines = compare->findChildren<TimelineView*>();
    ASSERT_EQ(timelines.size(), 4);
    for (const TimelineView* t : timelines)
        EXPECT_TRUE(t->handOversVisible());
    arrows->setChecked(false);
    for (const TimelineView* t : compare->findChildren<TimelineView*>())
        EXPECT_FALSE(t->handOversVisible());
    QSettings().remove(QStringLiteral("view/handOverArrows"));
}

TEST(MainWindow, CtrlShiftEOpensTheComparisonOfBothEngines)
{
    Fixture f;
    test::choose(f.window.parameters()->workloadBox(), QStringLiteral("async-delay"));
    test::choose(f.window.parameters()->modelBox(), QStringLiteral("async"));
    f.window.parameters()->scaleBox()->setValue(0.02);
    f.window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&f.window));
    QTest::keyClick(&f.window, Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier);
    CompareWindow* compare = f.window.runs()->compareWindow();
    ASSERT_NE(compare, nullptr) << "Ctrl+Shift+E opens the comparison";
    finish(compare);
}

// Issue 23, defect 10: Tab jumped from Kernel data back up to Engine, and Engine had no Alt key.
TEST(MainWindow, TabVisitsThePanelsFieldsTopToBottom)
{
    Fixture f;
    ParameterPanel* panel = f.window.parameters();
    test::choose(panel->engineBox(), QStringLiteral("native"));
    test::choose(panel->workloadBox(), QStringLiteral("table-loading"));
    test::choose(panel->modelBox(), QStringLiteral("threads"));
    test::settle();
    // Each visible field's place on screen, in the order Tab reaches them from Workload.
    std::vector<int> ys;
    QWidget* w = panel->workloadBox();
    for (int i = 0; i < 12 && w; ++i) {
        if (w->isVisibleTo(panel) && panel->isAncestorOf(w))
            ys.push_back(w->mapTo(panel, QPoint(0, 0)).y());
        w = w->nextInFocusChain();
        while (w && !(w->focusPolicy() & Qt::TabFocus))
            w = w->nextInFocusChain();
    }
    ASSERT_GE(ys.size(), 6u);
    EXPECT_TRUE(std::is_sorted(ys.begin(), ys.end())) << "Tab goes back up the panel";
}

// Seen under Xvfb: Ctrl+E in the Scale or Iterations field moved the field's cursor to the end of
// its line (a Linux editing key) and File > Export image never opened. The window's own Ctrl
// shortcuts now win over a field's editing keys; plain keys and the editing keys the window does
// not use still go to the field.
TEST(Menus, AWindowShortcutWorksFromATextFieldAndTypingStillTypes)
{
    Fixture f;
    ASSERT_EQ(test::open(f.window, test::example_trace("table-loading-threads.json")), QString());
    QLineEdit* field = f.window.parameters()->iterationsEdit();
    f.window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&f.window));
    field->setText(QStringLiteral("12345"));
    field->setFocus();
    field->setCursorPosition(0);
    bool asked = false;
    QTimer::singleShot(0, [&] {
        if (QWidget* dialog = QApplication::activeModalWidget()) {
            asked = true;
            dialog->close();
        }
    });
    QTest::keyClick(field, Qt::Key_E, Qt::ControlModifier);
    EXPECT_TRUE(asked) << "Ctrl+E opened File > Export image";
    EXPECT_EQ(field->cursorPosition(), 0) << "the field did not take it";
    // The test's platform may not give Ctrl+E to fields (offscreen: Windows' keys). Every platform
    // gives them Ctrl+Z (undo): made a window shortcut here, it runs the action, not the undo.
    auto* command = new QAction(&f.window);
    command->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Z));
    f.window.addAction(command);
    QSignalSpy ran(command, &QAction::triggered);
    f.window.activateWindow(); // shortcuts reach the active window only
    ASSERT_TRUE(QTest::qWaitForWindowActive(&f.window));
    field->setFocus();
    field->clear();
    QTest::keyClicks(field, QStringLiteral("12345"));
    QTest::keyClick(field, Qt::Key_Z, Qt::ControlModifier);
    EXPECT_EQ(ran.count(), 1) << "the window's Ctrl+Z ran";
    EXPECT_EQ(field->text(), QStringLiteral("12345")) << "and the field did not undo";
    delete command;
    // A key the window does not use stays the field's: Ctrl+A selects its text.
    QTest::keyClick(field, Qt::Key_A, Qt::ControlModifier);
    EXPECT_EQ(field->selectedText(), QStringLiteral("12345"));
    // A plain key that is a window shortcut elsewhere (P: play) types.
    field->setCursorPosition(5);
    QTest::keyClick(field, Qt::Key_P);
    EXPECT_EQ(field->text(), QStringLiteral("12345p"));
}
