#include "core/analysis/derive.h"

#include "core/models/registry.h"
#include "core/workload/compute.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>

namespace timeslice {

namespace {

using Thread = std::pair<std::int32_t, std::int32_t>; // pid, tid

Thread thread_of(const Span& s) noexcept
{
    const WorkerId w = s.worker();
    return { w.pid, w.tid };
}

bool on_worker(State s) { return s != State::Queued && s != State::Starting; }

// Where and when a task ran: its first thread, from its first to its last span there.
struct Lifetime {
    Thread thread { 0, 0 };
    Nanos first = -1;
    Nanos last = -1;
};

Lifetime lifetime_of(const TaskTrace& task)
{
    Lifetime l;
    for (const Span& s : task.spans) {
        if (!on_worker(s.state))
            continue;
        if (l.first < 0) {
            l.thread = thread_of(s);
            l.first = s.start;
        }
        if (thread_of(s) == l.thread)
            l.last = s.end;
    }
    return l;
}

// Tasks that shared their thread with another task alive at the same time: an event loop's.
std::vector<bool> on_shared_threads(const Trace& trace, const std::vector<std::size_t>& rows)
{
    std::vector<Lifetime> lives;
    lives.reserve(rows.size());
    std::map<Thread, std::vector<std::size_t>> by_thread;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        lives.push_back(lifetime_of(trace.tasks[rows[i]]));
        if (lives.back().first >= 0)
            by_thread[lives.back().thread].push_back(i);
    }
    std::vector<bool> shared(rows.size(), false);
    for (auto& [thread, list] : by_thread) {
        std::sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) { return lives[a].first < lives[b].first; });
        Nanos reach = -1; // the latest end so far
        std::size_t reacher = 0;
        for (std::size_t k = 0; k < list.size(); ++k) {
            const Lifetime& l = lives[list[k]];
            if (k > 0 && l.first < reach) {
                shared[list[k]] = true;
                shared[reacher] = true;
            }
            if (l.last > reach)
                reach = l.last, reacher = list[k];
        }
    }
    return shared;
}

// Where the kernel had each thread asleep outside an event loop's poll (real Python: a thread's
// own row), per thread, in time order.
using Sleeps = std::map<Thread, std::vector<std::pair<Nanos, Nanos>>>;

bool loop_poll(const Trace& trace, std::uint16_t target)
{
    if (target == 0 || target >= trace.targets.size())
        return false;
    const std::string& t = trace.targets[target];
    return t.starts_with("epoll") || t.starts_with("poll") || t.starts_with("select");
}

Sleeps sleeps_outside_the_loop(const Trace& trace)
{
    Sleeps out;
    for (const TaskTrace& task : trace.tasks) {
        if (!task.thread_row)
            continue;
        for (const Span& s : task.spans) {
            const bool asleep = s.state == State::Waiting || s.state == State::Blocked;
            if (asleep && s.reason != WaitReason::None && s.reason != WaitReason::Unknown && !loop_poll(trace, s.target))
                out[thread_of(s)].emplace_back(s.start, s.end);
        }
    }
    return out;
}

// A task's wait that its thread slept through outside the loop's poll, from its start to its end
// (within 1 ms, or 2 % of a longer wait): a blocking call on the loop's thread, which the probe
// saw as a wait (time.sleep inside a coroutine).
bool slept_through(const Sleeps& sleeps, const Span& s)
{
    const auto it = sleeps.find(thread_of(s));
    if (it == sleeps.end())
        return false;
    const Nanos slack = std::max<Nanos>(kNanosPerMilli, s.duration() / 50);
    for (const auto& [from, to] : it->second) {
        if (std::abs(from - s.start) <= slack && std::abs(to - s.end) <= slack)
            return true;
    }
    return false;
}

// Tasks' ends: in real Python a wait that ends within a millisecond after another task ended
// waited for that task (asyncio.gather, a Future's result), not for I/O. Only where the kernel's
// view is there: with it a timer's wait ends at its deadline, before any task it woke ends, so
// tasks sleeping alike are not taken for each other (without it a wait ends when its task ran
// again, which may be right after another ended). Native workloads have no such waits.
struct Ends {
    std::vector<std::pair<Nanos, std::size_t>> list; // finished, task; by finished

    explicit Ends(const Trace& trace)
    {
        const EngineDescriptor* engine = find_engine(trace.info.engine);
        if (!engine || engine->engine != Engine::CPython || trace.kernel.source == KernelSource::None)
            return;
        for (std::size_t i = 0; i < trace.tasks.size(); ++i) {
            if (!trace.tasks[i].thread_row && trace.tasks[i].finished >= 0)
                list.emplace_back(trace.tasks[i].finished, i);
        }
        std::sort(list.begin(), list.end());
    }
    bool awaited_a_task(const Span& s, std::size_t self) const
    {
        auto it = std::lower_bound(list.begin(), list.end(), std::pair<Nanos, std::size_t> { s.end - kNanosPerMilli, 0 });
        for (; it != list.end() && it->first <= s.end; ++it) {
            if (it->second != self && it->first > s.start)
                return true;
        }
        return false;
    }
};

enum class Kind { None, Compute, Wait, Block };

// Builds one task's steps, merging neighbours of one kind; what is left out does not split them.
struct StepBuilder {
    std::vector<Step> steps;
    Kind open = Kind::None;
    Nanos amount = 0;
    Derived& totals;

    void add(Kind kind, Nanos ns)
    {
        if (kind != open)
            flush();
        open = kind;
        amount += ns;
    }
    void flush()
    {
        // Microseconds: finer than any timer a wait could ask for, coarser than the probe's cost.
        const double seconds = std::round(double(amount) / 1e3) / 1e6;
        if (open != Kind::None && seconds > 0) {
            if (open == Kind::Compute) {
                steps.push_back(Compute { iterations_for_cpu_seconds(seconds), seconds });
                totals.compute_s += seconds;
            } else {
                const bool blocking = open == Kind::Block;
                steps.push_back(Wait { Nanos(std::llround(seconds * 1e9)), blocking });
                (blocking ? totals.block_s : totals.wait_s) += seconds;
                ++(blocking ? totals.blocking_waits : totals.waits);
            }
        }
        open = Kind::None;
        amount = 0;
    }
};

// What a span is, as work: time on a core, a wait, or something a model decides.
Kind kind_of(const Span& s, std::size_t task, bool shared, const Sleeps& sleeps, const Ends& ends, Derived& d)
{
    const double seconds = to_seconds(s.duration());
    const auto wait = [&] {
        return shared && (s.reason != WaitReason::None || slept_through(sleeps, s)) ? Kind::Block : Kind::Wait;
    };
    switch (s.state) {
    case State::Running:
        return Kind::Compute;
    case State::Waiting:
        if (s.reason == WaitReason::None && ends.awaited_a_task(s, task)) {
            d.left_out_lock_s += seconds;
            return Kind::None;
        }
        return wait();
    case State::Blocked:
        switch (s.reason) {
        case WaitReason::Io:
        case WaitReason::Sleep:
        case WaitReason::Child:
        case WaitReason::Other:
            return wait();
        case WaitReason::Lock:
            if (shared) // a lock taken on the loop's thread: nothing else ran meanwhile
                return Kind::Block;
            d.left_out_lock_s += seconds;
            return Kind::None;
        case WaitReason::Gil:
            d.left_out_gil_s += seconds;
            return Kind::None;
        default: // asleep inside a compute step: a page fault, not the work
            d.left_out_preempted_s += seconds;
            return Kind::None;
        }
    case State::GilWait:
        d.left_out_gil_s += seconds;
        return Kind::None;
    case State::Preempted:
        d.left_out_preempted_s += seconds;
        return Kind::None;
    default: // queued, starting, ready
        d.left_out_queued_s += seconds;
        return Kind::None;
    }
}

// Without the kernel's view a running span includes the time the OS gave the core away; where
// the task's own CPU time was measured (CLOCK_THREAD_CPUTIME_ID), its compute is scaled to it.
double on_core_share(const TaskTrace& task)
{
    if (task.kernel || task.cpu_time <= 0)
        return 1.0;
    const Nanos running = task.time_in(State::Running);
    return running > 0 ? std::min(1.0, double(task.cpu_time) / double(running)) : 1.0;
}

std::string model_label(const RunInfo& info)
{
    const ModelDescriptor* model = find_model(info.model);
    if (model && model->gil)
        return info.model + (info.gil ? " (GIL)" : " (no GIL)");
    return info.model;
}

} // namespace

Derived derive_workload(const Trace& trace, std::string_view source)
{
    if (trace.foreign)
        throw std::invalid_argument("a trace from another tool (" + trace.foreign->source
            + ") cannot be derived: its spans say what ran, not what computed and what waited");
    if (!trace.complete)
        throw std::invalid_argument("the run is still going: derive it once it has ended");
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < trace.tasks.size(); ++i) {
        if (!trace.tasks[i].thread_row)
            rows.push_back(i);
    }
    Derived d;
    if (rows.empty()) {
        // A program of plain threads: each thread is a task.
        rows.resize(trace.tasks.size());
        std::iota(rows.begin(), rows.end(), std::size_t(0));
        if (!rows.empty())
            d.notes.push_back(fmt::format("no executor work items or asyncio tasks: each of the {} threads is a task", rows.size()));
    }
    if (rows.empty())
        throw std::invalid_argument("the trace has no tasks: nothing ran that could be derived");
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
        return trace.tasks[a].submitted < trace.tasks[b].submitted;
    });
    const std::vector<bool> shared = on_shared_threads(trace, rows);
    const Sleeps sleeps = sleeps_outside_the_loop(trace);
    const Ends ends(trace);
    int unfinished = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const TaskTrace& task = trace.tasks[rows[i]];
        StepBuilder b { {}, Kind::None, 0, d };
        const double waited_before = d.wait_s + d.block_s;
        const double on_core = on_core_share(task);
        for (const Span& s : task.spans) {
            const Kind k = kind_of(s, rows[i], shared[i], sleeps, ends, d);
            if (k != Kind::None)
                b.add(k, k == Kind::Compute ? Nanos(std::llround(double(s.duration()) * on_core)) : s.duration());
        }
        b.flush();
        if (task.status != State::Done && !task.thread_row)
            ++unfinished;
        d.workload.tasks.push_back(TaskSpec { task.name, std::move(b.steps), d.wait_s + d.block_s - waited_before });
    }
    if (d.compute_s == 0 && d.waits == 0 && d.blocking_waits == 0)
        throw std::invalid_argument("no task computed or waited in the trace: there is nothing to derive");
    if (unfinished > 0)
        d.notes.push_back(fmt::format("{} of {} tasks did not finish: their steps end where they stopped", unfinished, rows.size()));
    const RunInfo& info = trace.info;
    d.workload.name = info.workload.empty() ? std::string("derived") : info.workload + " (derived)";
    if (const ModelDescriptor* model = find_model(info.model); model && model->pool && info.workers > 0)
        d.workload.workers = info.workers;
    std::string from = source.empty() ? std::string("a trace") : std::string(source);
    d.description = fmt::format("Derived from {}: {} under {}, {} engine{}{}, scale {}, recorded {}{}. "
                                "Compute steps are the CPU seconds each task spent on a core; waits are as recorded; "
                                "queueing, GIL and lock waits are left out (timeslice derive).",
        from, info.workload, model_label(info), info.engine, info.python.empty() ? "" : " (Python " + info.python + ")",
        d.workload.workers > 0 ? fmt::format(", {} workers", d.workload.workers) : std::string(), format_seconds(info.scale),
        info.date.empty() ? "at an unknown date" : info.date, info.hostname.empty() ? "" : " on " + info.hostname);
    return d;
}

std::string derive_summary(const Derived& d)
{
    std::string out = fmt::format("{} tasks: {:.3f} s of CPU, {} wait{} ({:.3f} s)", d.workload.tasks.size(), d.compute_s, d.waits,
        d.waits == 1 ? "" : "s", d.wait_s);
    if (d.blocking_waits > 0)
        out += fmt::format(", {} blocking wait{} that stall{} an event loop ({:.3f} s)", d.blocking_waits, d.blocking_waits == 1 ? "" : "s",
            d.blocking_waits == 1 ? "s" : "",
            d.block_s);
    out += "\n";
    std::vector<std::string> left;
    if (d.left_out_gil_s > 0)
        left.push_back(fmt::format("GIL waits {:.3f} s", d.left_out_gil_s));
    if (d.left_out_lock_s > 0)
        left.push_back(fmt::format("lock waits and waits for other tasks {:.3f} s", d.left_out_lock_s));
    if (d.left_out_queued_s > 0)
        left.push_back(fmt::format("queued, starting or ready {:.3f} s", d.left_out_queued_s));
    if (d.left_out_preempted_s > 0)
        left.push_back(fmt::format("preempted {:.3f} s", d.left_out_preempted_s));
    if (!left.empty()) {
        out += "left out, as what a model decides: ";
        for (std::size_t i = 0; i < left.size(); ++i)
            out += (i ? ", " : "") + left[i];
        out += "\n";
    }
    for (const std::string& n : d.notes)
        out += "note: " + n + "\n";
    return out;
}

} // namespace timeslice
