#include "core/analysis/schedule.h"

#include "core/workload/compute.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <queue>

namespace timeslice {

namespace {

Nanos compute_ns(const Compute& c, const IdealParams& p) { return Nanos(std::llround(double(c.iterations) * p.ns_per_iteration)); }

Nanos alone(const TaskSpec& task, const IdealParams& p)
{
    Nanos total = 0;
    for (const Step& step : task.steps) {
        if (const auto* c = std::get_if<Compute>(&step))
            total += compute_ns(*c, p);
        else
            total += std::get<Wait>(step).duration;
    }
    return total;
}

void add_span(std::vector<IdealSpan>& spans, Nanos start, Nanos end, State state)
{
    if (end <= start)
        return;
    if (!spans.empty() && spans.back().state == state && spans.back().end == start)
        spans.back().end = end;
    else
        spans.push_back(IdealSpan { start, end, state });
}

// Pools (processes, threads): tasks take a free worker in submission order; computing tasks
// share `capacity` cores equally (one core in all under the GIL); waits need no core. Time moves
// from one step's end to the next.
class PoolSimulation {
public:
    PoolSimulation(const Workload& w, const IdealParams& p);
    IdealSchedule run();

private:
    // A task holding a worker: the step it is on and what is left of it.
    struct Active {
        std::size_t task;
        std::size_t step = 0;
        double remaining = 0; // ns of single-core work left in a compute step
        Nanos wait_end = 0;
        Nanos step_start = 0;
    };

    bool computes(const Active& a) const { return std::holds_alternative<Compute>(m_w.tasks[a.task].steps[a.step]); }
    bool begin_step(Active& a) const;
    void activate();
    double computing_rate() const;
    double time_to_next_end(double rate) const;
    void advance(double dt, double rate);

    const Workload& m_w;
    const IdealParams& m_p;
    const double m_capacity;
    const std::size_t m_slots;
    IdealSchedule m_out;
    std::vector<Active> m_active;
    std::size_t m_next = 0;
    double m_now = 0;
};

PoolSimulation::PoolSimulation(const Workload& w, const IdealParams& p)
    : m_w(w)
    , m_p(p)
    , m_capacity(p.gil && describe(p.model).gil ? 1.0 : double(std::max(1, p.cores)))
    , m_slots(std::max<std::size_t>(1, std::size_t(std::max(1, p.workers))))
{
    m_out.tasks.resize(w.tasks.size());
}

IdealSchedule PoolSimulation::run()
{
    activate();
    while (!m_active.empty()) {
        const double rate = computing_rate();
        const double dt = std::max(0.0, time_to_next_end(rate));
        m_now += dt;
        advance(dt, rate);
        activate();
    }
    return std::move(m_out);
}

// Starts the task's current step now; skips zero-length steps; returns false when the task has
// no steps left.
bool PoolSimulation::begin_step(Active& a) const
{
    const auto& steps = m_w.tasks[a.task].steps;
    while (a.step < steps.size()) {
        a.step_start = Nanos(std::llround(m_now));
        if (const auto* c = std::get_if<Compute>(&steps[a.step])) {
            a.remaining = double(compute_ns(*c, m_p));
            if (a.remaining > 0)
                return true;
        } else {
            const Nanos d = std::get<Wait>(steps[a.step]).duration;
            a.wait_end = Nanos(std::llround(m_now)) + d;
            if (d > 0)
                return true;
        }
        ++a.step;
    }
    return false;
}

// Queued tasks take the free workers, in submission order.
void PoolSimulation::activate()
{
    while (m_active.size() < m_slots && m_next < m_w.tasks.size()) {
        Active a { m_next++ };
        add_span(m_out.tasks[a.task], 0, Nanos(std::llround(m_now)), State::Queued);
        if (begin_step(a))
            m_active.push_back(a);
    }
}

// The share of a core each computing task gets: the capacity split equally, at most one each.
double PoolSimulation::computing_rate() const
{
    std::size_t computing = 0;
    for (const Active& a : m_active)
        computing += computes(a);
    return computing ? std::min(1.0, m_capacity / double(computing)) : 1.0;
}

// How long until the first of the active steps ends, computing at `rate`.
double PoolSimulation::time_to_next_end(double rate) const
{
    double dt = 1e30;
    for (const Active& a : m_active) {
        if (computes(a))
            dt = std::min(dt, a.remaining / rate);
        else
            dt = std::min(dt, double(a.wait_end) - m_now);
    }
    return dt;
}

// Every active step has run for `dt` (m_now is already past it): the steps that ended become
// spans, and their tasks begin their next step or give their worker back.
void PoolSimulation::advance(double dt, double rate)
{
    std::vector<Active> still;
    for (Active& a : m_active) {
        const bool computing = computes(a);
        bool step_done = false;
        if (computing) {
            a.remaining -= dt * rate;
            step_done = a.remaining <= 0.5;
        } else {
            step_done = double(a.wait_end) <= m_now + 0.5;
        }
        if (!step_done) {
            still.push_back(a);
            continue;
        }
        add_span(m_out.tasks[a.task], a.step_start, Nanos(std::llround(m_now)), computing ? State::Running : State::Waiting);
        ++a.step;
        if (begin_step(a))
            still.push_back(a);
    }
    m_active = std::move(still);
}

IdealSchedule pool_schedule(const Workload& w, const IdealParams& p) { return PoolSimulation(w, p).run(); }

// One event loop in asyncio's order (see async_model.cpp): a FIFO ready queue; each turn first
// queues the callbacks of the timers that are due, then runs what was queued when it began; a
// due timer's callback queues its task's wake-up, so the task resumes a turn later. A task runs
// until it awaits; a timer that expires while others run shows as ready until it resumes; a
// blocking wait holds the loop.
IdealSchedule loop_schedule(const Workload& w, const IdealParams& p)
{
    const std::size_t n = w.tasks.size();
    IdealSchedule out;
    out.tasks.resize(n);
    struct Timer {
        Nanos at;
        std::uint64_t seq;
        std::size_t task;
        bool operator>(const Timer& o) const { return at != o.at ? at > o.at : seq > o.seq; }
    };
    struct Callback {
        std::size_t task;
        bool timer;
    };
    std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers;
    std::deque<Callback> ready;
    std::vector<std::size_t> step(n, 0);
    std::vector<Nanos> waited_since(n, 0), deadline(n, 0);
    std::vector<bool> started(n, false);
    std::uint64_t seq = 0;
    for (std::size_t i = 0; i < n; ++i)
        ready.push_back(Callback { i, false });
    Nanos now = 0;
    // Runs task t from where it stopped until it awaits or ends.
    const auto run = [&](std::size_t t) {
        auto& spans = out.tasks[t];
        if (!started[t]) {
            started[t] = true;
            add_span(spans, 0, now, State::Queued);
        } else {
            add_span(spans, waited_since[t], deadline[t], State::Waiting);
            add_span(spans, deadline[t], now, State::Ready);
        }
        const auto& steps = w.tasks[t].steps;
        while (step[t] < steps.size()) {
            const Step& s = steps[step[t]++];
            if (const auto* c = std::get_if<Compute>(&s)) {
                const Nanos d = compute_ns(*c, p);
                add_span(spans, now, now + d, State::Running);
                now += d;
                continue;
            }
            const Wait& wait = std::get<Wait>(s);
            if (wait.blocking) {
                add_span(spans, now, now + wait.duration, State::Waiting);
                now += wait.duration;
                continue;
            }
            waited_since[t] = now;
            deadline[t] = now + wait.duration;
            if (wait.duration <= 0)
                ready.push_back(Callback { t, false });
            else
                timers.push(Timer { deadline[t], seq++, t });
            return;
        }
    };
    while (!ready.empty() || !timers.empty()) {
        if (ready.empty())
            now = std::max(now, timers.top().at);
        while (!timers.empty() && timers.top().at <= now) {
            ready.push_back(Callback { timers.top().task, true });
            timers.pop();
        }
        for (std::size_t todo = ready.size(); todo > 0; --todo) {
            const Callback c = ready.front();
            ready.pop_front();
            if (c.timer)
                ready.push_back(Callback { c.task, false });
            else
                run(c.task);
        }
    }
    return out;
}

} // namespace

IdealParams ideal_params_for(const Workload& workload, ModelKind model, const ModelOptions& options)
{
    IdealParams p;
    p.model = model;
    p.gil = describe(model).gil && options.gil;
    p.cores = online_cores();
    p.workers = std::max(1, std::min<int>(pool_size(model, options.workers), int(workload.tasks.size())));
    p.ns_per_iteration = measured_ns_per_iteration();
    return p;
}

double measured_ns_per_iteration() { return ns_per_iteration(); }

IdealSchedule ideal_schedule(const Workload& workload, const IdealParams& params)
{
    IdealSchedule s = describe(params.model).predicted == PredictedAs::Loop ? loop_schedule(workload, params)
                                                                            : pool_schedule(workload, params);
    for (const auto& spans : s.tasks) {
        if (!spans.empty())
            s.makespan = std::max(s.makespan, spans.back().end);
    }
    for (const TaskSpec& t : workload.tasks)
        s.serial += alone(t, params);
    return s;
}

bool has_scorecard(const Trace& trace)
{
    // Real Python has no predicted schedule (its speed is its own), and still a scorecard.
    const EngineDescriptor* engine = find_engine(trace.info.engine);
    if (!trace.complete || (trace.ideal.empty() && engine && engine->predicts))
        return false;
    for (const TaskTrace& t : trace.tasks) {
        if (t.status != State::Done)
            return false;
    }
    return true;
}

std::optional<Scorecard> scorecard_if_any(const Trace& trace)
{
    if (!has_scorecard(trace))
        return std::nullopt;
    return compute_scorecard(trace);
}

Scorecard compute_scorecard(const Trace& trace)
{
    Scorecard s;
    s.makespan = trace.info.makespan;
    s.ideal_makespan = trace.ideal.makespan;
    s.serial = trace.ideal.serial;
    if (s.serial == 0 && trace.ideal.empty()) {
        // No prediction (real Python): each task alone is taken to need the time it did work
        // on a core and the time it waited for I/O or a timer, as measured. Time preempted, on
        // a lock or waiting for the GIL is what running together cost, not work: counting it
        // would flatter the run.
        for (const TaskTrace& t : trace.tasks) {
            for (const Span& span : t.spans) {
                if (span.state == State::Running || span.state == State::Waiting)
                    s.serial += span.duration();
            }
        }
    }
    if (s.makespan > 0) {
        s.vs_ideal = s.ideal_makespan > 0 ? double(s.makespan) / double(s.ideal_makespan) : 0;
        s.speedup = double(s.serial) / double(s.makespan);
    }
    Nanos busy = 0, startup = 0;
    std::size_t started = 0;
    s.gil_switches = trace.info.gil_hand_overs;
    for (const TaskTrace& t : trace.tasks) {
        for (const Span& span : t.spans) {
            s.time_in_state[std::size_t(span.state)] += span.duration();
            if (span.state != State::Queued && span.state != State::Starting)
                busy += span.duration();
        }
        if (t.started >= 0) {
            const Nanos cost = t.time_in(State::Starting);
            startup += cost;
            s.max_startup = std::max(s.max_startup, cost);
            ++started;
        }
    }
    if (started)
        s.mean_startup = startup / Nanos(started);
    if (s.makespan > 0)
        s.concurrency = double(busy) / double(s.makespan);
    double sum = 0;
    std::size_t count = 0;
    for (const CpuSample& c : trace.cpu) {
        if (c.t <= s.makespan + 60 * kNanosPerMilli) {
            sum += c.total;
            ++count;
        }
    }
    s.cpu_utilisation = count ? sum / double(count) : 0;

    s.kernel = trace.kernel.source;
    if (s.kernel != KernelSource::None) {
        for (const TaskTrace& t : trace.tasks) {
            if (!t.kernel)
                continue;
            KernelStats& k = s.kernel_total;
            k.on_core += t.kernel->on_core;
            k.preempted += t.kernel->preempted;
            k.blocked += t.kernel->blocked;
            k.preemptions += t.kernel->preemptions;
            k.switches += t.kernel->switches;
            k.migrations += t.kernel->migrations;
        }
        if (s.makespan > 0 && trace.info.cores > 0) {
            s.cpu_utilisation = 100.0 * double(s.kernel_total.on_core) / (double(s.makespan) * trace.info.cores);
            s.cpu_is_own = true;
        }
        if (trace.kernel.gil_wait > 0)
            s.gil_wait_on_core = double(trace.kernel.gil_wait_on_core) / double(trace.kernel.gil_wait);
        if (trace.kernel.waiting > 0)
            s.waiting_on_core = double(trace.kernel.waiting_on_core) / double(trace.kernel.waiting);
    }
    return s;
}

int peak_at_once(const Trace& trace, State state)
{
    std::vector<std::pair<Nanos, int>> edges; // +1 at a start, -1 at an end; ends sort first
    for (const TaskTrace& t : trace.tasks) {
        for (const Span& s : t.spans) {
            if ((s.state == state || model_state(s.state) == state) && s.end > s.start) {
                edges.emplace_back(s.start, 1);
                edges.emplace_back(s.end, -1);
            }
        }
    }
    std::sort(edges.begin(), edges.end());
    int now = 0, peak = 0;
    for (const auto& e : edges)
        peak = std::max(peak, now += e.second);
    return peak;
}

std::string scorecard_text(const Scorecard& s)
{
    const auto secs = [](Nanos ns) { return to_seconds(ns); };
    const std::string predicted = s.ideal_makespan > 0
        ? fmt::format("predicted {:.3f} s, {:.2f}x", secs(s.ideal_makespan), s.vs_ideal)
        : std::string("no prediction for real Python");
    std::string out = fmt::format("makespan {:.3f} s ({}) · speedup {:.2f}x over one after another · "
                                  "CPU {:.0f}% ({}) · {:.1f} tasks at once · start-up {:.1f} ms mean, {:.1f} ms max",
        secs(s.makespan), predicted, s.speedup, s.cpu_utilisation, s.cpu_is_own ? "this run's own" : "whole machine",
        s.concurrency, double(s.mean_startup) / 1e6, double(s.max_startup) / 1e6);
    if (s.gil_switches)
        out += fmt::format(" · {} GIL hand-overs", s.gil_switches);
    if (s.kernel == KernelSource::None) {
        out += "\nkernel data: none";
    } else {
        const KernelStats& k = s.kernel_total;
        out += fmt::format("\nkernel ({}): on a core {:.3f} s · preempted {:.3f} s · blocked {:.3f} s · {} preemptions · "
                           "{} switches · {} migrations",
            kernel_source_name(s.kernel), secs(k.on_core), secs(k.preempted), secs(k.blocked), k.preemptions, k.switches,
            k.migrations);
        // Where the kernel disagrees with the model: a GIL wait or a wait spent on a core.
        if (s.gil_wait_on_core > 0.10)
            out += fmt::format(" · GIL waits on a core {:.0f}% of their time (the model says off)", 100 * s.gil_wait_on_core);
        if (s.waiting_on_core > 0.10)
            out += fmt::format(" · waits on a core {:.0f}% of their time (the model says off)", 100 * s.waiting_on_core);
    }
    out += "\ntime in state:";
    for (int i = 0; i < kSpanStateCount; ++i) {
        if (s.time_in_state[std::size_t(i)] != 0)
            out += fmt::format(" {} {:.3f} s", state_name(State(i)), secs(s.time_in_state[std::size_t(i)]));
    }
    return out;
}

} // namespace timeslice
