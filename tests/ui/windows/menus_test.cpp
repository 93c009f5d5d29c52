// The window's menus, wired: each action is where a person looks for it, its key reaches it, and
// a View choice reaches every part that draws.
#include "ui/panels/parameter_panel.h"
#include "ui/tracks/timeline_view.h"
#include "ui/windows/compare_window.h"
#include "ui/windows/main_window.h"
#include "window_helpers.h"

#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>

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
