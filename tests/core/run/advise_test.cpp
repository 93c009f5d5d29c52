// "What to use?" rebuilt from measurements, and the article's decision rule.
#include "core/run/advise.h"

#include <gtest/gtest.h>

using namespace timeslice;

namespace {

AdviseOptions quick()
{
    AdviseOptions o;
    o.async_sizes = { 10, 1'000 };
    o.thread_sizes = { 10, 100 };
    o.process_sizes = { 2, 8 };
    // Long enough (~0.25 s a task) that on a busy machine a second worker process has started
    // before the first has finished: "computing at once" counts what overlapped.
    o.iterations = 400'000'000;
    o.sweep_wait = 100 * kNanosPerMilli;
    return o;
}

} // namespace

TEST(Advise, RebuildsTheArticlesTableFromMeasurements)
{
    std::vector<std::string> steps;
    const Advice a = measure_advice(quick(), [&](const std::string& s) { steps.push_back(s); });
    ASSERT_EQ(a.rows.size(), 5u);
    EXPECT_EQ(a.rows[0].feature, "Optimize waiting periods");
    EXPECT_EQ(a.rows[3].feature, "Use blocking std library functions");
    EXPECT_EQ(a.rows[4].feature, "GIL interference");
    EXPECT_GE(steps.size(), 8u);
    // Every cell is measured, and the verdicts that are counts of what was in flight at once
    // agree with the article whatever the machine's load.
    for (std::size_t r : { 0u, 3u, 4u }) {
        for (std::size_t m = 0; m < 3; ++m) {
            const AdviceCell& c = a.rows[r].cells[m];
            EXPECT_TRUE(c.agrees) << a.rows[r].feature << " / " << m << ": " << c.verdict << " (" << c.measured << ")";
        }
    }
    // Every model overlaps the tables' waits: all three under threads and async, one per
    // worker process.
    EXPECT_EQ(a.rows[0].cells[1].measured, "3 of 3 waits at once");
    EXPECT_EQ(a.rows[0].cells[2].measured, "3 of 3 waits at once");
    // time.sleep() on the loop: one wait at a time.
    EXPECT_EQ(a.rows[3].cells[2].verdict, "No");
    EXPECT_NE(a.rows[3].cells[2].measured.find("1 blocking wait at once"), std::string::npos) << a.rows[3].cells[2].measured;
    EXPECT_NE(a.rows[4].cells[1].measured.find("1 computing at once with the GIL"), std::string::npos);
    // Each cell carries the article's words next to the measurement.
    EXPECT_EQ(a.rows[2].cells[2].article, "High (thousands+)");
    EXPECT_NE(a.rows[2].cells[2].measured.find("1000 at once"), std::string::npos);
    ASSERT_EQ(a.sweep.size(), 6u);
    for (const SweepPoint& p : a.sweep)
        EXPECT_TRUE(p.ok) << model_name(p.model) << " " << p.tasks;
    const std::string text = format_advice(a);
    EXPECT_NE(text.find("[Yes (preemptive)]"), std::string::npos);
    EXPECT_NE(text.find("the article's rule says"), std::string::npos);
}

TEST(Advise, TheScalabilityRuleCountsTasksThatStayCheap)
{
    EXPECT_EQ(scalability_verdict(100'000), "High");
    EXPECT_EQ(scalability_verdict(10'000), "High");
    EXPECT_EQ(scalability_verdict(1'000), "Medium");
    EXPECT_EQ(scalability_verdict(100), "Medium");
    EXPECT_EQ(scalability_verdict(64), "Low");
    EXPECT_EQ(scalability_verdict(0), "Low");
}

TEST(Advise, StopsEarlyWhenCancelled)
{
    std::atomic<bool> cancel { true };
    AdviseOptions o = quick();
    o.cancel = &cancel;
    const Advice a = measure_advice(o);
    EXPECT_TRUE(a.rows.empty());
    EXPECT_NE(a.decision.find("Stopped"), std::string::npos);
}

TEST(Advise, AppliesTheArticlesDecisionRule)
{
    EXPECT_EQ(decide(make_workload("table-loading", {})), "threads");
    EXPECT_EQ(decide(make_workload("square-numbers", {})), "processes (multiprocessing)");
    WorkloadOptions many;
    many.waits.assign(1000, 0.5);
    std::string reasons;
    EXPECT_EQ(decide(make_workload("async-delay", many), &reasons), "async (asyncio)");
    EXPECT_NE(reasons.find("very slow I/O"), std::string::npos);
}
