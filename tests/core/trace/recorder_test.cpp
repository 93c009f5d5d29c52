#include "core/trace/recorder.h"
#include "core/trace/trace.h"
#include "core/trace/trace_recycler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

using namespace timeslice;

TEST(Recorder, CollectsEveryEventFromManyWritersWhileTheyWrite)
{
    Recorder recorder;
    constexpr int kThreads = 4;
    constexpr int kPerThread = 50'000;
    std::vector<Lane*> lanes;
    for (int i = 0; i < kThreads; ++i)
        lanes.push_back(&recorder.make_lane(WorkerId { 1, i }));
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([lane = lanes[std::size_t(i)], i] {
            for (int k = 0; k < kPerThread; ++k)
                lane->record(LaneEvent { Nanos(k), std::uint32_t(i), State::Running, {}, 0 });
        });
    }
    // Read while the writers write: every event seen must be whole and in lane order.
    RecorderCursor cursor;
    std::vector<Event> seen;
    for (int round = 0; round < 100; ++round)
        recorder.collect(cursor, seen);
    for (auto& t : threads)
        t.join();
    recorder.collect(cursor, seen);
    ASSERT_EQ(seen.size(), std::size_t(kThreads * kPerThread));
    std::vector<Nanos> next(kThreads, 0);
    for (const Event& e : seen) {
        ASSERT_LT(e.task, std::uint32_t(kThreads));
        EXPECT_EQ(e.pid, 1);
        EXPECT_EQ(e.tid, std::int32_t(e.task));
        EXPECT_EQ(e.t, next[e.task]++);
    }
    EXPECT_EQ(recorder.event_count(), seen.size());
}

TEST(Recorder, EventsKnowTheirCoreAndTheirLaneItsThread)
{
    const LaneEvent e = make_event(3, State::Waiting, 42);
    EXPECT_GE(e.core, 0);
    EXPECT_EQ(e.t, 42);

    // A lane made on this thread and first written on another: its events are the writer's.
    Recorder recorder;
    Lane& lane = recorder.make_lane();
    WorkerId writer;
    std::thread([&] {
        writer = this_worker();
        lane.record(e);
        lane.record(make_event(3, State::Done, 43));
    }).join();
    EXPECT_EQ(writer.pid, getpid());
    EXPECT_NE(writer.tid, this_worker().tid);
    EXPECT_EQ(lane.worker(), writer);
    RecorderCursor cursor;
    std::vector<Event> seen;
    recorder.collect(cursor, seen);
    ASSERT_EQ(seen.size(), 2u);
    for (const Event& s : seen) {
        EXPECT_EQ(s.pid, writer.pid);
        EXPECT_EQ(s.tid, writer.tid);
    }
    EXPECT_EQ(seen[0].state, State::Waiting);
    EXPECT_EQ(seen[1].state, State::Done);
}

// One writer recording what several workers did (a process pool's reader): each worker's events
// come back with that worker, and a worker seen again writes to the same lane.
TEST(Recorder, WorkerLanesGiveEachWorkerItsOwnLane)
{
    Recorder recorder;
    WorkerLanes lanes(recorder);
    lanes({ 10, 10 }).record(LaneEvent { 1, 0, State::Starting, {}, -1 });
    lanes({ 20, 21 }).record(LaneEvent { 2, 1, State::Running, {}, 0 });
    lanes({ 10, 10 }).record(LaneEvent { 3, 0, State::Running, {}, 1 });
    lanes({ 10, 11 }).record(LaneEvent { 4, 2, State::Running, {}, 1 });
    EXPECT_EQ(&lanes({ 10, 10 }), &lanes({ 10, 10 }));
    RecorderCursor cursor;
    std::vector<Event> seen;
    recorder.collect(cursor, seen);
    ASSERT_EQ(seen.size(), 4u);
    EXPECT_EQ(cursor.positions.size(), 3u) << "three workers, three lanes";
    for (const Event& e : seen) {
        const WorkerId want = e.task == 0 ? WorkerId { 10, 10 } : e.task == 1 ? WorkerId { 20, 21 } : WorkerId { 10, 11 };
        EXPECT_EQ((WorkerId { e.pid, e.tid }), want) << "task " << e.task;
    }
    EXPECT_EQ(recorder.event_count(), 4u);
}

// A reader that keeps up: the lane's largest chunks, once read and left, are filled again. Ten
// rounds of a full chunk each allocate no more than the first rounds did, and every event comes
// back once, in order.
TEST(Recorder, ADrainedLaneFillsItsReadChunksAgain)
{
    Recorder recorder;
    Lane& lane = recorder.make_lane(WorkerId { 1, 1 });
    RecorderCursor cursor;
    std::vector<Event> seen;
    const std::size_t big = Lane::max_chunk_events();
    Nanos t = 0;
    const auto write = [&](std::size_t n) {
        for (std::size_t k = 0; k < n; ++k)
            lane.record(LaneEvent { t++, 0, State::Running, {}, 0 });
    };
    // The doubling chunks (64 to 65,536 events) and two of the largest.
    write(2 * big + 200'000);
    recorder.collect(cursor, seen);
    const std::size_t after_growth = lane.chunks_allocated();
    for (int round = 0; round < 10; ++round) {
        write(big);
        recorder.collect(cursor, seen);
    }
    EXPECT_LE(lane.chunks_allocated(), after_growth + 1) << "each round's chunk should be one the reader gave back";
    ASSERT_EQ(seen.size(), std::size_t(t));
    for (std::size_t i = 0; i < seen.size(); ++i)
        ASSERT_EQ(seen[i].t, Nanos(i)) << "event " << i;
}

// The same while the writer writes: a chunk goes back only once the writer has left it, so no
// event is lost or overwritten before it is read, however the two threads interleave.
TEST(Recorder, ADrainedLaneLosesNothingWhileItsWriterWrites)
{
    Recorder recorder;
    Lane& lane = recorder.make_lane(WorkerId { 1, 1 });
    const std::size_t total = 6 * Lane::max_chunk_events() + 12'345;
    std::atomic<bool> done { false };
    std::thread writer([&] {
        for (std::size_t k = 0; k < total; ++k)
            lane.record(LaneEvent { Nanos(k), std::uint32_t(k & 1023), State::Running, {}, 0 });
        done = true;
    });
    RecorderCursor cursor;
    std::vector<Event> seen;
    std::size_t read = 0;
    const auto take = [&] {
        recorder.collect(cursor, seen);
        for (const Event& e : seen) {
            ASSERT_EQ(e.t, Nanos(read));
            ASSERT_EQ(e.task, std::uint32_t(read & 1023));
            ++read;
        }
        seen.clear();
    };
    while (!done)
        take();
    writer.join();
    take();
    EXPECT_EQ(read, total);
}

TEST(Recorder, ASecondReaderIsRefused)
{
    Recorder recorder;
    recorder.make_lane(WorkerId { 1, 1 }).record(LaneEvent { 1, 0, State::Running, {}, 0 });
    RecorderCursor first;
    std::vector<Event> seen;
    recorder.collect(first, seen);
    ASSERT_EQ(seen.size(), 1u);
    RecorderCursor second;
    EXPECT_THROW(recorder.collect(second, seen), std::logic_error);
}

// A task queued on one worker's lane and started on another's at the same instant: the reader
// may collect the start first. It is still drawn queued, then running; never anything after done.
TEST(TraceBuilder, EventsOfOneInstantKeepTheOrderATaskLivesThem)
{
    TraceBuilder builder(RunInfo {}, { "A" }, 1000);
    builder.add(std::vector<Event> { Event { 1000, 0, State::Running, {}, 0, 1, 2 } });
    builder.add(std::vector<Event> { Event { 1000, 0, State::Queued, {}, -1, 1, 1 }, Event { 1500, 0, State::Done, {}, 0, 1, 2 },
        Event { 1500, 0, State::Waiting, {}, 0, 1, 2 } });
    const Trace trace = builder.build(5000, {}, true);
    // Collected as they came, it was queued for 500 ns (the start drawn before the queueing) and
    // waiting after its end.
    ASSERT_EQ(trace.tasks[0].spans.size(), 1u);
    EXPECT_EQ(trace.tasks[0].spans[0].state, State::Running);
    EXPECT_EQ(trace.tasks[0].spans[0].start, 0);
    EXPECT_EQ(trace.tasks[0].spans[0].end, 500);
    EXPECT_EQ(trace.tasks[0].status, State::Done);
    EXPECT_EQ(trace.tasks[0].finished, 500);
    EXPECT_EQ(trace.tasks[0].submitted, 0);
}

TEST(TraceBuilder, OrdersEventsThatArriveOutOfOrder)
{
    TraceBuilder builder(RunInfo {}, { "A" }, 1000);
    const std::vector<Event> late { Event { 1500, 0, State::Running, {}, 0, 1, 2 }, Event { 1900, 0, State::Done, {}, 0, 1, 2 } };
    const std::vector<Event> early { Event { 1000, 0, State::Queued, {}, 0, 1, 1 }, Event { 1700, 0, State::Waiting, {}, 0, 1, 2 } };
    builder.add(late);
    builder.add(early);
    const Trace trace = builder.build(5000, {}, true);
    const TaskTrace& a = trace.tasks.at(0);
    ASSERT_EQ(a.spans.size(), 3u);
    EXPECT_EQ(a.spans[0], (Span { 0, 500, 1, 1, 0, State::Queued }));
    EXPECT_EQ(a.spans[1], (Span { 500, 700, 1, 2, 0, State::Running }));
    EXPECT_EQ(a.spans[2], (Span { 700, 900, 1, 2, 0, State::Waiting }));
    EXPECT_EQ(a.status, State::Done);
    EXPECT_EQ(a.submitted, 0);
    EXPECT_EQ(a.started, 500);
    EXPECT_EQ(a.finished, 900);
    EXPECT_EQ(trace.info.makespan, 900);
}

TEST(TraceBuilder, LiveSpansEndNow)
{
    TraceBuilder builder(RunInfo {}, { "A" }, 0);
    const std::vector<Event> events { Event { 0, 0, State::Queued, {}, 0, 1, 1 }, Event { 10, 0, State::Waiting, {}, 0, 1, 1 } };
    builder.add(events);
    const Trace trace = builder.build(100, {}, false);
    ASSERT_EQ(trace.tasks[0].spans.size(), 2u);
    EXPECT_EQ(trace.tasks[0].spans[1].end, 100);
    EXPECT_FALSE(trace.tasks[0].ended());
    EXPECT_FALSE(trace.complete);
}

// A live snapshot's end is its own time, read without its rows; what its rows and CPU samples say
// agrees.
TEST(TraceBuilder, ALiveSnapshotsEndIsItsTimeAsItsRowsSay)
{
    TraceBuilder builder(RunInfo {}, { "A", "B" }, 0);
    const std::vector<Event> events { Event { 0, 0, State::Queued, {}, 0, 1, 1 }, Event { 10, 0, State::Waiting, {}, 0, 1, 1 },
        Event { 0, 1, State::Queued, {}, 0, 1, 1 }, Event { 20, 1, State::Running, {}, 0, 1, 1 }, Event { 40, 1, State::Done, {}, 0, 1, 1 } };
    builder.add(events);
    Trace live = builder.build(100, { CpuSample { 90, {}, 0, {}, -1 } }, false);
    live.live_run = 7;
    Trace rows = live;
    rows.live_run = 0;
    EXPECT_EQ(live.end_time(), 100);
    EXPECT_EQ(live.end_time(), rows.end_time());
}

// A run hands the builder its whole table of outcomes at its end, taken over rather than copied:
// every task of the table gets its outcome, a task past the table's end keeps what its events
// say, and the table is the builder's now.
TEST(TraceBuilder, AnOutcomeTableTakenOverGivesEveryTaskItsOutcome)
{
    TraceBuilder builder(RunInfo {}, { "A", "B" }, 0);
    builder.add_task("C (found while running)");
    builder.add(std::vector<Event> { Event { 0, 0, State::Running, {}, 0, 1, 1 }, Event { 10, 0, State::Done, {}, 0, 1, 1 },
        Event { 0, 1, State::Running, {}, 0, 1, 2 }, Event { 0, 2, State::Running, {}, 0, 1, 3 } });
    Outcomes table(2);
    table.set(0, TaskOutcome { State::Done, "42", "", 7, "" });
    table.set(1, TaskOutcome { State::Failed, "", "it raised", 3, "tcp://w1" });
    builder.set_outcomes(std::move(table));

    const Trace t = builder.build(20, {}, true);
    ASSERT_EQ(t.tasks.size(), 3u);
    EXPECT_EQ(t.tasks[0].status, State::Done);
    EXPECT_EQ(t.tasks[0].result, "42");
    EXPECT_EQ(t.tasks[0].cpu_time, 7);
    EXPECT_EQ(t.tasks[1].status, State::Failed);
    EXPECT_EQ(t.tasks[1].reason, "it raised");
    EXPECT_EQ(t.tasks[1].worker, "tcp://w1");
    EXPECT_EQ(t.tasks[2].status, State::Running);
    EXPECT_EQ(t.tasks[2].result, "");

    // A single outcome set afterwards grows the table to every task.
    builder.set_outcome(2, TaskOutcome { State::Cancelled, "", "stopped", 0, "" });
    const Trace u = builder.build(20, {}, true);
    EXPECT_EQ(u.tasks[2].status, State::Cancelled);
    EXPECT_EQ(u.tasks[2].reason, "stopped");
    EXPECT_EQ(u.tasks[0].result, "42");

    // A task added after the table has no outcome of it; a table longer than the tasks gives
    // each task its own slot and nothing more.
    builder.add_task("D");
    Outcomes longer(6);
    for (std::size_t i = 0; i < 6; ++i)
        longer.set(i, TaskOutcome { State::Done, std::to_string(i), "", 0, "" });
    builder.set_outcomes(std::move(longer));
    const Trace v = builder.build(20, {}, true);
    ASSERT_EQ(v.tasks.size(), 4u);
    EXPECT_EQ(v.tasks[2].result, "2"); // replaces the Cancelled set before
    EXPECT_EQ(v.tasks[2].status, State::Done);
    EXPECT_EQ(v.tasks[3].result, "3");
    builder.add_task("E");
    const Trace w = builder.build(20, {}, true);
    ASSERT_EQ(w.tasks.size(), 5u);
    EXPECT_EQ(w.tasks[3].result, "3");
    EXPECT_EQ(w.tasks[4].result, "");
    EXPECT_EQ(w.tasks[4].status, State::Queued);
}

TEST(TraceBuilder, BuildingIntoAnOldTraceGivesWhatAFreshBuildGivesInTheSameMemory)
{
    RunInfo info;
    info.workload = "w";
    TraceBuilder builder(info, { "A", "B" }, 0);
    const std::vector<Event> events { Event { 0, 0, State::Queued, {}, 0, 1, 1 }, Event { 10, 0, State::Running, {}, 0, 1, 1 },
        Event { 30, 0, State::Done, {}, 0, 1, 1 }, Event { 5, 1, State::Waiting, {}, 0, 1, 2 } };
    builder.add(events);
    builder.set_outcome(0, TaskOutcome { State::Done, "42", "", 20, "" });

    // An older trace with more of everything: rows, spans, results, kernel data, targets.
    Trace old;
    old.tasks.resize(5);
    for (TaskTrace& t : old.tasks) {
        t.name = "old";
        t.result = "1";
        t.reason = "why";
        t.worker = "tcp://x";
        t.kernel = KernelStats { 1, 2, 3, 4, 5, 6 };
        t.thread_row = true;
        t.spans.assign(64, Span { 1, 2, 3, 4, 5, State::Blocked });
    }
    old.cores.assign(10, CoreSpan { 1, 2, 3, 4 });
    old.targets = { "", "pipe" };
    old.foreign = ForeignTrace {};
    old.kernel.note = "old";
    const Span* a_spans = old.tasks[0].spans.data();
    const TaskTrace* rows = old.tasks.data();

    builder.build_into(old, 100, {}, false);
    EXPECT_EQ(old, builder.build(100, {}, false));
    EXPECT_TRUE(old.cores.empty());
    // Rows and span vectors kept their memory.
    EXPECT_EQ(old.tasks.data(), rows);
    EXPECT_EQ(old.tasks[0].spans.data(), a_spans);
    EXPECT_EQ(old.tasks[0].result, "42");
    EXPECT_EQ(old.tasks[1].spans.back().end, 100);
}

TEST(TraceRecycler, ALetGoTraceComesBackUntilClosedAndNoMoreThanTwoAreKept)
{
    auto recycler = TraceRecycler::create();
    auto first = recycler->take();
    first->info.workload = "first";
    const Trace* p = first.get();
    std::shared_ptr<const Trace> shared = recycler->share(std::move(first));
    EXPECT_EQ(recycler->kept(), 0u);
    std::shared_ptr<const Trace> other = shared; // a second holder
    shared.reset();
    EXPECT_EQ(recycler->kept(), 0u);
    other.reset();
    EXPECT_EQ(recycler->kept(), 1u);
    auto again = recycler->take();
    EXPECT_EQ(again.get(), p);
    EXPECT_EQ(again->info.workload, "first"); // as it was: build_into sets it again

    std::vector<std::shared_ptr<const Trace>> many;
    many.push_back(recycler->share(std::move(again)));
    for (int i = 0; i < 4; ++i)
        many.push_back(recycler->share(recycler->take()));
    many.clear();
    EXPECT_EQ(recycler->kept(), TraceRecycler::kKept);

    // A snapshot that outlives its run's recycler: let go after close, it is freed.
    std::shared_ptr<const Trace> late = recycler->share(recycler->take());
    recycler->close();
    EXPECT_EQ(recycler->kept(), 0u);
    std::weak_ptr<TraceRecycler> gone = recycler;
    recycler.reset();
    EXPECT_FALSE(gone.expired()); // the snapshot still holds it
    late.reset();
    EXPECT_TRUE(gone.expired());
}
