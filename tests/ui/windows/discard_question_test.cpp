// Issue 13, defect 3: "Discard the last run?" came before every Run, with Save as the default
// button, no accelerators, and a "Don't ask again" that could never be undone. Now only quitting
// or opening a trace asks, Enter keeps everything, every answer has a key, and File has the
// toggle that turns the question back on.
#include "ui/windows/main_window.h"
#include "ui/panels/parameter_panel.h"
#include "window_helpers.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QMessageBox>
#include <QSettings>
#include <QTimer>

#include <functional>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Fixture;

namespace {

// Answers every message box the window opens, from the keyboard, and remembers what it saw.
class Answerer : public QObject {
public:
    explicit Answerer(std::function<void(QMessageBox*)> answer)
        : m_answer(std::move(answer))
    {
        m_timer.setInterval(10);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box || box == m_last)
                return;
            m_last = box;
            ++asked;
            text = box->text();
            default_button = box->defaultButton() ? box->defaultButton()->text() : QString();
            for (QAbstractButton* b : box->buttons())
                buttons << b->text();
            m_answer(box);
        });
        m_timer.start();
    }
    int asked = 0;
    QString text;
    QString default_button;
    QStringList buttons;

private:
    std::function<void(QMessageBox*)> m_answer;
    QTimer m_timer;
    QPointer<QMessageBox> m_last;
};

QAction* ask_action(MainWindow& window) { return window.findChild<QAction*>(QStringLiteral("askBeforeDiscarding")); }

} // namespace

TEST(MainWindow, RunAsksNothingButQuitAndOpenAskBeforeAnUnsavedRunIsLost)
{
    QSettings().remove(QStringLiteral("confirm/discard"));
    Fixture f;
    ASSERT_NE(ask_action(f.window), nullptr);
    EXPECT_TRUE(ask_action(f.window)->isChecked());
    ASSERT_TRUE(f.runAndWait(QStringLiteral("async-delay"), QStringLiteral("async")));
    ASSERT_TRUE(f.window.hasUnsavedResults());
    f.window.setInteractive(true);

    // Run again: the run on screen has just been looked at; no question.
    {
        Answerer escape([](QMessageBox* box) { QTest::keyClick(box, Qt::Key_Escape); });
        QSignalSpy finished(&f.window, &MainWindow::runFinished);
        QTest::mouseClick(f.window.runs()->runButton(), Qt::LeftButton);
        ASSERT_TRUE(finished.wait(20000));
        EXPECT_EQ(escape.asked, 0);
    }

    // Quit: asked; Enter keeps the window and the run.
    {
        Answerer enter([](QMessageBox* box) { QTest::keyClick(box, Qt::Key_Return); });
        EXPECT_FALSE(f.window.close());
        EXPECT_EQ(enter.asked, 1);
        EXPECT_TRUE(enter.text.contains(QStringLiteral("async-delay under async"))) << enter.text.toStdString();
        EXPECT_TRUE(enter.text.contains(QStringLiteral("Quit anyway?")));
        EXPECT_EQ(enter.default_button, QStringLiteral("&Cancel"));
        for (const QString& b : enter.buttons)
            EXPECT_TRUE(b.contains(QLatin1Char('&'))) << b.toStdString() << " has no accelerator";
        EXPECT_TRUE(f.window.isVisible());
        EXPECT_TRUE(f.window.hasUnsavedResults());
    }

    // File > Open (Ctrl+O) asks first too; Escape keeps the run and opens no file dialog.
    {
        Answerer escape([](QMessageBox* box) { QTest::keyClick(box, Qt::Key_Escape); });
        f.window.activateWindow();
        ASSERT_TRUE(QTest::qWaitForWindowActive(&f.window));
        QTest::keyClick(&f.window, Qt::Key_O, Qt::ControlModifier);
        EXPECT_EQ(escape.asked, 1);
        EXPECT_TRUE(escape.text.contains(QStringLiteral("Open another trace anyway?")));
        EXPECT_EQ(QApplication::activeModalWidget(), nullptr);
    }

    // "Don't ask again", then D for Discard: the window closes, and File's toggle goes off.
    {
        Answerer never([](QMessageBox* box) {
            box->checkBox()->setChecked(true);
            QTest::keyClick(box, Qt::Key_D);
        });
        EXPECT_TRUE(f.window.close());
        EXPECT_EQ(never.asked, 1);
        EXPECT_FALSE(ask_action(f.window)->isChecked());
        EXPECT_FALSE(QSettings().value(QStringLiteral("confirm/discard")).toBool());
    }

    // Undone from the menu: the next quit asks again.
    f.window.show();
    ask_action(f.window)->trigger();
    EXPECT_TRUE(QSettings().value(QStringLiteral("confirm/discard")).toBool());
    {
        Answerer cancel([](QMessageBox* box) { QTest::keyClick(box, Qt::Key_C); });
        EXPECT_FALSE(f.window.close());
        EXPECT_EQ(cancel.asked, 1);
    }
    f.window.setInteractive(false);
}
