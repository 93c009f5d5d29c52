// "What to use?" rebuilt from measurements, and the article's decision rule.
#include "core/advise.h"

#include <gtest/gtest.h>

using namespace timeslice;

namespace {

AdviseOptions quick()
{
    AdviseOptions o;
    o.async_sizes = { 10, 1'000 };
    o.thread_sizes = { 10, 100 };
    o.process_sizes = { 2, 8 };
    o.iterations = 20'000'000;
    o.sweep_wait = 100 * kNanosPerMilli;
    return o;
}

const SweepPoint& point(const Advice& a, ModelKind model, int tasks)
{
    for (const SweepPoint& p : a.sweep) {
        if (p.model == model && p.tasks == tasks)
            return p;
    }
    throw std::runtime_error("no sweep point");
}

} // namespace

TEST(Advise, RebuildsTheArticlesTableFromMeasurements)
{
    std::vector<std::string> steps;
    const Advice a = measure_advice(quick(), [&](const std::string& s) { steps.push_back(s); });
    ASSERT_EQ(a.rows.size(), 5u);
    EXPECT_EQ(a.rows[0].feature, "Optimize waiting periods");
    EXPECT_EQ(a.rows[4].feature, "GIL interference");
    EXPECT_GE(steps.size(), 8u);
    // Every model overlaps the tables' waits.
    for (const AdviceCell& c : a.rows[0].cells) {
        EXPECT_EQ(c.verdict, "Yes") << c.measured;
        EXPECT_TRUE(c.agrees);
    }
    // Each cell carries the article's words next to the measurement.
    EXPECT_EQ(a.rows[2].cells[2].article, "High (thousands+)");
    EXPECT_NE(a.rows[2].cells[2].measured.find("1000 at once"), std::string::npos);
    // Starting a process costs far more than a thread, and a thread more than a coroutine.
    ASSERT_EQ(a.sweep.size(), 6u);
    for (const SweepPoint& p : a.sweep)
        EXPECT_TRUE(p.ok) << model_name(p.model) << " " << p.tasks;
    // (Sanitizers make creating a thread or a process many times dearer, each by its own factor,
    // so there only the coroutine's place is checked.)
#if !defined(__SANITIZE_THREAD__) && !defined(__SANITIZE_ADDRESS__)
    EXPECT_GT(point(a, ModelKind::Processes, 8).overhead_us_per_task, 5 * point(a, ModelKind::Threads, 100).overhead_us_per_task);
#endif
    EXPECT_GT(point(a, ModelKind::Threads, 100).overhead_us_per_task, point(a, ModelKind::Async, 1'000).overhead_us_per_task);
    EXPECT_GT(point(a, ModelKind::Processes, 8).overhead_us_per_task, point(a, ModelKind::Async, 1'000).overhead_us_per_task);
    const std::string text = format_advice(a);
    EXPECT_NE(text.find("[Yes (preemptive)]"), std::string::npos);
    EXPECT_NE(text.find("the article's rule says"), std::string::npos);
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
