// The range selection's summary and the per-task statistics: pure functions of a trace, tested
// to the nanosecond.
#include "core/analysis/range_summary.h"
#include "core/analysis/task_stats.h"

#include <gtest/gtest.h>

using namespace timeslice;

namespace {

constexpr Nanos ms = kNanosPerMilli;

Span span(Nanos start, Nanos end, State state, std::int16_t core = -1) { return Span { start, end, 10, 11, core, state }; }

// Two threads under the GIL taking turns: A runs 0-10, waits for the GIL 10-20, runs 20-30;
// B waits for the GIL 0-10, runs 10-20, waits 20-30 (I/O).
Trace gil_trace()
{
    Trace t;
    t.info.gil = true;
    t.info.cores = 2;
    t.complete = true;
    TaskTrace a;
    a.name = "A";
    a.status = State::Done;
    a.started = 0;
    a.finished = 30 * ms;
    a.cpu_time = 20 * ms;
    a.spans = { span(0, 10 * ms, State::Running), span(10 * ms, 20 * ms, State::GilWait), span(20 * ms, 30 * ms, State::Running) };
    TaskTrace b;
    b.name = "B, the \"second\"";
    b.status = State::Done;
    b.started = 0;
    b.finished = 30 * ms;
    b.spans = { span(0, 10 * ms, State::GilWait), span(10 * ms, 20 * ms, State::Running), span(20 * ms, 30 * ms, State::Waiting) };
    t.tasks = { a, b };
    // The machine: 10 ms samples at 40 %, 60 %, 80 %.
    for (int i = 1; i <= 3; ++i) {
        CpuSample c;
        c.t = i * 10 * ms;
        c.total = float(20 + 20 * i);
        t.cpu.push_back(c);
    }
    return t;
}

} // namespace

TEST(RangeSummary, TimePerTaskAndStateInsideTheRange)
{
    const Trace t = gil_trace();
    const RangeSummary r = summarise_range(t, 5 * ms, 25 * ms);
    EXPECT_EQ(r.length(), 20 * ms);
    ASSERT_EQ(r.task_time.size(), 2u);
    const auto running = std::size_t(State::Running), gil = std::size_t(State::GilWait), waiting = std::size_t(State::Waiting);
    EXPECT_EQ(r.task_time[0][running], 10 * ms); // 5-10 and 20-25
    EXPECT_EQ(r.task_time[0][gil], 10 * ms);
    EXPECT_EQ(r.task_time[1][gil], 5 * ms);
    EXPECT_EQ(r.task_time[1][running], 10 * ms);
    EXPECT_EQ(r.task_time[1][waiting], 5 * ms);
    EXPECT_EQ(r.time_in_state[running], 20 * ms);
    EXPECT_EQ(r.time_in_state[gil], 15 * ms);
    EXPECT_EQ(r.time_in_state[waiting], 5 * ms);
    EXPECT_EQ(r.time_in_state[std::size_t(State::Queued)], 0);
}

TEST(RangeSummary, GilHandOversAreTheTurnsTakenInsideTheRange)
{
    const Trace t = gil_trace();
    EXPECT_EQ(summarise_range(t, 0, 30 * ms).gil_hand_overs, 2u); // B at 10, A at 20
    EXPECT_EQ(summarise_range(t, 5 * ms, 15 * ms).gil_hand_overs, 1u);
    EXPECT_EQ(summarise_range(t, 11 * ms, 20 * ms).gil_hand_overs, 0u) << "[start, end): A takes it at 20";
    EXPECT_EQ(summarise_range(t, 20 * ms, 21 * ms).gil_hand_overs, 1u);
    Trace no_gil = t;
    no_gil.info.gil = false;
    EXPECT_EQ(summarise_range(no_gil, 0, 30 * ms).gil_hand_overs, 0u);
}

TEST(RangeSummary, CpuUseIsWeightedByTheSamplesInside)
{
    Trace t = gil_trace();
    // 5-10 at 40 %, 10-20 at 60 %, 20-25 at 80 %: (5*40 + 10*60 + 5*80) / 20 = 60.
    RangeSummary r = summarise_range(t, 5 * ms, 25 * ms);
    EXPECT_DOUBLE_EQ(r.cpu_percent, 60.0);
    EXPECT_FALSE(r.cpu_is_own);
    // 0-10 alone: 40 %.
    EXPECT_DOUBLE_EQ(summarise_range(t, 0, 10 * ms).cpu_percent, 40.0);
    // Past the last sample: nothing measured.
    EXPECT_EQ(summarise_range(t, 40 * ms, 50 * ms).cpu_percent, -1);
    // With the run's own use (kernel data), that is what counts.
    for (CpuSample& c : t.cpu)
        c.own_total = 10;
    r = summarise_range(t, 5 * ms, 25 * ms);
    EXPECT_DOUBLE_EQ(r.cpu_percent, 10.0);
    EXPECT_TRUE(r.cpu_is_own);
}

TEST(RangeSummary, ReversedEmptyAndOutsideRangesGiveZerosNotCrashes)
{
    const Trace t = gil_trace();
    const RangeSummary reversed = summarise_range(t, 25 * ms, 5 * ms);
    EXPECT_EQ(reversed.start, 5 * ms);
    EXPECT_EQ(reversed.end, 25 * ms);
    EXPECT_EQ(reversed.time_in_state, summarise_range(t, 5 * ms, 25 * ms).time_in_state);
    const RangeSummary empty = summarise_range(t, 7 * ms, 7 * ms);
    EXPECT_EQ(empty.length(), 0);
    for (Nanos n : empty.time_in_state)
        EXPECT_EQ(n, 0);
    EXPECT_EQ(empty.cpu_percent, -1);
    const RangeSummary none = summarise_range(Trace {}, -5, 5);
    EXPECT_TRUE(none.task_time.empty());
}

TEST(TaskStats, OneRowPerTaskWithTimePerStateAndCpu)
{
    const Trace t = gil_trace();
    const auto rows = task_stats(t);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].name, "A");
    EXPECT_EQ(rows[0].time_in_state[std::size_t(State::Running)], 20 * ms);
    EXPECT_EQ(rows[0].time_in_state[std::size_t(State::GilWait)], 10 * ms);
    EXPECT_EQ(rows[0].cpu, 20 * ms);
    EXPECT_EQ(rows[1].cpu, -1);
    EXPECT_EQ(rows[1].end, 30 * ms);
}

TEST(TaskStats, CsvHasAHeaderAndQuotesNames)
{
    const std::string csv = task_stats_csv(gil_trace());
    EXPECT_EQ(csv,
        "task,status,pid,tid,start_s,end_s,queued_s,starting_s,running_s,waiting_s,gil-wait_s,ready_s,preempted_s,blocked_s,cpu_s\n"
        "A,done,0,0,0.000000000,0.030000000,0.000000000,0.000000000,0.020000000,0.000000000,0.010000000,0.000000000,"
        "0.000000000,0.000000000,0.020000000\n"
        "\"B, the \"\"second\"\"\",done,0,0,0.000000000,0.030000000,0.000000000,0.000000000,0.010000000,0.010000000,"
        "0.010000000,0.000000000,0.000000000,0.000000000,\n");
}
