// The kernel's view: parsers and the overlay on recorded data (exact expectations), then live
// runs under both sources asserting properties of what was recorded, never a wall-clock budget.
#include "core/kernel/cpu_sampler.h"
#include "core/kernel/monitor.h"
#include "core/kernel/overlay.h"
#include "core/base/machine_info.h"
#include "core/kernel/sampled_layout.h"
#include "core/kernel/switch_log.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>
#include <fstream>

using namespace timeslice;

namespace {

constexpr Nanos ms = kNanosPerMilli;

Span span(Nanos start, Nanos end, State state, std::int32_t tid = 7)
{
    return Span { start * ms, end * ms, 1, tid, -1, state };
}

KernelSlice slice(Nanos start, Nanos end, CpuState state, int core = -1)
{
    return KernelSlice { start * ms, end * ms, std::int16_t(core), state };
}

// One task, running 0..10 ms on thread 7, which the kernel had on core 0, preempted, on core 1.
Trace one_task_trace(const std::string& model = "threads")
{
    Trace t;
    t.info.model = model;
    t.info.cores = 2;
    TaskTrace task;
    task.name = "A";
    task.spans = { span(0, 10, State::Running), span(10, 14, State::GilWait) };
    t.tasks.push_back(task);
    t.cpu = { CpuSample { 5 * ms, { 100, 100 }, 100, {}, -1 }, CpuSample { 15 * ms, { 100, 100 }, 100, {}, -1 } };
    return t;
}

KernelRecord one_thread_record()
{
    KernelRecord r;
    r.source = KernelSource::Exact;
    r.note = "kernel data: exact";
    r.threads.push_back(ThreadKernel { 1, 7,
        { slice(0, 3, CpuState::OnCore, 0), slice(3, 5, CpuState::Preempted), slice(5, 8, CpuState::OnCore, 1),
            slice(8, 9, CpuState::Blocked), slice(9, 11, CpuState::OnCore, 1), slice(11, 14, CpuState::Blocked) }, {} });
    return r;
}

// What a live run of `tasks` compute threads without the GIL recorded, and the trace.
struct LiveRun {
    std::shared_ptr<const Trace> trace;
    KernelRecord record;
    // The most the hypervisor can have taken from this machine's cores during the run: /proc/stat
    // counts stolen time in whole ticks, so one tick more than it moved by.
    Nanos stolen_at_most = 0;
};

std::uint64_t steal_ticks()
{
    std::ifstream in("/proc/stat");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::vector<CpuTimes> times = parse_proc_stat(text);
    return times.empty() ? 0 : times[0].steal;
}

LiveRun run_square_numbers(KernelMode mode, ModelKind model, int tasks, bool gil = false, Nanos switch_interval = 5 * kNanosPerMilli)
{
    RunConfig c = test::config("square-numbers", model);
    c.workload_options.tasks = tasks;
    c.workload_options.iterations = 60'000'000;
    c.model_options.gil = gil;
    c.model_options.switch_interval = switch_interval;
    c.model_options.workers = tasks;
    c.kernel.mode = mode;
    const std::uint64_t steal_before = steal_ticks();
    Runner runner(c);
    runner.start();
    runner.wait();
    const Nanos tick = kNanosPerSecond / sysconf(_SC_CLK_TCK);
    return LiveRun { runner.snapshot(), runner.kernel_record(), Nanos(steal_ticks() - steal_before + 1) * tick };
}

bool exact_available()
{
    KernelMonitor probe(KernelOptions { KernelMode::Exact, kNanosPerMilli, false, false });
    return probe.source() == KernelSource::Exact;
}

bool sampled_available()
{
    KernelMonitor probe(KernelOptions { KernelMode::Sampled, kNanosPerMilli, false, false });
    return probe.source() == KernelSource::Sampled;
}

// More compute threads than cores, so the OS must time-slice them.
int oversubscribed() { return std::clamp(2 * online_cores(), 4, 16); }

// The sampled source's record lists where a busy machine kept its reader late: inside such a gap
// the layout is only as fine as the gap. Thread `tid`'s late gaps, in time order.
const std::vector<ReadGap>& late_gaps_of(const KernelRecord& record, std::int32_t tid)
{
    static const std::vector<ReadGap> none;
    for (const ThreadKernel& thread : record.threads) {
        if (thread.tid == tid)
            return thread.long_gaps;
    }
    return none;
}

// How long the late gap around `t` is in thread `tid`, or 0.
Nanos late_gap_at(const KernelRecord& record, std::int32_t tid, Nanos t)
{
    for (const ReadGap& gap : late_gaps_of(record, tid)) {
        if (gap.start <= t && t <= gap.end)
            return gap.end - gap.start;
    }
    return 0;
}

// On a virtual machine the kernel's time on a core includes what the hypervisor stole (the
// thread's CPU time leaves it out): the record may exceed the CPU time by that much, never fall
// short of it.
void expect_time_slicing(const LiveRun& run, Nanos tolerance)
{
    const Trace& trace = *run.trace;
    const KernelRecord& record = run.record;
    ASSERT_TRUE(trace.complete);
    Nanos total_on_core = 0;
    for (const TaskTrace& task : trace.tasks) {
        ASSERT_EQ(task.status, State::Done) << task.name;
        ASSERT_TRUE(task.kernel) << task.name << ": no kernel data for its thread";
        ASSERT_GT(task.cpu_time, 0) << task.name;
        const double cpu = double(task.cpu_time);
        const Nanos late = late_gap_at(record, task.tid, task.started) + late_gap_at(record, task.tid, task.finished);
        const double within = 0.05 * cpu + double(tolerance + late);
        EXPECT_GE(double(task.kernel->on_core), cpu - within) << task.name;
        EXPECT_LE(double(task.kernel->on_core), cpu + within + double(run.stolen_at_most)) << task.name;
        EXPECT_GT(task.kernel->preempted, 0) << task.name << ": more threads than cores, yet never kept off a core";
        // A switch out counted as a preemption needs the switch itself: the sampled source lays an
        // interval out from counters that move at scheduler ticks, so a compute thread may show a
        // sliver of "blocked" (up to a tick) where the queue came, which counts as a switch instead.
        if (trace.kernel.source == KernelSource::Exact) {
            EXPECT_GE(task.kernel->preemptions, 1u) << task.name;
        } else {
            EXPECT_GE(task.kernel->switches, 1u) << task.name;
        }
        EXPECT_GT(task.time_in(State::Preempted), 0) << task.name << ": no preempted span drawn";
        total_on_core += task.kernel->on_core;
    }
    EXPECT_LE(total_on_core, Nanos(trace.info.cores) * trace.info.makespan + tolerance);
    // No two tasks on one core at once, from either source: the sampled one lays each reading out
    // so that it fits (sampled_layout.h).
    EXPECT_EQ(test::core_lane_overlap(trace), "");
}

} // namespace

TEST(KernelParse, SchedstatAndTaskStat)
{
    const auto s = parse_schedstat("123456 789 42\n");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->on_core, 123456u);
    EXPECT_EQ(s->queued, 789u);
    EXPECT_EQ(s->slices, 42u);
    EXPECT_FALSE(parse_schedstat("12 x 3"));
    EXPECT_FALSE(parse_schedstat(""));

    // A thread name with spaces and parentheses; the processor is field 39.
    std::string stat = "4242 (we (ird) name) R 1";
    for (int field = 5; field <= 38; ++field)
        stat += " " + std::to_string(field);
    stat += " 3 0 0 0\n";
    const auto st = parse_proc_task_stat(stat);
    ASSERT_TRUE(st);
    EXPECT_EQ(st->state, 'R');
    EXPECT_EQ(st->core, 3);
    EXPECT_FALSE(parse_proc_task_stat("4242 (short) S 1 2"));
    EXPECT_FALSE(parse_proc_task_stat("no parenthesis"));
}

TEST(KernelParse, NamesOfSourcesAndModes)
{
    for (KernelSource s : { KernelSource::None, KernelSource::Sampled, KernelSource::Exact })
        EXPECT_EQ(kernel_source_from_name(kernel_source_name(s)), s);
    for (KernelMode m : { KernelMode::Auto, KernelMode::Exact, KernelMode::Sampled, KernelMode::Off })
        EXPECT_EQ(kernel_mode_from_name(kernel_mode_name(m)), m);
    EXPECT_FALSE(kernel_mode_from_name("perf"));
}

TEST(KernelSampled, EachIntervalIsLaidOutInProportionAndContinuesTheLast)
{
    CoreOccupancy cores;
    std::vector<KernelSlice> out;
    EXPECT_EQ(lay_out_sample(out, cores, 0, ms, ms / 2, ms / 4, 1), 0);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0], (KernelSlice { 0, ms / 2, 1, CpuState::OnCore }));
    EXPECT_EQ(out[1], (KernelSlice { ms / 2, 3 * ms / 4, -1, CpuState::Preempted }));
    EXPECT_EQ(out[2], (KernelSlice { 3 * ms / 4, ms, -1, CpuState::Blocked }));
    // Asleep the whole next interval: the blocked slice grows instead of a new one.
    lay_out_sample(out, cores, ms, 2 * ms, 0, 0, 1);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[2].end, 2 * ms);
    // Counters that move by more than the interval (the kernel counts a running thread's time
    // at its ticks, and run-queue time when the wait ends) give the rest back to the time laid
    // out as off a core before it; the total stays what schedstat counted, up to what fits.
    // Of 3 ms counted: 1 ms now, 1.5 ms given back to where it was asleep, and 0.5 ms that finds
    // no room (its first half-millisecond was already on a core) is returned, not drawn.
    EXPECT_EQ(lay_out_sample(out, cores, 2 * ms, 3 * ms, 3 * ms, 0, 0), ms / 2);
    Nanos on = 0, off = 0;
    for (const KernelSlice& k : out)
        (k.state == CpuState::OnCore ? on : off) += k.end - k.start;
    EXPECT_EQ(on, 3 * ms);
    EXPECT_EQ(off, 0);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0], (KernelSlice { 0, ms / 2, 1, CpuState::OnCore }));
    EXPECT_EQ(out[1], (KernelSlice { ms / 2, 3 * ms, 0, CpuState::OnCore }));
}

TEST(KernelSampled, AnotherThreadsTimeOnTheCoreComesFirstAndNothingSharesACore)
{
    CoreOccupancy cores;
    cores.reserve_cores(2);
    std::vector<KernelSlice> first, second;
    lay_out_sample(first, cores, 0, ms, ms / 2, 0, 0);
    // The second thread also last ran on core 0: its half follows the first one's.
    lay_out_sample(second, cores, 0, ms, ms / 2, ms / 4, 0);
    ASSERT_EQ(second.size(), 3u);
    EXPECT_EQ(second[0], (KernelSlice { 0, ms / 4, -1, CpuState::Preempted }));
    EXPECT_EQ(second[1], (KernelSlice { ms / 4, ms / 2, -1, CpuState::Blocked }));
    EXPECT_EQ(second[2], (KernelSlice { ms / 2, ms, 0, CpuState::OnCore }));
    // A third one that counted 3/4 of the interval on core 0, which is full: it migrated, and
    // its time goes to core 1, where it is free.
    std::vector<KernelSlice> third;
    EXPECT_EQ(lay_out_sample(third, cores, 0, ms, 3 * ms / 4, 0, 0), 0);
    ASSERT_EQ(third.size(), 2u);
    EXPECT_EQ(third[0], (KernelSlice { 0, 3 * ms / 4, 1, CpuState::OnCore }));
    // A fourth finds no core free for half its time: that half is counted, not drawn.
    std::vector<KernelSlice> fourth;
    EXPECT_EQ(lay_out_sample(fourth, cores, 0, ms, ms / 2, 0, 1), ms / 4);
    ASSERT_EQ(fourth.size(), 2u);
    EXPECT_EQ(fourth[0], (KernelSlice { 0, 3 * ms / 4, -1, CpuState::Blocked }));
    EXPECT_EQ(fourth[1], (KernelSlice { 3 * ms / 4, ms, 1, CpuState::OnCore }));
}

// Readings of many threads, with counters that run ahead of the interval, migrate and overfill
// the cores: whatever the counters say, no core ever holds two threads at once, no thread is on
// two cores at once, each thread's slices tile its time, and every nanosecond counted on a core
// is either drawn or reported as unplaced.
TEST(KernelSampled, NoLayoutEverPutsTwoThreadsOnOneCore)
{
    std::uint64_t seed = 42;
    const auto next = [&seed](std::uint64_t n) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return (seed >> 33) % n;
    };
    for (int round = 0; round < 50; ++round) {
        constexpr int kCores = 3;
        const int threads = 2 + int(next(6));
        CoreOccupancy cores;
        cores.reserve_cores(kCores);
        std::vector<std::vector<KernelSlice>> out(static_cast<std::size_t>(threads));
        Nanos counted = 0, unplaced = 0;
        Nanos t = 0;
        for (int reading = 0; reading < 60; ++reading) {
            const Nanos step = Nanos(1 + next(3)) * ms;
            for (int k = 0; k < threads; ++k) {
                const Nanos on = Nanos(next(std::uint64_t(step + 2 * ms)));
                const Nanos queued = Nanos(next(std::uint64_t(step)));
                counted += on;
                unplaced += lay_out_sample(out[std::size_t(k)], cores, t, t + step, on, queued, int(next(kCores)));
            }
            t += step;
            cores.forget_before(t - 2 * kBackFillWindow);
        }
        Nanos drawn = 0;
        std::vector<std::vector<std::pair<Nanos, Nanos>>> lanes(kCores);
        for (const auto& slices : out) {
            ASSERT_FALSE(slices.empty());
            EXPECT_EQ(slices.front().start, 0);
            EXPECT_EQ(slices.back().end, t);
            for (std::size_t i = 0; i < slices.size(); ++i) {
                EXPECT_LT(slices[i].start, slices[i].end);
                if (i > 0) {
                    EXPECT_EQ(slices[i - 1].end, slices[i].start) << "round " << round;
                }
                if (slices[i].state == CpuState::OnCore) {
                    ASSERT_GE(slices[i].core, 0);
                    ASSERT_LT(slices[i].core, kCores);
                    lanes[std::size_t(slices[i].core)].emplace_back(slices[i].start, slices[i].end);
                    drawn += slices[i].end - slices[i].start;
                } else {
                    EXPECT_EQ(slices[i].core, -1);
                }
            }
        }
        EXPECT_EQ(drawn + unplaced, counted) << "round " << round;
        for (auto& lane : lanes) {
            std::sort(lane.begin(), lane.end());
            for (std::size_t i = 1; i < lane.size(); ++i)
                ASSERT_LE(lane[i - 1].second, lane[i].first) << "round " << round << ": two threads on one core";
        }
    }
}

namespace {
// A thread watched from `from`, when /proc said `before`, its records kept from `armed` on.
SwitchLog watched(Nanos from, CpuState before, Nanos armed)
{
    SwitchLog log;
    log.open_start = from;
    log.before_first = before;
    log.armed = armed;
    return log;
}
} // namespace

// Thread B leaves core 1 at 170; thread A is switched in there at 172, while it is being
// watched: /proc said runnable at 100, its ring was mapped at 175 (the kernel keeps no record
// before), and its first record is a switch out at 200. A was on core 1 since a moment no record
// tells: drawn there only from 175.
TEST(KernelSwitches, AThreadFirstSeenSwitchingOutIsOnItsCoreOnlySinceItsRecordsWereKept)
{
    SwitchLog b = watched(0, CpuState::Blocked, 0);
    b.on_switch(150, false, false, 1);
    b.on_switch(170, true, false, 1);

    SwitchLog a = watched(100, CpuState::Preempted, 175);
    a.on_switch(200, true, true, 1);
    a.on_switch(300, false, false, 0);
    a.close_open(400, *a.open_state, a.open_core);
    EXPECT_EQ(a.slices,
        (std::vector<KernelSlice> { { 100, 175, -1, CpuState::Preempted }, { 175, 200, 1, CpuState::OnCore },
            { 200, 300, -1, CpuState::Preempted }, { 300, 400, 0, CpuState::OnCore } }));
    for (const KernelSlice& x : a.slices) {
        for (const KernelSlice& y : b.slices) {
            if (x.state == CpuState::OnCore && y.state == CpuState::OnCore && x.core == y.core) {
                EXPECT_TRUE(x.end <= y.start || y.end <= x.start) << x.start << " and " << y.start;
            }
        }
    }

    // Switched out before the mapping's time was read: no time on a core is claimed for it.
    SwitchLog early = watched(100, CpuState::Blocked, 175);
    early.on_switch(160, true, false, 1);
    EXPECT_EQ(early.slices, (std::vector<KernelSlice> { { 100, 160, -1, CpuState::Blocked } }));

    // A first record that is a switch in: off every core until it, as /proc said.
    SwitchLog in = watched(100, CpuState::Preempted, 175);
    in.on_switch(180, false, false, 0);
    in.on_switch(190, true, false, 0);
    EXPECT_EQ(in.slices,
        (std::vector<KernelSlice> { { 100, 180, -1, CpuState::Preempted }, { 180, 190, 0, CpuState::OnCore } }));

    // An exit ends the slice it was in (no switch out comes), and nothing is open after it.
    SwitchLog ends = watched(100, CpuState::Blocked, 100);
    ends.on_switch(150, false, false, 1);
    ends.on_exit(170);
    EXPECT_FALSE(ends.open_state);
    EXPECT_EQ(ends.slices,
        (std::vector<KernelSlice> { { 100, 150, -1, CpuState::Blocked }, { 150, 170, 1, CpuState::OnCore } }));
    // An exit before any record: as /proc said, the smaller claim.
    SwitchLog quiet = watched(100, CpuState::Preempted, 100);
    quiet.on_exit(130);
    EXPECT_EQ(quiet.slices, (std::vector<KernelSlice> { { 100, 130, -1, CpuState::Preempted } }));
}

TEST(KernelView, SplitsRunningWhereTheThreadWasOffACoreAndCountsWhatHappened)
{
    Trace t = one_task_trace();
    apply_kernel(t, one_thread_record());
    const auto& spans = t.tasks[0].spans;
    ASSERT_EQ(spans.size(), 6u);
    EXPECT_EQ(spans[0], (Span { 0, 3 * ms, 1, 7, 0, State::Running }));
    EXPECT_EQ(spans[1], (Span { 3 * ms, 5 * ms, 1, 7, -1, State::Preempted }));
    EXPECT_EQ(spans[2], (Span { 5 * ms, 8 * ms, 1, 7, 1, State::Running }));
    EXPECT_EQ(spans[3], (Span { 8 * ms, 9 * ms, 1, 7, -1, State::Blocked }));
    EXPECT_EQ(spans[4], (Span { 9 * ms, 10 * ms, 1, 7, 1, State::Running }));
    EXPECT_EQ(spans[5].state, State::GilWait); // kept: the model's word for a GIL wait

    ASSERT_TRUE(t.tasks[0].kernel);
    const KernelStats& k = *t.tasks[0].kernel;
    EXPECT_EQ(k.on_core, 8 * ms); // 3 + 3 + 1 while running, and 1 inside the GIL wait
    EXPECT_EQ(k.preempted, 2 * ms);
    EXPECT_EQ(k.blocked, 1 * ms + 3 * ms); // inside running, and the GIL wait asleep
    EXPECT_EQ(k.switches, 3u); // off at 3, 8 and 11
    EXPECT_EQ(k.preemptions, 1u);
    EXPECT_EQ(k.migrations, 1u); // core 0 to core 1

    // The GIL wait from 10 to 14 had the thread on a core 10..11: a disagreement, counted.
    EXPECT_EQ(t.kernel.gil_wait, 4 * ms);
    EXPECT_EQ(t.kernel.gil_wait_on_core, 1 * ms);
    EXPECT_EQ(t.kernel.source, KernelSource::Exact);

    // The Cores view: the running pieces, by core.
    ASSERT_EQ(t.cores.size(), 3u);
    EXPECT_EQ(t.cores[0], (CoreSpan { 0, 3 * ms, 0, 0 }));
    EXPECT_EQ(t.cores[1], (CoreSpan { 5 * ms, 8 * ms, 0, 1 }));
    EXPECT_EQ(t.cores[2], (CoreSpan { 9 * ms, 10 * ms, 0, 1 })); // only while running: not the GIL wait's
}

TEST(KernelView, TheRunsOwnCpuIsItsThreadsTimeOnEachCore)
{
    Trace t = one_task_trace();
    apply_kernel(t, one_thread_record());
    ASSERT_EQ(t.cpu.size(), 2u);
    // 0..5 ms: core 0 busy 3 ms of 5; core 1 idle. 5..15 ms: core 1 busy 3 + 2 of 10.
    ASSERT_EQ(t.cpu[0].own_per_core.size(), 2u);
    EXPECT_FLOAT_EQ(t.cpu[0].own_per_core[0], 60.f);
    EXPECT_FLOAT_EQ(t.cpu[0].own_per_core[1], 0.f);
    EXPECT_FLOAT_EQ(t.cpu[1].own_per_core[0], 0.f);
    EXPECT_FLOAT_EQ(t.cpu[1].own_per_core[1], 50.f);
    EXPECT_FLOAT_EQ(t.cpu[1].own_total, 25.f);
    // The machine's figures stay as /proc/stat gave them.
    EXPECT_FLOAT_EQ(t.cpu[1].total, 100.f);
}

TEST(KernelView, TimeTheKernelDidNotWatchKeepsTheModelsState)
{
    Trace t = one_task_trace();
    KernelRecord r = one_thread_record();
    r.threads[0].slices.erase(r.threads[0].slices.begin(), r.threads[0].slices.begin() + 2); // from 5 ms on
    apply_kernel(t, r);
    EXPECT_EQ(t.tasks[0].spans[0], (Span { 0, 5 * ms, 1, 7, -1, State::Running }));
    // An other thread's record changes nothing.
    Trace u = one_task_trace();
    r.threads[0].tid = 8;
    apply_kernel(u, r);
    EXPECT_EQ(u.tasks[0].spans, one_task_trace().tasks[0].spans);
    EXPECT_FALSE(u.tasks[0].kernel);
    EXPECT_TRUE(u.cores.empty());
}

TEST(KernelView, WithoutKernelDataNothingIsInvented)
{
    Trace t = one_task_trace();
    KernelRecord none;
    none.note = "kernel data: none (refused)";
    apply_kernel(t, none);
    EXPECT_EQ(t.tasks[0].spans, one_task_trace().tasks[0].spans);
    EXPECT_FALSE(t.tasks[0].kernel);
    EXPECT_TRUE(t.cores.empty());
    EXPECT_EQ(t.kernel.source, KernelSource::None);
    EXPECT_EQ(t.kernel.note, "kernel data: none (refused)");
    EXPECT_TRUE(t.cpu[0].own_per_core.empty());
    EXPECT_EQ(t.cpu[0].own_total, -1.f);
}

TEST(KernelView, UnderAsyncOnlyATasksRunningSpansAreItsOwn)
{
    Trace t = one_task_trace("async");
    t.tasks[0].spans[1].state = State::Waiting; // the loop thread sleeps for everyone
    apply_kernel(t, one_thread_record(), false);
    ASSERT_TRUE(t.tasks[0].kernel);
    EXPECT_EQ(t.tasks[0].kernel->on_core, 7 * ms); // 3 + 3 + 1 within its running span only
    EXPECT_EQ(t.kernel.waiting, 0); // an async wait is not its thread's
}

// An event loop's thread runs 400 tasks twice each: first in task order, then resumed in the
// reverse order, while the kernel moves it between two cores every 3 us. Each core's spans come
// out of the rows out of time order, over a range far wider than one pass of the sort; the
// snapshot's scratch memory is used twice, for two different traces.
TEST(KernelView, CoreSpansAreEachRowsRunningPiecesSortedByCoreThenStart)
{
    constexpr int kTasks = 400;
    constexpr Nanos us = 1000;
    Trace t;
    t.info.model = "async";
    t.info.cores = 2;
    for (int i = 0; i < kTasks; ++i) {
        TaskTrace task;
        task.name = "T" + std::to_string(i);
        const Nanos first = i * 10 * us;
        const Nanos second = 5 * ms + (kTasks - 1 - i) * 10 * us;
        task.spans = { Span { first, first + 5 * us, 1, 7, -1, State::Running },
            Span { first + 5 * us, second, 1, 7, -1, State::Waiting }, Span { second, second + 5 * us, 1, 7, -1, State::Running } };
        t.tasks.push_back(task);
    }
    KernelRecord r;
    r.source = KernelSource::Exact;
    ThreadKernel loop { 1, 7, {}, {} };
    for (Nanos at = 0; at < 10 * ms; at += 3 * us)
        loop.slices.push_back(KernelSlice { at, at + 3 * us, std::int16_t((at / (3 * us)) % 2), CpuState::OnCore });
    r.threads.push_back(loop);

    OverlayScratch scratch;
    Trace other = one_task_trace();
    apply_kernel(other, one_thread_record(), true, scratch);
    apply_kernel(t, r, false, scratch);

    std::vector<CoreSpan> expected;
    for (std::size_t i = 0; i < t.tasks.size(); ++i) {
        for (const Span& s : t.tasks[i].spans) {
            if (s.state == State::Running && s.core >= 0)
                expected.push_back(CoreSpan { s.start, s.end, std::uint32_t(i), s.core });
        }
    }
    ASSERT_GE(expected.size(), std::size_t(kTasks) * 2 * 2); // each 5 us run is split in 2 or 3 pieces
    std::sort(expected.begin(), expected.end(),
        [](const CoreSpan& a, const CoreSpan& b) { return std::tie(a.core, a.start) < std::tie(b.core, b.start); });
    EXPECT_EQ(t.cores, expected);
    // The same trace made without the scratch memory is the same.
    Trace again = one_task_trace();
    apply_kernel(again, one_thread_record());
    EXPECT_EQ(other, again);
}

TEST(KernelLive, FourComputeThreadsOnFewerCoresAreTimeSlicedByTheOs)
{
    if (!exact_available())
        GTEST_SKIP() << "perf_event_open is refused here; the sampled test covers this machine";
    const LiveRun run = run_square_numbers(KernelMode::Exact, ModelKind::Threads, oversubscribed());
    EXPECT_EQ(run.trace->kernel.source, KernelSource::Exact);
    expect_time_slicing(run, 0);
}

// The sampled source reads every millisecond, but a running thread's counter moves at scheduler
// ticks (4 ms at HZ=250, 10 ms at HZ=100) and its last tick before it exits is never read.
TEST(KernelLive, SampledForcedShowsTheSameWithinATick)
{
    if (!sampled_available())
        GTEST_SKIP() << "/proc/<pid>/task/<tid>/schedstat is unreadable here";
    const LiveRun run = run_square_numbers(KernelMode::Sampled, ModelKind::Threads, oversubscribed());
    EXPECT_EQ(run.trace->kernel.source, KernelSource::Sampled);
    expect_time_slicing(run, 10 * ms);
}

TEST(KernelLive, GilWaitsAreSpentOffTheCores)
{
    for (KernelMode mode : { KernelMode::Exact, KernelMode::Sampled }) {
        if (mode == KernelMode::Exact ? !exact_available() : !sampled_available())
            continue;
        // Turns of 20 ms: each wait is long beside the sampled source's uncertainty at its ends.
        const LiveRun run = run_square_numbers(mode, ModelKind::Threads, 2, true, 20 * ms);
        const KernelSummary& k = run.trace->kernel;
        ASSERT_GT(k.gil_wait, 0) << kernel_mode_name(mode);
        // The sampled source lays each interval between two reads out on-core first, so near
        // each end of a wait up to that interval may be drawn on a core: two milliseconds at the
        // 1 ms interval, or the whole gap where a busy machine kept the reader off a core (the
        // record lists those gaps). Load can widen that allowance; it cannot make it wrong.
        Nanos slack = 0;
        if (mode == KernelMode::Sampled) {
            for (const TaskTrace& task : run.trace->tasks) {
                const auto uncertainty_at = [&](Nanos t) { return std::max(2 * ms, late_gap_at(run.record, task.tid, t)); };
                for (const Span& s : task.spans) {
                    if (s.state == State::GilWait)
                        slack += uncertainty_at(s.start) + uncertainty_at(s.end);
                }
            }
        }
        // So busy that the reads were further apart than the waits are long: this run cannot
        // tell (the exact source, when allowed, has been checked above).
        if (slack > k.gil_wait / 2)
            GTEST_SKIP() << "the sampled reads came too late to tell (" << slack / ms << " ms of " << k.gil_wait / ms
                         << " ms of GIL waits uncertain)";
        EXPECT_LE(double(k.gil_wait_on_core), 0.10 * double(k.gil_wait) + double(slack)) << kernel_mode_name(mode);
    }
}

TEST(KernelLive, AWorkerProcesssTimeOnACoreLiesInsideItsTasksRunningSpans)
{
    if (!exact_available())
        GTEST_SKIP() << "perf_event_open is refused here";
    const LiveRun run = run_square_numbers(KernelMode::Exact, ModelKind::Processes, 2);
    for (const TaskTrace& task : run.trace->tasks) {
        ASSERT_EQ(task.status, State::Done);
        ASSERT_TRUE(task.kernel) << task.name;
        EXPECT_GT(task.kernel->on_core, 0);
        // The worker's on-core time between its task's first running moment and its end lies
        // in the task's running spans: the worker's clock and the kernel's line up.
        const auto thread = std::find_if(run.record.threads.begin(), run.record.threads.end(),
            [&](const ThreadKernel& t) { return t.tid == task.tid; });
        ASSERT_NE(thread, run.record.threads.end()) << task.name;
        Nanos first_running = -1;
        Nanos inside = 0, total = 0;
        for (const Span& s : task.spans) {
            if (s.state == State::Running && first_running < 0)
                first_running = s.start;
        }
        ASSERT_GE(first_running, 0);
        for (const KernelSlice& k : thread->slices) {
            if (k.state != CpuState::OnCore)
                continue;
            const Nanos a = std::max(k.start, first_running), b = std::min(k.end, task.finished);
            if (b <= a)
                continue;
            total += b - a;
            for (const Span& s : task.spans) {
                if (s.state == State::Running)
                    inside += std::max<Nanos>(0, std::min(b, s.end) - std::max(a, s.start));
            }
        }
        EXPECT_GT(total, 0);
        EXPECT_GE(double(inside), 0.95 * double(total)) << task.name;
    }
}

// A thread that ends without being unwatched (a Python thread, a worker process): the kernel
// records no last switch out, but it records the exit. Its last slice on a core ends there, not
// when the reader noticed (a busy machine keeps the reader late). The kernel records the exit
// before it lets the thread's /proc entry go, so no load can put the end past that moment.
TEST(KernelLive, AThreadThatEndsUnwatchedLeavesItsCoreWhenItExited)
{
    if (!exact_available())
        GTEST_SKIP() << "perf_event_open is refused here";
    KernelMonitor monitor(KernelOptions { KernelMode::Exact, kNanosPerMilli, false, false });
    const Nanos origin = monotonic_now();
    monitor.start(origin);
    constexpr int kThreads = 8;
    std::vector<std::int32_t> tids(kThreads, 0);
    std::vector<Nanos> gone(kThreads, 0);
    for (int i = 0; i < kThreads; ++i) {
        std::atomic<std::int32_t> tid { 0 };
        std::thread thread([&] {
            tid = std::int32_t(gettid());
            monitor.watch(getpid(), tid);
            // On a core until it returns: it exits running.
            const Nanos until = thread_cpu_now() + 5 * ms;
            while (thread_cpu_now() < until) { }
        });
        thread.join();
        tids[std::size_t(i)] = tid;
        const std::string entry = "/proc/self/task/" + std::to_string(tid);
        while (std::filesystem::exists(entry))
            std::this_thread::yield();
        gone[std::size_t(i)] = monotonic_now() - origin;
    }
    monitor.stop();
    const KernelRecord record = monitor.snapshot();
    for (int i = 0; i < kThreads; ++i) {
        SCOPED_TRACE("thread " + std::to_string(i));
        const auto t = std::find_if(record.threads.begin(), record.threads.end(),
            [&](const ThreadKernel& k) { return k.tid == tids[std::size_t(i)]; });
        ASSERT_NE(t, record.threads.end());
        ASSERT_FALSE(t->slices.empty());
        const KernelSlice& last = t->slices.back();
        EXPECT_EQ(last.state, CpuState::OnCore);
        EXPECT_GE(last.core, 0);
        EXPECT_LE(last.end, gone[std::size_t(i)]) << "its last slice outlived the thread";
    }
}

TEST(KernelLive, WhenBothSourcesAreRefusedTheRunWorksAndSaysNone)
{
    RunConfig c = test::config("square-numbers", ModelKind::Threads);
    c.workload_options.tasks = 2;
    c.workload_options.iterations = 1'000'000;
    c.kernel.mode = KernelMode::Auto;
    c.kernel.refuse_exact = true;
    c.kernel.refuse_sampled = true;
    const auto trace = run_to_end(c);
    ASSERT_TRUE(trace->complete);
    EXPECT_EQ(trace->kernel.source, KernelSource::None);
    EXPECT_NE(trace->kernel.note.find("none"), std::string::npos) << trace->kernel.note;
    EXPECT_NE(trace->kernel.note.find("simulated"), std::string::npos) << trace->kernel.note;
    for (const TaskTrace& task : trace->tasks) {
        EXPECT_EQ(task.status, State::Done);
        EXPECT_FALSE(task.kernel);
        EXPECT_EQ(task.time_in(State::Preempted), 0);
    }
    EXPECT_TRUE(trace->cores.empty());
}

TEST(KernelLive, AutoFallsBackToSampledWhenPerfIsRefused)
{
    if (!sampled_available())
        GTEST_SKIP() << "no schedstat here";
    KernelMonitor m(KernelOptions { KernelMode::Auto, kNanosPerMilli, true, false });
    EXPECT_EQ(m.source(), KernelSource::Sampled);
    EXPECT_NE(m.note().find("perf_event_open refused"), std::string::npos) << m.note();
}

#ifdef TIMESLICE_EXAMPLES_DIR
// What the README shows and the tests read: no recorded trace draws two tasks on one core at once.
TEST(KernelView, NoRecordedTraceHasTwoSpansOnACoreLaneAtOnce)
{
    int traces = 0;
    for (const auto& entry : std::filesystem::directory_iterator(TIMESLICE_EXAMPLES_DIR)) {
        if (entry.path().extension() != ".json")
            continue;
        const Trace trace = test::example(entry.path().filename().string());
        EXPECT_EQ(test::core_lane_overlap(trace), "") << entry.path();
        ++traces;
    }
    EXPECT_GE(traces, 6);
}
#endif
