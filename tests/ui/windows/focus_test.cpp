// Issue 13, defect 13: after every run the keyboard focus landed on "Compare all models", so the
// next Enter or Space started four runs. Focus goes back where it was before the run.
#include "ui/windows/main_window.h"
#include "ui/panels/parameter_panel.h"
#include "window_helpers.h"

#include <QApplication>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Fixture;

namespace {

QString focus_name()
{
    QWidget* w = QApplication::focusWidget();
    return w ? w->objectName() + QStringLiteral(" (") + QLatin1String(w->metaObject()->className()) + QLatin1Char(')')
             : QStringLiteral("nothing");
}

} // namespace

TEST(MainWindow, FocusGoesBackWhereItWasAfterARun)
{
    Fixture f;
    test::choose(f.window.parameters()->workloadBox(), QStringLiteral("async-delay"));
    test::choose(f.window.parameters()->modelBox(), QStringLiteral("async"));
    f.window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&f.window));

    // Space on the focused Run button, as a keyboard user starts a run.
    f.window.runs()->runButton()->setFocus();
    QSignalSpy finished(&f.window, &MainWindow::runFinished);
    QTest::keyClick(f.window.runs()->runButton(), Qt::Key_Space);
    ASSERT_TRUE(finished.wait(20000));
    EXPECT_EQ(QApplication::focusWidget(), f.window.runs()->runButton()) << focus_name().toStdString();

    // Ctrl+R from the Waits field.
    f.window.parameters()->waitsEdit()->setFocus();
    QTest::keyClick(f.window.parameters()->waitsEdit(), Qt::Key_R, Qt::ControlModifier);
    ASSERT_TRUE(finished.wait(20000));
    EXPECT_EQ(QApplication::focusWidget(), f.window.parameters()->waitsEdit()) << focus_name().toStdString();

    // And so Space on the Run button runs once more, not every model.
    f.window.runs()->runButton()->setFocus();
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
    EXPECT_TRUE(f.window.runs()->stopButton()->isEnabled());
    ASSERT_TRUE(finished.wait(20000));
    EXPECT_EQ(f.window.runs()->compareWindow(), nullptr);
    EXPECT_EQ(QApplication::focusWidget(), f.window.runs()->runButton()) << focus_name().toStdString();
}
