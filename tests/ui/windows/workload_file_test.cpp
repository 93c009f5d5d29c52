// File → Open workload… / Save workload…: a workload file joins the panel and runs; the panel's
// workload saves as a file that loads back to it; a bad file says where and why.
#include "core/workload/workload_file.h"
#include "action_helpers.h"

#include <QFile>
#include <QLabel>
#include <QTemporaryDir>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Files;

namespace {

void write(const QString& path, const QByteArray& text) { test::write_file(path, text); }

} // namespace

TEST(FileActions, AWorkloadFileOpensIntoThePanelAndRuns)
{
    Files f;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("two-waits.json"));
    write(path, R"({"name": "two-waits", "tasks": [{"name": "A", "steps": [{"wait": 0.2}]},
                                                    {"name": "B", "steps": [{"compute": 1000}, {"wait": 0.4}]}]})");
    ASSERT_EQ(f.files->openWorkload(path), QString());
    ParameterPanel* panel = f.parameters;
    EXPECT_TRUE(panel->workloadBox()->currentText().startsWith(QStringLiteral("two-waits"))) << panel->workloadBox()->currentText().toStdString();
    EXPECT_TRUE(panel->descriptionLabel()->text().contains(QStringLiteral("B: compute 1,000, wait 0.4 s")))
        << panel->descriptionLabel()->text().toStdString();
    const auto config = panel->config();
    ASSERT_TRUE(config) << panel->error().toStdString();
    EXPECT_EQ(config->workload, "two-waits");

    QSignalSpy finished(f.runs, &RunActions::finished);
    QTest::mouseClick(f.runs->runButton(), Qt::LeftButton);
    ASSERT_TRUE(finished.wait(20000));
    const auto trace = f.trace;
    EXPECT_EQ(trace->info.workload, "two-waits");
    ASSERT_EQ(trace->tasks.size(), 2u);
    EXPECT_EQ(trace->tasks[1].name, "B");
}

TEST(FileActions, SaveWorkloadWritesWhatThePanelDescribes)
{
    Files f;
    QTemporaryDir dir;
    ParameterPanel* panel = f.parameters;
    test::choose(panel->workloadBox(), QStringLiteral("table-loading"));
    panel->waitsEdit()->setText(QStringLiteral("1, 3"));
    const QString path = dir.filePath(QStringLiteral("mine.json"));
    ASSERT_EQ(f.files->saveWorkload(path), QString());
    const Workload saved = load_workload_file(path.toStdString(), WorkloadOptions {});
    WorkloadOptions options;
    options.waits = { 1, 3 };
    const Workload expected = make_workload("table-loading", options);
    ASSERT_EQ(saved.tasks.size(), expected.tasks.size());
    EXPECT_EQ(workload_to_json(saved), workload_to_json(expected));
    // It opens back into the panel.
    ASSERT_EQ(f.files->openWorkload(path), QString());
    EXPECT_TRUE(panel->descriptionLabel()->text().contains(QStringLiteral("B: wait 3 s"))) << panel->descriptionLabel()->text().toStdString();
    // An unwritable place says so, and leaves nothing.
    EXPECT_FALSE(f.files->saveWorkload(QStringLiteral("/nonexistent/dir/w.json")).isEmpty());
}

TEST(FileActions, ABadWorkloadFileNamesTheJsonPathAndTheRule)
{
    Files f;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.json"));
    write(path, R"({"tasks": [{"name": "A", "steps": [{"wait": 1}]}, {"name": "B", "steps": [{"wait": -1}]}]})");
    const QString before = f.parameters->workloadBox()->currentText();
    const QString error = f.files->openWorkload(path);
    EXPECT_TRUE(error.contains(QStringLiteral("tasks[1].steps[0].wait"))) << error.toStdString();
    EXPECT_TRUE(error.contains(QStringLiteral("between 0 and 3600"))) << error.toStdString();
    EXPECT_EQ(f.parameters->workloadBox()->currentText(), before);
    write(path, "{not json");
    EXPECT_FALSE(f.files->openWorkload(path).isEmpty());
}
