// File → Derive workload from this run and Run → What if…?, as a person uses them: the run on
// screen becomes a workload file in the panel, and the work runs under every model with the advice.
#include "action_helpers.h"
#include "core/workload/workload_file.h"
#include "ui/windows/advice_window.h"
#include "ui/windows/compare_window.h"

#include <QAction>
#include <QFile>
#include <QTemporaryDir>

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Files;

namespace {

// What if…? started, waited for to the end; null if it did not start or end in time.
CompareWindow* what_if_to_the_end(Files& f)
{
    if (!f.runs->startWhatIf().isEmpty())
        return nullptr;
    CompareWindow* compare = f.runs->compareWindow();
    if (!compare)
        return nullptr;
    QSignalSpy done(compare, &CompareWindow::allFinished);
    return done.wait(60000) ? compare : nullptr;
}

} // namespace

TEST(WhatIfWindow, DeriveWritesTheRunOnScreenAsAWorkloadFileThePanelThenRuns)
{
    Files f;
    EXPECT_FALSE(f.files->action(FileActions::DeriveWorkload)->isEnabled()) << "nothing on screen yet";
    ASSERT_TRUE(f.runAndWait(QStringLiteral("table-loading"), QStringLiteral("threads")));
    EXPECT_TRUE(f.files->action(FileActions::DeriveWorkload)->isEnabled());
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("mine.json"));
    ASSERT_EQ(f.files->deriveWorkload(path), QString());
    EXPECT_TRUE(f.status.startsWith(QStringLiteral("Derived 3 tasks:"))) << f.status.toStdString();
    const Workload w = load_workload_file(path.toStdString(), {});
    ASSERT_EQ(w.tasks.size(), 3u);
    EXPECT_EQ(w.name, "table-loading (derived)");
    // The panel holds it: Run runs the derived file.
    const QString shown = f.parameters->workloadBox()->currentText();
    EXPECT_EQ(shown.toStdString(), "table-loading (derived) (mine.json)");
    ASSERT_TRUE(f.runAndWait(f.parameters->workloadBox()->currentData().toString(), QStringLiteral("async")));
    EXPECT_EQ(f.trace->info.workload, "table-loading (derived)");
    EXPECT_EQ(f.trace->tasks.size(), 3u);
}

TEST(WhatIfWindow, AForeignTraceIsNotDerivedAndNothingIsWritten)
{
    Files f;
    ASSERT_EQ(test::open(*f.files, QStringLiteral(TIMESLICE_FIXTURES_DIR "/node-worker-threads.json")), QString());
    EXPECT_FALSE(f.files->action(FileActions::DeriveWorkload)->isEnabled());
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("never.json"));
    EXPECT_TRUE(f.files->deriveWorkload(path).contains(QStringLiteral("cannot be derived")));
    EXPECT_FALSE(QFile::exists(path));
}

TEST(WhatIfWindow, WhatIfRunsTheRunOnScreenUnderEveryModelAndGivesTheAdvice)
{
    Files f;
    ASSERT_TRUE(f.runAndWait(QStringLiteral("table-loading"), QStringLiteral("processes")));
    f.runs->setTrace(f.trace);
    CompareWindow* compare = what_if_to_the_end(f);
    ASSERT_NE(compare, nullptr) << f.status.toStdString();
    ASSERT_TRUE(compare->whatIf().has_value());
    const WhatIf& w = *compare->whatIf();
    EXPECT_EQ(w.workload, "table-loading (derived)");
    EXPECT_EQ(w.tasks, 3);
    ASSERT_EQ(compare->labels().size(), int(w.rows.size()));
    EXPECT_EQ(compare->labels().back(), QStringLiteral("async"));
    for (const WhatIfRow& r : w.rows)
        EXPECT_TRUE(r.finished) << r.label;
    EXPECT_EQ(w.rows.back().waits_at_once, 3) << "one loop awaits all three tables";
    EXPECT_TRUE(compare->note().startsWith(QString::fromStdString(w.recommendation))) << compare->note().toStdString();
    EXPECT_TRUE(compare->note().contains(QStringLiteral("Does it overlap the waits?")));
    EXPECT_TRUE(compare->suggestedName().endsWith(QStringLiteral("-what-if")));
}

TEST(WhatIfWindow, WithNothingOnScreenWhatIfRunsThePanelsWorkload)
{
    Files f;
    test::choose(f.parameters->workloadBox(), QStringLiteral("async-delay"));
    f.parameters->scaleBox()->setValue(0.02);
    CompareWindow* compare = what_if_to_the_end(f);
    ASSERT_NE(compare, nullptr) << f.status.toStdString();
    ASSERT_TRUE(compare->whatIf().has_value());
    EXPECT_EQ(compare->whatIf()->workload, "async-delay");
    EXPECT_EQ(compare->whatIf()->waits, 3);
    EXPECT_NEAR(compare->whatIf()->wait_s, 0.12, 1e-9) << "2 + 1 + 3 s at 0.02";
}

// Issue 21, item 3: What to use? applied the article's rule to the article's table-loading
// whatever the panel held; with a workload file in the panel its measuring thread threw, which
// ended the program.
TEST(WhatIfWindow, WhatToUseDecidesForTheWorkloadInThePanelWithItsParameters)
{
    Files f;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("many.json"));
    test::write_file(path, R"({"name": "many tables", "tasks": [{"name": "T", "count": 300, "steps": [{"wait": 0.5}]}]})");
    ASSERT_EQ(f.files->openWorkload(path), QString());
    AdviseOptions o;
    o.async_sizes = { 10 };
    o.thread_sizes = { 10 };
    o.process_sizes = { 2 };
    o.iterations = 5'000'000;
    o.sweep_wait = 20 * kNanosPerMilli;
    f.runs->showAdvice(&o);
    AdviceWindow* advice = f.runs->adviceWindow();
    ASSERT_NE(advice, nullptr);
    QSignalSpy done(advice, &AdviceWindow::finished);
    ASSERT_TRUE(done.wait(60000));
    const QString decision = advice->decisionText();
    EXPECT_TRUE(decision.startsWith(QStringLiteral("For many tables: "))) << decision.toStdString();
    EXPECT_TRUE(decision.contains(QStringLiteral("with 300 tasks waiting"))) << decision.toStdString();
    EXPECT_TRUE(advice->decisionText().contains(QStringLiteral("What if…?")));
}
