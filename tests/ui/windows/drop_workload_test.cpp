// Issue 13, drag-and-drop of workload files: a workload file dropped on the window loads into the
// parameter panel as File > Open workload… does, a trace still opens as a trace, and the two are
// told apart by what the file holds, not by its name. A bad file says why, and nothing else changes.
#include "ui/windows/dropped_file.h"
#include "ui/windows/main_window.h"
#include "ui/panels/parameter_panel.h"
#include "window_helpers.h"

#include <QFile>
#include <QLabel>
#include <QMimeData>
#include <QTemporaryDir>
#include <QUrl>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Fixture;

namespace {

void write(const QString& path, const QByteArray& text) { test::write_file(path, text); }

QByteArray head_of(const QString& path)
{
    QFile file(path);
    EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << path.toStdString();
    return file.read(64 * 1024);
}

FileKind sniff(const QByteArray& head) { return sniff_json(std::string_view(head.constData(), std::size_t(head.size()))); }

// Drags `path` over the window and drops it there; returns whether the window took it.
bool drop(MainWindow& window, const QString& path)
{
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(path) });
    QDragEnterEvent enter(QPoint(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    enter.setAccepted(false);
    QCoreApplication::sendEvent(&window, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent dropped(QPointF(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    dropped.setAccepted(false);
    QCoreApplication::sendEvent(&window, &dropped);
    return dropped.isAccepted();
}

QString status(MainWindow& window) { return window.findChild<QLabel*>(QStringLiteral("statusText"))->text(); }

} // namespace

TEST(DragAndDrop, TracesAndWorkloadFilesAreToldApartByWhatTheyHold)
{
    for (const char* name : { "mixed-async.json", "table-loading-threads.json", "square-numbers-threads-gil.json" })
        EXPECT_EQ(sniff(head_of(test::example_trace(name))), FileKind::Trace) << name;
    for (const char* name : { "mixed.json", "table-loading.json", "async-delay.json", "square-numbers.json" })
        EXPECT_EQ(sniff(head_of(QStringLiteral(TIMESLICE_EXAMPLES_DIR "/../workloads/") + QLatin1String(name))), FileKind::Workload) << name;
    EXPECT_EQ(sniff("\xEF\xBB\xBF  [{\"ph\": \"X\"}]"), FileKind::Trace);
    EXPECT_EQ(sniff("{\"displayTimeUnit\": \"ms\", \"traceEvents\": []}"), FileKind::Trace);
    EXPECT_EQ(sniff("{\"not\": \"a trace\""), FileKind::None);
    EXPECT_EQ(sniff("{\"tasks\": 3}"), FileKind::None);
    EXPECT_EQ(sniff("hostname\n"), FileKind::None);
    EXPECT_EQ(sniff(""), FileKind::None);
}

TEST(DragAndDrop, AWorkloadFileDroppedLoadsIntoThePanelAndATraceOpensWhateverItsName)
{
    Fixture f;
    ParameterPanel* panel = f.window.parameters();
    QTemporaryDir dir;

    const QString workload = dir.filePath(QStringLiteral("two-waits.json"));
    write(workload, R"({"name": "two-waits", "tasks": [{"name": "A", "steps": [{"wait": 0.2}]},
                                                        {"name": "B", "steps": [{"compute": 1000}, {"wait": 0.4}]}]})");
    QSignalSpy opened(&f.window, &MainWindow::traceOpened);
    ASSERT_TRUE(drop(f.window, workload));
    test::settle();
    EXPECT_TRUE(panel->workloadBox()->currentText().startsWith(QStringLiteral("two-waits"))) << panel->workloadBox()->currentText().toStdString();
    EXPECT_TRUE(panel->descriptionLabel()->text().contains(QStringLiteral("B: compute 1,000, wait 0.4 s")))
        << panel->descriptionLabel()->text().toStdString();
    EXPECT_EQ(status(f.window), QStringLiteral("Opened the workload two-waits.json: Run runs it"));
    EXPECT_TRUE(opened.isEmpty());
    EXPECT_EQ(f.window.trace(), nullptr);
    const auto config = panel->config();
    ASSERT_TRUE(config) << panel->error().toStdString();
    EXPECT_EQ(config->workload, "two-waits");

    // The same kind of file without .json in its name is still a workload.
    const QString renamed = dir.filePath(QStringLiteral("one-wait.workload"));
    write(renamed, R"({"name": "one-wait", "tasks": [{"name": "W", "steps": [{"wait": 0.1}]}]})");
    ASSERT_TRUE(drop(f.window, renamed));
    test::settle();
    EXPECT_TRUE(panel->workloadBox()->currentText().startsWith(QStringLiteral("one-wait"))) << panel->workloadBox()->currentText().toStdString();

    // A bad workload file: the status bar says where and why; the panel keeps what it had.
    const QString bad = dir.filePath(QStringLiteral("bad.json"));
    write(bad, R"({"name": "bad", "tasks": [{"name": "A", "steps": [{"wait": -1}]}]})");
    ASSERT_TRUE(drop(f.window, bad));
    test::settle();
    EXPECT_TRUE(status(f.window).contains(QStringLiteral("tasks[0].steps[0].wait"))) << status(f.window).toStdString();
    EXPECT_TRUE(panel->workloadBox()->currentText().startsWith(QStringLiteral("one-wait")));
    EXPECT_TRUE(opened.isEmpty());

    // A trace, named as no trace is, opens as a trace.
    const QString trace = dir.filePath(QStringLiteral("mixed.trace"));
    ASSERT_TRUE(QFile::copy(test::example_trace("mixed-async.json"), trace));
    ASSERT_TRUE(drop(f.window, trace));
    ASSERT_TRUE(!opened.isEmpty() || opened.wait(10000));
    EXPECT_EQ(opened.at(0).at(0).toString(), QString());
    ASSERT_NE(f.window.trace(), nullptr);
    EXPECT_EQ(f.window.trace()->info.model, "async");

    // A file that is neither, whatever its name, is refused at the door.
    const QString text = dir.filePath(QStringLiteral("notes.txt"));
    write(text, "tasks and steps\n");
    EXPECT_FALSE(drop(f.window, text));
}

TEST(DragAndDrop, ATraceDroppedOnTheWindowOpensAndOtherFilesAreRefused)
{
    Fixture f;
    const QString path = test::example_trace("mixed-async.json");
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(path) });
    QDragEnterEvent enter(QPoint(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    enter.setAccepted(false);
    QCoreApplication::sendEvent(&f.window, &enter);
    EXPECT_TRUE(enter.isAccepted());
    QSignalSpy opened(&f.window, &MainWindow::traceOpened);
    QDropEvent drop(QPointF(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    drop.setAccepted(false);
    QCoreApplication::sendEvent(&f.window, &drop);
    EXPECT_TRUE(drop.isAccepted());
    ASSERT_TRUE(!opened.isEmpty() || opened.wait(10000));
    EXPECT_EQ(opened.at(0).at(0).toString(), QString());
    EXPECT_EQ(f.window.trace()->info.model, "async");

    QMimeData other;
    other.setUrls({ QUrl::fromLocalFile(QStringLiteral("/etc/hostname")) });
    QDragEnterEvent refused(QPoint(100, 100), Qt::CopyAction, &other, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QCoreApplication::sendEvent(&f.window, &refused);
    EXPECT_FALSE(refused.isAccepted());
    // A .json that is no trace: the window says so and keeps what it showed.
    QTemporaryDir dir;
    const QString junk = dir.filePath(QStringLiteral("junk.json"));
    write(junk, "{\"not\": \"a trace\"");
    QMimeData bad;
    bad.setUrls({ QUrl::fromLocalFile(junk) });
    opened.clear();
    QDragEnterEvent enter_bad(QPoint(100, 100), Qt::CopyAction, &bad, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&f.window, &enter_bad);
    QDropEvent drop_bad(QPointF(100, 100), Qt::CopyAction, &bad, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&f.window, &drop_bad);
    ASSERT_TRUE(!opened.isEmpty() || opened.wait(10000));
    EXPECT_FALSE(opened.at(0).at(0).toString().isEmpty());
    EXPECT_EQ(f.window.trace()->info.model, "async");
}
