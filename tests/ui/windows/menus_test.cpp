// The window's menus, wired: each action is where a person looks for it, its key reaches it, and
// a View choice reaches every part that draws.
#include "ui/tracks/timeline_view.h"
#include "ui/windows/main_window.h"
#include "window_helpers.h"

#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>

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

} // namespace

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
    QMenu* examples = menu(f.window, QStringLiteral("&Examples"));
    ASSERT_NE(examples, nullptr);
    bool example = false;
    for (QAction* a : examples->actions())
        example = example || a->objectName() == QStringLiteral("exampleMoreTasksThanCores");
    EXPECT_TRUE(example);
}
