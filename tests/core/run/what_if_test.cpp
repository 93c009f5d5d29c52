// "What if…?": one workload under every model. The runs it makes, the counts read from them (which
// no load can bend: how many waits or computations were in flight at once), and the advice drawn
// from rows given by hand.
#include "core/run/what_if.h"
#include "core/workload/compute.h"
#include "core/workload/workload_file.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace timeslice;
using namespace timeslice::test;

namespace {

// Waits long enough that a busy machine starting a worker late still has them overlap.
Workload three_waits()
{
    return workload_from_json(R"({"name": "waits", "tasks": [
        {"name": "A", "steps": [{"wait": 0.3}]}, {"name": "B", "steps": [{"wait": 0.3}]},
        {"name": "C", "steps": [{"cpu_s": 0.001}, {"wait": 0.3}]}]})",
        {});
}

WhatIfRow row(const std::string& label, ModelKind model, bool gil, int workers, double makespan)
{
    WhatIfRow r;
    r.label = label;
    r.model = model;
    r.gil = gil;
    r.workers = workers;
    r.makespan_s = makespan;
    r.finished = true;
    return r;
}

std::vector<std::shared_ptr<const Trace>> run_all(const std::vector<CompareEntry>& entries)
{
    std::vector<std::shared_ptr<const Trace>> out;
    for (CompareEntry e : entries) {
        e.config.kernel.mode = KernelMode::Off;
        out.push_back(run_to_end(e.config));
    }
    return out;
}

} // namespace

TEST(WhatIf, RunsProcessPoolsThreadsWithAndWithoutTheGilAndOneLoopScaledWhole)
{
    WhatIfOptions o;
    o.scale = 0.5;
    o.process_pools = { 1, 3 };
    const auto entries = what_if_entries(three_waits(), o);
    std::vector<std::string> labels;
    for (const CompareEntry& e : entries)
        labels.push_back(e.label);
    EXPECT_EQ(labels, (std::vector<std::string> { "processes (1)", "processes (3)", "threads (GIL)", "threads (no GIL)", "async" }));
    EXPECT_EQ(entries[1].config.model_options.workers, 3);
    EXPECT_EQ(entries[2].config.model_options.workers, 3) << "a thread per task";
    EXPECT_TRUE(entries[2].config.model_options.gil);
    EXPECT_FALSE(entries[3].config.model_options.gil);
    ASSERT_TRUE(entries[4].config.custom);
    const Workload& ran = *entries[4].config.custom;
    EXPECT_EQ(std::get<Wait>(ran.tasks[0].steps[0]).duration, 150 * kNanosPerMilli);
    EXPECT_DOUBLE_EQ(std::get<Compute>(ran.tasks[2].steps[0]).cpu_seconds, 0.0005);

    // By default: one process, one per core, and one per task up to four per core.
    const auto defaults = what_if_entries(three_waits());
    EXPECT_EQ(defaults.front().label, "processes (1)");
    EXPECT_EQ(defaults[defaults.size() - 4].label, "processes (" + std::to_string(std::min(3, 4 * online_cores())) + ")");

    WhatIfOptions bad;
    bad.process_pools = { 0 };
    EXPECT_THROW(what_if_entries(three_waits(), bad), std::invalid_argument);
    bad.process_pools = {};
    bad.scale = 0;
    EXPECT_THROW(what_if_entries(three_waits(), bad), std::invalid_argument);
    bad.scale = 100; // 0.3 s waits stay within the limits; an hour's wait would not
    EXPECT_NO_THROW(what_if_entries(three_waits(), bad));
    Workload hour = three_waits();
    std::get<Wait>(hour.tasks[0].steps[0]).duration = 3600 * kNanosPerSecond;
    EXPECT_THROW(what_if_entries(hour, bad), std::invalid_argument);

    // The default pools stay within what a process pool may have, whatever the recorded size.
    Workload wide = workload_from_json(R"({"workers": 5000, "tasks": [{"name": "T", "count": 300, "steps": [{"wait": 1}]}]})", {});
    int widest = 0;
    for (const CompareEntry& e : what_if_entries(wide)) {
        if (e.config.model == ModelKind::Processes)
            widest = std::max(widest, e.config.model_options.workers);
    }
    EXPECT_EQ(widest, Limits::kMaxProcessWorkers);
    EXPECT_THROW(what_if_entries(Workload { "empty", {} }), std::invalid_argument);
}

TEST(WhatIf, CountsWhatEachModelHadInFlightAtOnce)
{
    WhatIfOptions o;
    o.process_pools = { 1, 2 };
    const Workload w = three_waits();
    const auto entries = what_if_entries(w, o);
    const WhatIf r = summarise_what_if(w, entries, run_all(entries));
    EXPECT_EQ(r.tasks, 3);
    EXPECT_EQ(r.waits, 3);
    EXPECT_NEAR(r.wait_s, 0.9, 1e-9);
    EXPECT_NEAR(r.compute_s, 0.001, 1e-9);
    ASSERT_EQ(r.rows.size(), 5u);
    for (const WhatIfRow& row : r.rows)
        EXPECT_TRUE(row.finished) << row.label;
    EXPECT_EQ(r.rows[0].waits_at_once, 1) << "one process waits for one table at a time";
    EXPECT_EQ(r.rows[1].waits_at_once, 2);
    EXPECT_EQ(r.rows[4].waits_at_once, 3) << "one loop awaits all three";
    EXPECT_EQ(r.rows[3].waits_at_once, 3);
    EXPECT_NEAR(r.rows[0].predicted_s, 0.901, 1e-6) << "the three one after another";
    EXPECT_NEAR(r.rows[4].predicted_s, 0.301, 0.002);
    ASSERT_EQ(r.answers.size(), 4u);
    EXPECT_EQ(r.answers[0].question, "Does it overlap the waits?");
    EXPECT_NE(r.answers[0].answer.find("up to 3 in flight at once on one event loop"), std::string::npos) << r.answers[0].answer;
    EXPECT_EQ(r.answers[2].answer, "No: every wait can be awaited.");
    EXPECT_FALSE(r.recommended.empty());
}

TEST(WhatIf, TwoComputingTasksComputeAtOnceOnlyWithoutTheGilAndInProcesses)
{
    const Workload w = workload_from_json(
        R"({"name": "cpu", "tasks": [{"name": "P", "count": 2, "steps": [{"cpu_s": 0.2}]}]})", {});
    WhatIfOptions o;
    o.process_pools = { 2 };
    const auto entries = what_if_entries(w, o);
    const WhatIf r = summarise_what_if(w, entries, run_all(entries));
    ASSERT_EQ(r.rows.size(), 4u);
    EXPECT_EQ(r.rows[0].computing_at_once, 2) << r.rows[0].label;
    EXPECT_EQ(r.rows[1].computing_at_once, 1) << r.rows[1].label;
    EXPECT_GT(r.rows[1].gil_hand_overs, 0u) << "two threads took turns";
    EXPECT_EQ(r.rows[2].computing_at_once, 2) << r.rows[2].label;
    EXPECT_EQ(r.rows[3].computing_at_once, 1) << r.rows[3].label;
    EXPECT_EQ(r.answers[0].answer, "No: no task waits.");
}

TEST(WhatIf, TheAdviceIsTheCheapestModelWithinFivePercentOfTheFastest)
{
    WhatIf w;
    w.tasks = 3;
    w.waits = 3;
    w.wait_s = 0.8;
    w.rows = { row("processes (1)", ModelKind::Processes, false, 1, 0.80), row("processes (3)", ModelKind::Processes, false, 3, 0.51),
        row("threads (GIL)", ModelKind::Threads, true, 3, 0.502), row("threads (no GIL)", ModelKind::Threads, false, 3, 0.501),
        row("async", ModelKind::Async, false, 0, 0.503) };
    w.rows[4].waits_at_once = 3;
    conclude_what_if(w);
    EXPECT_EQ(w.recommended, "async");
    EXPECT_EQ(w.recommendation.substr(0, 58), "3 tasks: 100 % of their time waits (3 waits, 3 in flight a");
    EXPECT_NE(w.recommendation.find("Use async: 0.503 s here (the fastest, threads (no GIL), took 0.501 s: within 5 %, and costs more)"),
        std::string::npos)
        << w.recommendation;

    // Computing: processes beat everything but threads without the GIL, which need a free-threaded build.
    w.compute_s = 1.0;
    w.waits = 0;
    w.wait_s = 0;
    w.rows = { row("processes (1)", ModelKind::Processes, false, 1, 1.0), row("processes (2)", ModelKind::Processes, false, 2, 0.52),
        row("threads (GIL)", ModelKind::Threads, true, 2, 1.02), row("threads (no GIL)", ModelKind::Threads, false, 2, 0.50),
        row("async", ModelKind::Async, false, 0, 1.0) };
    conclude_what_if(w);
    EXPECT_EQ(w.recommended, "processes (2)");
    w.rows[3].makespan_s = 0.40;
    conclude_what_if(w);
    EXPECT_EQ(w.recommended, "threads (no GIL)");
    EXPECT_NE(w.recommendation.find("need a free-threaded Python"), std::string::npos);

    for (WhatIfRow& r : w.rows)
        r.finished = false;
    conclude_what_if(w);
    EXPECT_EQ(w.recommended, "");
    EXPECT_EQ(w.recommendation, "No run finished, so there is nothing to recommend.");
}
