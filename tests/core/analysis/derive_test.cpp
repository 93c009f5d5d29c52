// A recorded run turned back into a workload (timeslice derive): what a task did, in order, and
// nothing a model decides. Checked on traces built by hand, on a recorded fixture of real Python,
// and on runs made here, by what no load can bend: the steps' kinds and order, and that each
// derived figure is exactly the trace's own.
#include "core/analysis/derive.h"
#include "core/analysis/wait_summary.h"
#include "core/workload/compute.h"
#include "core/workload/workload_file.h"
#include "python/python_support.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace timeslice;
using namespace timeslice::test;

namespace {

constexpr Nanos ms = kNanosPerMilli;

Span span(Nanos from, Nanos to, State s, std::int32_t tid, WaitReason reason = WaitReason::None)
{
    Span out { from * ms, to * ms, 100, tid, -1, s };
    out.reason = reason;
    return out;
}

TaskTrace task(const std::string& name, std::vector<Span> spans, State status = State::Done)
{
    TaskTrace t;
    t.name = name;
    t.spans = std::move(spans);
    t.status = status;
    summarise_task(t);
    t.finished = t.spans.empty() ? -1 : t.spans.back().end;
    t.status = status;
    return t;
}

Trace trace_of(std::vector<TaskTrace> tasks, const std::string& model = "threads")
{
    Trace t;
    t.info.workload = "mine";
    t.info.model = model;
    t.info.workers = 2;
    t.complete = true;
    t.tasks = std::move(tasks);
    return t;
}

// Each step as text: "cpu 15", "wait 100", "block 40" (milliseconds).
std::vector<std::string> steps_of(const TaskSpec& t)
{
    std::vector<std::string> out;
    for (const Step& s : t.steps) {
        if (const auto* c = std::get_if<Compute>(&s))
            out.push_back("cpu " + std::to_string(std::lround(c->cpu_seconds * 1e3)));
        else
            out.push_back(std::string(std::get<Wait>(s).blocking ? "block " : "wait ")
                + std::to_string(std::lround(double(std::get<Wait>(s).duration) / 1e6)));
    }
    return out;
}

using Steps = std::vector<std::string>;

std::string error_of(const Trace& t)
{
    try {
        derive_workload(t);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(derived)";
}

} // namespace

TEST(Derive, TimeOnACoreBecomesCpuSecondsAndWhatAModelDecidesIsLeftOut)
{
    const Trace t = trace_of({ task("A",
        { span(0, 5, State::Queued, 1), span(5, 15, State::Running, 1), span(15, 20, State::GilWait, 1),
            span(20, 25, State::Running, 1), span(25, 26, State::Preempted, 1), span(26, 30, State::Running, 1),
            span(30, 130, State::Waiting, 1), span(130, 131, State::Running, 1), span(131, 135, State::Blocked, 1, WaitReason::Lock),
            span(135, 145, State::Blocked, 1, WaitReason::Io), span(145, 146, State::Running, 1) }) });
    const Derived d = derive_workload(t, "run.json");
    ASSERT_EQ(d.workload.tasks.size(), 1u);
    // Running pieces around a GIL wait and a preemption are one step; a lock wait drops out
    // between two running pieces, an I/O wait (blocked in recv) is a wait.
    EXPECT_EQ(steps_of(d.workload.tasks[0]), (Steps { "cpu 19", "wait 100", "cpu 1", "wait 10", "cpu 1" }));
    EXPECT_DOUBLE_EQ(d.compute_s, 0.021);
    EXPECT_DOUBLE_EQ(d.wait_s, 0.110);
    EXPECT_EQ(d.waits, 2);
    EXPECT_DOUBLE_EQ(d.left_out_gil_s, 0.005);
    EXPECT_DOUBLE_EQ(d.left_out_lock_s, 0.004);
    EXPECT_DOUBLE_EQ(d.left_out_queued_s, 0.005);
    EXPECT_DOUBLE_EQ(d.left_out_preempted_s, 0.001);
    EXPECT_EQ(d.workload.workers, 2);
    EXPECT_EQ(d.workload.name, "mine (derived)");
    EXPECT_NE(d.description.find("from run.json: mine under threads (no GIL)"), std::string::npos) << d.description;
    const Compute& c = std::get<Compute>(d.workload.tasks[0].steps[0]);
    EXPECT_EQ(c.iterations, iterations_for_cpu_seconds(0.019));
}

TEST(Derive, TasksComeInTheOrderTheyWereSubmitted)
{
    TaskTrace late = task("late", { span(50, 60, State::Running, 1) });
    TaskTrace early = task("early", { span(0, 10, State::Waiting, 2) });
    const Derived d = derive_workload(trace_of({ late, early }));
    ASSERT_EQ(d.workload.tasks.size(), 2u);
    EXPECT_EQ(d.workload.tasks[0].name, "early");
    EXPECT_EQ(d.workload.tasks[1].name, "late");
    EXPECT_DOUBLE_EQ(d.workload.tasks[0].nominal_seconds, 0.010);
}

// On an event loop's thread (tasks alive at once on one thread) a wait the thread slept through
// stalled the loop; on a thread of its own the same wait could have been awaited.
TEST(Derive, AWaitThatSleptALoopsThreadIsBlockingAndOnAThreadOfItsOwnAwaitable)
{
    const Trace loop = trace_of({ task("sleeper", { span(0, 1, State::Running, 7), span(1, 41, State::Waiting, 7, WaitReason::Sleep),
                                                      span(41, 42, State::Running, 7), span(42, 52, State::Waiting, 7) }),
                                      task("other", { span(0, 30, State::Waiting, 7), span(41, 45, State::Running, 7) }) },
        "async");
    const Derived d = derive_workload(loop);
    EXPECT_EQ(steps_of(d.workload.tasks[0]), (Steps { "cpu 1", "block 40", "cpu 1", "wait 10" }));
    EXPECT_EQ(steps_of(d.workload.tasks[1]), (Steps { "wait 30", "cpu 4" }));
    EXPECT_EQ(d.blocking_waits, 1);
    EXPECT_DOUBLE_EQ(d.block_s, 0.040);
    EXPECT_EQ(d.workload.workers, 0) << "a loop has no pool";

    // The same spans one after another on one worker thread: nobody shared it.
    const Trace pool = trace_of({ task("sleeper", { span(0, 1, State::Running, 7), span(1, 41, State::Waiting, 7, WaitReason::Sleep) }),
        task("next", { span(41, 42, State::Running, 7), span(42, 52, State::Waiting, 7, WaitReason::Sleep) }) });
    const Derived p = derive_workload(pool);
    EXPECT_EQ(steps_of(p.workload.tasks[0]), (Steps { "cpu 1", "wait 40" }));
    EXPECT_EQ(steps_of(p.workload.tasks[1]), (Steps { "cpu 1", "wait 10" }));
}

TEST(Derive, AProgramOfPlainThreadsGivesATaskPerThreadAndSaysSo)
{
    TaskTrace a = task("Thread-1 (spin)", { span(0, 50, State::Running, 1) });
    a.thread_row = true;
    TaskTrace main_thread = task("MainThread", { span(0, 2, State::Running, 2), span(2, 50, State::Blocked, 2, WaitReason::Lock) });
    main_thread.thread_row = true;
    const Derived d = derive_workload(trace_of({ main_thread, a }));
    ASSERT_EQ(d.workload.tasks.size(), 2u);
    EXPECT_EQ(steps_of(d.workload.tasks[1]), (Steps { "cpu 50" }));
    ASSERT_EQ(d.notes.size(), 1u);
    EXPECT_EQ(d.notes[0], "no executor work items or asyncio tasks: each of the 2 threads is a task");

    // Beside tasks, threads' own rows are the time between tasks: left out.
    TaskTrace work = task("work", { span(0, 5, State::Waiting, 3) });
    const Derived with_tasks = derive_workload(trace_of({ main_thread, work }));
    ASSERT_EQ(with_tasks.workload.tasks.size(), 1u);
    EXPECT_EQ(with_tasks.workload.tasks[0].name, "work");
}

TEST(Derive, TracesThatCannotBeDerivedSaySo)
{
    Trace foreign = trace_of({ task("main", { span(0, 5, State::Running, 1) }) });
    foreign.foreign.emplace();
    foreign.foreign->source = "Node.js";
    EXPECT_EQ(error_of(foreign),
        "a trace from another tool (Node.js) cannot be derived: its spans say what ran, not what computed and what waited");
    Trace going = trace_of({ task("A", { span(0, 5, State::Running, 1) }, State::Running) });
    going.complete = false;
    EXPECT_EQ(error_of(going), "the run is still going: derive it once it has ended");
    EXPECT_EQ(error_of(trace_of({})), "the trace has no tasks: nothing ran that could be derived");
    EXPECT_EQ(error_of(trace_of({ task("A", { span(0, 5, State::Queued, 1), span(5, 9, State::GilWait, 1) }) })),
        "no task computed or waited in the trace: there is nothing to derive");

    const Derived stopped = derive_workload(trace_of({ task("A", { span(0, 5, State::Running, 1) }, State::Cancelled),
        task("B", { span(0, 5, State::Waiting, 2) }) }));
    ASSERT_EQ(stopped.notes.size(), 1u);
    EXPECT_EQ(stopped.notes[0], "1 of 2 tasks did not finish: their steps end where they stopped");
}

// Recorded from tests/fixtures/python-sleep-in-coroutine.py under CPython 3.11 with the kernel's
// view: main gathers fetch(1), stall and fetch(2); stall calls time.sleep(0.1) inside its
// coroutine. The kernel had the loop's thread in nanosleep for exactly that wait.
TEST(Derive, RealPythonsSleepInsideACoroutineIsBlockingAndAGatherIsNotAWait)
{
    Trace t;
    std::string error;
    ASSERT_TRUE(load_trace(std::string(TIMESLICE_FIXTURES_DIR) + "/python-sleep-in-coroutine.json", t, error)) << error;
    const Derived d = derive_workload(t);
    ASSERT_EQ(d.workload.tasks.size(), 4u);
    EXPECT_EQ(d.workload.tasks[0].name, "main");
    EXPECT_EQ(d.workload.tasks[2].name, "stall");
    // main awaited its gather: a wait for other tasks, left out.
    EXPECT_EQ(steps_of(d.workload.tasks[0]), (Steps { "cpu 0" }));
    EXPECT_EQ(steps_of(d.workload.tasks[2]), (Steps { "cpu 0", "block 100", "cpu 0", "wait 10", "cpu 0" }));
    for (const std::size_t i : { 1, 3 })
        EXPECT_EQ(steps_of(d.workload.tasks[i]), (Steps { "cpu 0", "wait 50", "cpu 0" })) << d.workload.tasks[i].name;
    EXPECT_EQ(d.blocking_waits, 1);
    EXPECT_EQ(d.waits, 3);
    EXPECT_NEAR(d.left_out_lock_s, 0.152, 0.001);
}

// A run made here, derived: each wait is exactly the trace's waiting time, and no sleep ends early.
TEST(Derive, ANativeRunsWaitsAreItsWaitingSpansAndItsBlockingSleepOnALoopStaysBlocking)
{
    const Workload w = workload_from_json(R"({"name": "w", "tasks": [
        {"name": "A", "steps": [{"wait": 0.03}, {"compute": 1000000}, {"block": 0.02}]},
        {"name": "B", "steps": [{"wait": 0.01}]}]})",
        {});
    for (const ModelKind model : { ModelKind::Async, ModelKind::Threads, ModelKind::Processes }) {
        SCOPED_TRACE(std::string(model_name(model)));
        const auto trace = run_workload(w, model);
        const Derived d = derive_workload(*trace);
        ASSERT_EQ(d.workload.tasks.size(), 2u);
        const TaskSpec& a = d.workload.tasks[0];
        std::vector<std::string> kinds;
        for (const Step& s : a.steps) {
            if (std::holds_alternative<Compute>(s))
                kinds.push_back("cpu");
            else
                kinds.push_back(std::get<Wait>(s).blocking ? "block" : "wait");
        }
        // Tiny compute pieces (the task's own start, its return) may or may not be there.
        std::erase(kinds, "cpu");
        EXPECT_EQ(kinds, (Steps { "wait", model == ModelKind::Async ? "block" : "wait" }));
        Nanos waited = 0;
        for (const Span& s : task_named(*trace, "A").spans)
            waited += s.state == State::Waiting ? s.duration() : 0;
        EXPECT_NEAR(d.workload.tasks[0].nominal_seconds, to_seconds(waited), 2e-6);
        EXPECT_GE(d.workload.tasks[0].nominal_seconds, 0.05 - 2e-6) << "a sleep never ends early";
        // And the file it makes loads back to the same steps.
        const Workload again = workload_from_json(workload_to_json(d.workload, d.description), {});
        EXPECT_EQ(again.tasks.size(), 2u);
        EXPECT_EQ(again.tasks[0].steps.size(), a.steps.size());
    }
}

// The issue's acceptance: table-loading recorded under CPython threads derives to its three
// waits. With the kernel's view a wait ends at its timer's deadline, so within 5 %.
TEST(Derive, RealPythonTableLoadingUnderThreadsDerivesToItsThreeWaits)
{
    REQUIRE_PYTHON();
    RunConfig c = cpython("table-loading", ModelKind::Threads);
    c.workload_options.scale = 0.1;
    c.kernel.mode = KernelMode::Auto;
    const auto trace = run_to_end(c);
    ASSERT_EQ(trace->info.exit, "exit status 0");
    if (trace->kernel.source == KernelSource::None)
        GTEST_SKIP() << "no kernel data: a wait ends when its thread ran again, which load can delay";
    const Derived d = derive_workload(*trace);
    ASSERT_EQ(d.workload.tasks.size(), 3u);
    const double expected[] = { 0.1, 0.2, 0.5 };
    for (std::size_t i = 0; i < 3; ++i) {
        double waited = 0;
        for (const Step& s : d.workload.tasks[i].steps) {
            if (const auto* w = std::get_if<Wait>(&s)) {
                EXPECT_FALSE(w->blocking);
                waited += to_seconds(w->duration);
            }
        }
        EXPECT_NEAR(waited, expected[i], expected[i] * 0.05) << d.workload.tasks[i].name;
    }
}

// On square-numbers the compute steps are the tasks' time on a core, as the kernel recorded it
// (the issue's acceptance: within 10 % of the on-core time).
TEST(Derive, RealPythonSquareNumbersDerivesToItsTimeOnACore)
{
    REQUIRE_PYTHON();
    RunConfig c = cpython("square-numbers", ModelKind::Processes);
    c.workload_options.tasks = 2;
    c.workload_options.iterations = 300000;
    c.kernel.mode = KernelMode::Auto;
    const auto trace = run_to_end(c);
    ASSERT_EQ(trace->info.exit, "exit status 0");
    const Derived d = derive_workload(*trace);
    ASSERT_EQ(d.workload.tasks.size(), 2u);
    for (const TaskSpec& t : d.workload.tasks) {
        double cpu = 0;
        for (const Step& s : t.steps) {
            if (const auto* c = std::get_if<Compute>(&s))
                cpu += c->cpu_seconds;
        }
        const TaskTrace& recorded = task_named(*trace, t.name);
        EXPECT_NEAR(cpu, to_seconds(recorded.time_in(State::Running)), 1e-5) << t.name;
        // With every switch recorded, time running is time on a core (sampled views may
        // count a stretch they missed as running).
        if (recorded.kernel && trace->kernel.source == KernelSource::Exact) {
            EXPECT_NEAR(cpu, to_seconds(recorded.kernel->on_core), to_seconds(recorded.kernel->on_core) * 0.1) << t.name;
        }
    }
}

// Without the kernel's view a running span includes time the OS gave the core away: the task's
// own CPU time, where it was measured, is what its compute steps add up to.
TEST(Derive, WithoutTheKernelsViewComputeIsScaledToTheTasksMeasuredCpuTime)
{
    TaskTrace t = task("A", { span(0, 20, State::Running, 1), span(20, 30, State::Waiting, 1), span(30, 50, State::Running, 1) });
    t.cpu_time = 20 * ms; // half of its 40 ms running
    const Derived d = derive_workload(trace_of({ t }));
    EXPECT_EQ(steps_of(d.workload.tasks[0]), (Steps { "cpu 10", "wait 10", "cpu 10" }));
    t.kernel = KernelStats {}; // the kernel's view split running from preempted already
    EXPECT_EQ(steps_of(derive_workload(trace_of({ t })).workload.tasks[0]), (Steps { "cpu 20", "wait 10", "cpu 20" }));
}

// In real Python a wait that ends right after another task ended waited for it (gather); that is
// read only with the kernel's view, where a timer's wait ends at its deadline.
TEST(Derive, AWaitEndingAsAnotherTaskEndsIsLeftOutOnlyInRealPythonWithTheKernelsView)
{
    TaskTrace parent = task("main", { span(0, 1, State::Running, 1), span(1, 50, State::Waiting, 1), span(50, 51, State::Running, 1) });
    TaskTrace child = task("child", { span(1, 2, State::Running, 1), span(2, 49, State::Waiting, 1), span(49, 50, State::Running, 1) });
    Trace t = trace_of({ parent, child }, "async");
    t.info.engine = "cpython";
    t.kernel.source = KernelSource::Exact;
    const Derived with_kernel = derive_workload(t);
    EXPECT_EQ(steps_of(with_kernel.workload.tasks[0]), (Steps { "cpu 2" }));
    EXPECT_EQ(steps_of(with_kernel.workload.tasks[1]), (Steps { "cpu 1", "wait 47", "cpu 1" })) << "its own end is not another's";
    t.kernel.source = KernelSource::None;
    EXPECT_EQ(steps_of(derive_workload(t).workload.tasks[0]), (Steps { "cpu 1", "wait 49", "cpu 1" }));
    t.kernel.source = KernelSource::Exact;
    t.info.engine = "native";
    EXPECT_EQ(steps_of(derive_workload(t).workload.tasks[0]), (Steps { "cpu 1", "wait 49", "cpu 1" }));
}

// The native async model names its own blocking sleep; nothing calls that the kernel's word.
TEST(Derive, ANativeBlockingSleepIsTheModelsWordNotTheKernels)
{
    const Workload w = workload_from_json(R"({"tasks": [{"name": "A", "steps": [{"block": 0.01}]}]})", {});
    const auto trace = run_workload(w, ModelKind::Async);
    const auto waits = spans_in(task_named(*trace, "A"), State::Waiting);
    ASSERT_EQ(waits.size(), 1u);
    EXPECT_EQ(waits[0].reason, WaitReason::Sleep);
    EXPECT_EQ(span_why(*trace, waits[0]).rfind("why, by the model: a blocking sleep on the event loop's thread", 0), 0u);
    EXPECT_FALSE(has_wait_reasons(*trace)) << "no table of the kernel's reasons for it";
}
