// Which tasks get a row, as a pure function of the trace, the state chosen and the rows hidden.
#include "hand_made_trace.h"
#include "ui/panels/row_filter.h"

#include <gtest/gtest.h>

using namespace timeslice;
using namespace timeslice::ui;

namespace {

constexpr Nanos s = kNanosPerSecond;

// A queues then waits, B computes, C waits then computes; each with its predicted outline.
std::shared_ptr<Trace> three_tasks(const char* date = "2024-01-01")
{
    auto trace = std::make_shared<Trace>();
    trace->info.workload = "mixed";
    trace->info.model = "threads";
    trace->info.date = date;
    trace->info.makespan = 3 * s;
    trace->complete = true;
    trace->tasks.push_back(test::task_of_states("A", { { State::Queued, 0 }, { State::Waiting, s } }, 2 * s));
    trace->tasks.push_back(test::task_of_states("B", { { State::Running, 0 } }, 3 * s));
    trace->tasks.push_back(test::task_of_states("C", { { State::Waiting, 0 }, { State::Running, s } }, 2 * s));
    for (TaskTrace& t : trace->tasks) {
        summarise_task(t);
        trace->ideal.tasks.push_back({ IdealSpan { 0, t.spans.back().end, State::Running } });
    }
    trace->ideal.makespan = 2 * s;
    trace->ideal.serial = 6 * s;
    return trace;
}

std::vector<std::string> names(const Trace& trace)
{
    std::vector<std::string> out;
    for (const TaskTrace& t : trace.tasks)
        out.push_back(t.name);
    return out;
}

} // namespace

TEST(RowFilter, EveryTaskHasARowUntilAStateIsChosen)
{
    const auto trace = three_tasks();
    RowFilter filter;
    EXPECT_EQ(filter.shown(), nullptr);
    EXPECT_TRUE(filter.rows().empty());
    filter.setTrace(trace);
    EXPECT_EQ(filter.rows(), (std::vector<int> { 0, 1, 2 }));
    EXPECT_FALSE(filter.filtered());
    EXPECT_EQ(filter.shown(), trace) << "the trace itself, not a copy";

    filter.setState(State::Running);
    EXPECT_EQ(filter.rows(), (std::vector<int> { 1, 2 }));
    EXPECT_TRUE(filter.filtered());
    EXPECT_EQ(names(*filter.shown()), (std::vector<std::string> { "B", "C" }));
    filter.setState(State::Queued);
    EXPECT_EQ(names(*filter.shown()), std::vector<std::string> { "A" });
    filter.setState(State::GilWait);
    EXPECT_TRUE(filter.rows().empty());
    EXPECT_TRUE(filter.shown()->tasks.empty());
    filter.setState(std::nullopt);
    EXPECT_EQ(filter.shown(), trace);
}

TEST(RowFilter, TheShownTraceKeepsWhatTheRowsNeedAndTheirOutlines)
{
    auto trace = three_tasks();
    trace->cpu.push_back(CpuSample { 0, { 50 }, 50, {}, -1 });
    RowFilter filter;
    filter.setTrace(trace);
    filter.hide(1);
    const Trace& shown = *filter.shown();
    EXPECT_EQ(names(shown), (std::vector<std::string> { "A", "C" }));
    EXPECT_EQ(shown.info, trace->info);
    EXPECT_EQ(shown.cpu, trace->cpu);
    EXPECT_EQ(shown.complete, trace->complete);
    EXPECT_EQ(shown.ideal.makespan, trace->ideal.makespan);
    EXPECT_EQ(shown.ideal.serial, trace->ideal.serial);
    ASSERT_EQ(shown.ideal.tasks.size(), 2u);
    EXPECT_EQ(shown.ideal.tasks[1], trace->ideal.tasks[2]);
    // Outlines that do not match the tasks one for one are left out rather than put on the wrong rows.
    trace->ideal.tasks.pop_back();
    filter.setTrace(trace);
    EXPECT_TRUE(filter.shown()->ideal.tasks.empty());
}

TEST(RowFilter, HiddenRowsStayHiddenUnderEveryStateUntilShowAll)
{
    const auto trace = three_tasks();
    RowFilter filter;
    filter.setTrace(trace);
    filter.hide(0);
    EXPECT_EQ(filter.rows(), (std::vector<int> { 1, 2 }));
    filter.setState(State::Waiting);
    EXPECT_EQ(filter.rows(), std::vector<int> { 2 });
    // Bad indices are ignored.
    filter.hide(-1);
    filter.hide(3);
    EXPECT_EQ(filter.rows(), std::vector<int> { 2 });

    filter.showAll();
    EXPECT_EQ(filter.state(), std::nullopt);
    EXPECT_EQ(filter.rows(), (std::vector<int> { 0, 1, 2 }));
    EXPECT_EQ(filter.shown(), trace);
}

TEST(RowFilter, HiddenRowsBelongToOneRun)
{
    RowFilter filter;
    filter.setTrace(three_tasks());
    filter.hide(2);
    // The same run's next frame (a live run grows): still hidden.
    filter.setTrace(three_tasks());
    EXPECT_EQ(filter.rows(), (std::vector<int> { 0, 1 }));
    // Another run: every task again.
    filter.setTrace(three_tasks("2024-01-02"));
    EXPECT_EQ(filter.rows(), (std::vector<int> { 0, 1, 2 }));
    filter.hide(0);
    filter.setTrace(nullptr);
    EXPECT_TRUE(filter.rows().empty());
    EXPECT_EQ(filter.shown(), nullptr);
    filter.setTrace(three_tasks("2024-01-02"));
    EXPECT_EQ(filter.rows(), (std::vector<int> { 0, 1, 2 }));
}
