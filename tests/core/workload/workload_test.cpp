#include "core/workload/workload.h"

#include <gtest/gtest.h>

using namespace timeslice;

namespace {
Nanos wait_of(const TaskSpec& t) { return std::get<Wait>(t.steps.at(0)).duration; }
}

TEST(Workload, TableLoadingHasTheArticlesTables)
{
    const Workload w = make_workload("table-loading", {});
    ASSERT_EQ(w.tasks.size(), 3u);
    EXPECT_EQ(w.tasks[0].name, "A");
    EXPECT_EQ(w.tasks[1].name, "B");
    EXPECT_EQ(w.tasks[2].name, "C");
    EXPECT_EQ(wait_of(w.tasks[0]), 1 * kNanosPerSecond);
    EXPECT_EQ(wait_of(w.tasks[1]), 2 * kNanosPerSecond);
    EXPECT_EQ(wait_of(w.tasks[2]), 5 * kNanosPerSecond);
}

TEST(Workload, AsyncDelayHasTheArticlesDelays)
{
    const Workload w = make_workload("async-delay", {});
    ASSERT_EQ(w.tasks.size(), 3u);
    EXPECT_EQ(wait_of(w.tasks[0]), 2 * kNanosPerSecond);
    EXPECT_EQ(wait_of(w.tasks[1]), 1 * kNanosPerSecond);
    EXPECT_EQ(wait_of(w.tasks[2]), 3 * kNanosPerSecond);
}

TEST(Workload, SquareNumbersRunsOneTaskPerCoreOverTheArticlesRange)
{
    const Workload w = make_workload("square-numbers", {});
    ASSERT_EQ(int(w.tasks.size()), online_cores());
    for (const TaskSpec& t : w.tasks)
        EXPECT_EQ(std::get<Compute>(t.steps.at(0)).iterations, 100'000'000u);
}

TEST(Workload, ScaleMultipliesEveryWait)
{
    WorkloadOptions o;
    o.scale = 0.05;
    const Workload w = make_workload("table-loading", o);
    EXPECT_EQ(wait_of(w.tasks[2]), 250 * kNanosPerMilli);
}

TEST(Workload, OptionsOverrideTheDefaults)
{
    WorkloadOptions o;
    o.tasks = 5;
    o.iterations = 1000;
    const Workload w = make_workload("square-numbers", o);
    ASSERT_EQ(w.tasks.size(), 5u);
    EXPECT_EQ(std::get<Compute>(w.tasks[4].steps[0]).iterations, 1000u);

    WorkloadOptions waits;
    waits.waits = { 0.5, 0.25 };
    const Workload t = make_workload("table-loading", waits);
    ASSERT_EQ(t.tasks.size(), 2u);
    EXPECT_EQ(wait_of(t.tasks[1]), 250 * kNanosPerMilli);
}

TEST(Workload, MixedHasIoTasksBesideOneCpuTask)
{
    const Workload w = make_workload("mixed", {});
    ASSERT_EQ(w.tasks.size(), 4u);
    EXPECT_EQ(w.tasks[0].name, "CPU");
    EXPECT_TRUE(std::holds_alternative<Compute>(w.tasks[0].steps[0]));
    EXPECT_EQ(w.tasks[1].steps.size(), 20u);
}

TEST(Workload, BadOptionsAreRefusedWithAMessage)
{
    EXPECT_THROW(make_workload("nope", {}), std::invalid_argument);
    WorkloadOptions o;
    o.scale = -1;
    EXPECT_THROW(make_workload("table-loading", o), std::invalid_argument);
    o.scale = std::numeric_limits<double>::quiet_NaN();
    EXPECT_THROW(make_workload("table-loading", o), std::invalid_argument);
    WorkloadOptions big;
    big.tasks = 1'000'000'000;
    EXPECT_THROW(make_workload("square-numbers", big), std::invalid_argument);
    try {
        make_workload("nope", {});
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("unknown workload 'nope'"), std::string::npos);
    }
}

TEST(Workload, SecondsAreFormattedShortest)
{
    EXPECT_EQ(format_seconds(1), "1");
    EXPECT_EQ(format_seconds(2.5), "2.5");
}

// What validate() counts without making the tasks: for every built-in workload and options good
// or bad, the count is the number make_workload makes, and a refusal is make_workload's, word
// for word.
TEST(Workload, TheTaskCountIsWhatMakeWorkloadMakesAndItsRefusalsAreTheSame)
{
    const auto message = [](auto&& f) -> std::string {
        try {
            f();
        } catch (const std::invalid_argument& e) {
            return e.what();
        }
        return "(none)";
    };
    std::vector<WorkloadOptions> cases(11);
    cases[1].tasks = 7;
    cases[2].tasks = 100'000;
    cases[3].waits = { 0.5, 1.5 };
    cases[4].waits = { 0.5, 1.5 };
    cases[4].tasks = 30;
    cases[5].iterations = 1000;
    cases[6].scale = 0.01;
    cases[7].tasks = -1; // refused
    cases[8].waits = { 1, -2 }; // refused by the wait workloads, ignored by the others
    cases[9].scale = 0; // refused
    cases[10].iterations = Limits::kMaxIterations + 1; // refused
    int counted = 0, refused = 0;
    for (const std::string_view name : builtin_workload_names()) {
        for (std::size_t k = 0; k < cases.size(); ++k) {
            const WorkloadOptions& o = cases[k];
            const std::string made = message([&] { make_workload(name, o); });
            EXPECT_EQ(message([&] { workload_task_count(name, o); }), made) << name << " case " << k;
            if (made != "(none)") {
                ++refused;
                continue;
            }
            EXPECT_EQ(workload_task_count(name, o), make_workload(name, o).tasks.size()) << name << " case " << k;
            ++counted;
        }
    }
    EXPECT_EQ(refused, 4 * 3 + 2 + 2); // four refused everywhere; bad waits by two; 100,000 tasks by two
    EXPECT_EQ(counted, 4 * 11 - refused);
    EXPECT_THROW(workload_task_count("nope", {}), std::invalid_argument);
}
