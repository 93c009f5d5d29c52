#include "core/trace/trace.h"

#include <algorithm>

namespace timeslice {

Nanos TaskTrace::time_in(State s) const noexcept
{
    Nanos total = 0;
    for (const Span& span : spans) {
        if (span.state == s)
            total += span.duration();
    }
    return total;
}

Nanos Trace::end_time() const noexcept
{
    // A live snapshot ends every open span at its own time, info.makespan
    // (TraceBuilder::build_into): no row need be read, which with 100,000 rows cost the window
    // ~3 ms a frame.
    if (live_run != 0 && !complete)
        return std::max(info.makespan, cpu.empty() ? Nanos(0) : cpu.back().t);
    Nanos end = info.makespan;
    for (const TaskTrace& task : tasks) {
        if (!task.spans.empty())
            end = std::max(end, task.spans.back().end);
        end = std::max(end, task.finished);
    }
    for (const CpuSample& s : cpu)
        end = std::max(end, s.t);
    return end;
}

std::size_t Trace::span_count() const noexcept
{
    std::size_t n = 0;
    for (const TaskTrace& task : tasks)
        n += task.spans.size();
    return n;
}

void summarise_task(TaskTrace& task)
{
    task.submitted = task.spans.empty() ? task.submitted : task.spans.front().start;
    const Span* last_on_worker = nullptr; // its worker is the task's
    for (const Span& span : task.spans) {
        if (describe(span.state).on_worker) {
            if (task.started < 0)
                task.started = span.start;
            last_on_worker = &span;
        }
    }
    if (last_on_worker) {
        const WorkerId worker = last_on_worker->worker();
        task.pid = worker.pid;
        task.tid = worker.tid;
    }
}

TraceBuilder::TraceBuilder(RunInfo info, std::vector<std::string> task_names, Nanos origin)
    : m_info(std::move(info))
    , m_names(std::move(task_names))
    , m_origin(origin)
    , m_task_events(m_names.size())
{
}

namespace {
// Events of one instant in the order a task lives them: it is queued (and its worker starting)
// before anything else, and nothing follows its end. A reader collects lane by lane, so two
// events of one instant on two workers' lanes may come in either order.
int lifecycle_rank(State s) noexcept
{
    return s == State::Queued ? 0 : s == State::Starting ? 1 : is_terminal(s) ? 3 : 2;
}
}

void TraceBuilder::add(std::span<const Event> events)
{
    for (const Event& e : events) {
        if (e.task >= m_task_events.size())
            continue;
        auto& list = m_task_events[e.task];
        if (list.capacity() == 0)
            list.reserve(6); // queued, (starting,) running, waiting, (ready,) running, done: one allocation
        const TaskEvent kept { e.t, worker_number({ e.pid, e.tid }), e.state, e.reason, e.core };
        const auto before = [](const TaskEvent& a, const TaskEvent& b) {
            return a.t < b.t || (a.t == b.t && lifecycle_rank(a.state) < lifecycle_rank(b.state));
        };
        if (list.empty() || !before(kept, list.back())) {
            list.push_back(kept);
        } else {
            // After every event it does not come before: of one instant and rank, as they came.
            list.insert(std::upper_bound(list.begin(), list.end(), kept, before), kept);
        }
        ++m_events;
    }
}

std::uint32_t TraceBuilder::add_task(std::string name, bool thread_row)
{
    if (thread_row)
        m_thread_rows.resize(m_names.size() + 1, false), m_thread_rows.back() = true;
    m_names.push_back(std::move(name));
    m_task_events.emplace_back();
    return std::uint32_t(m_names.size() - 1);
}

void TraceBuilder::set_outcome(std::size_t task, TaskOutcome outcome)
{
    if (task >= m_names.size())
        return;
    if (m_outcomes.size() < m_names.size())
        m_outcomes.resize(m_names.size());
    if (m_has_outcome.size() < m_names.size())
        m_has_outcome.resize(m_names.size(), false);
    m_outcomes.set(task, std::move(outcome));
    m_has_outcome[task] = true;
}

void TraceBuilder::set_outcomes(Outcomes all)
{
    m_has_outcome.assign(std::min(all.size(), m_names.size()), true);
    m_outcomes = std::move(all);
}

Trace TraceBuilder::build(Nanos now, std::vector<CpuSample> cpu, bool complete) const
{
    Trace trace;
    build_into(trace, now, std::move(cpu), complete);
    return trace;
}

void TraceBuilder::build_into(Trace& trace, Nanos now, std::vector<CpuSample> cpu, bool complete) const
{
    // Everything starts again from its default but the storage worth keeping: the rows, their
    // span vectors (emptied), the core spans and the ideal schedule (assigned over).
    std::vector<TaskTrace> tasks = std::move(trace.tasks);
    std::vector<CoreSpan> cores = std::move(trace.cores);
    IdealSchedule ideal = std::move(trace.ideal);
    trace = Trace {};
    cores.clear();
    trace.cores = std::move(cores);
    trace.ideal = std::move(ideal);
    trace.ideal = m_ideal;
    trace.tasks = std::move(tasks);
    trace.info = m_info;
    trace.complete = complete;
    trace.cpu = std::move(cpu);
    // A first snapshot of 100,000 rows is 26 MB of new memory, faulted in a page at a time as
    // the rows are made. Faulted in at once (populate), it held the process's mmap lock for
    // ~90 ms on this VM, in pieces or not, and the GUI thread's next mmap waited behind it: the
    // live window's worst gap was 12-104 ms over 8 runs that way, 12-25 ms this way.
    trace.tasks.reserve(m_names.size());
    trace.tasks.resize(m_names.size());
    Nanos makespan = 0;
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        TaskTrace& task = trace.tasks[i];
        std::vector<Span> spans = std::move(task.spans);
        spans.clear();
        task = TaskTrace {};
        task.spans = std::move(spans);
        task.name = m_names[i];
        task.thread_row = i < m_thread_rows.size() && m_thread_rows[i];
        const auto& events = m_task_events[i];
        // A span per event but the last when it ends the task.
        task.spans.reserve(events.size() - std::size_t(!events.empty() && is_terminal(events.back().state)));
        for (std::size_t k = 0; k < events.size(); ++k) {
            const TaskEvent& e = events[k];
            task.status = e.state;
            if (is_terminal(e.state)) {
                task.finished = e.t - m_origin;
                break;
            }
            const Nanos end = k + 1 < events.size() ? events[k + 1].t : std::max(now, e.t);
            if (end > e.t)
                task.spans.emplace_back(e.t - m_origin, end - m_origin, Span::Numbered { e.worker }, e.core, e.state, e.reason);
        }
        if (!events.empty())
            task.submitted = events.front().t - m_origin;
        summarise_task(task);
        if (i < m_has_outcome.size() && m_has_outcome[i]) {
            const TaskOutcome o = m_outcomes.get(i);
            task.result = o.result;
            task.reason = o.reason;
            task.cpu_time = o.cpu_time;
            task.worker = o.worker;
            if (!task.ended())
                task.status = o.status;
        }
        if (task.finished >= 0)
            makespan = std::max(makespan, task.finished);
    }
    trace.info.makespan = complete ? makespan : std::max<Nanos>(0, now - m_origin);
}

} // namespace timeslice
