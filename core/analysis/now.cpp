#include "core/analysis/now.h"

#include "core/models/registry.h"

#include <algorithm>

namespace timeslice {

namespace {

// The span of `spans` (sorted, not overlapping) covering `at`, or nullptr. A span covers
// [start, end): at a boundary the later span is the one shown.
const Span* span_at(const std::vector<Span>& spans, Nanos at, std::size_t* index)
{
    const auto after = std::upper_bound(
        spans.begin(), spans.end(), at, [](Nanos t, const Span& s) { return t < s.start; });
    if (after == spans.begin())
        return nullptr;
    const auto it = std::prev(after);
    if (at >= it->end)
        return nullptr;
    *index = std::size_t(it - spans.begin());
    return &*it;
}

// When the state of spans[index] began: adjacent spans of one state are one stretch of it.
Nanos stretch_start(const std::vector<Span>& spans, std::size_t index)
{
    std::size_t k = index;
    while (k > 0 && spans[k - 1].state == spans[index].state && spans[k - 1].end == spans[k].start)
        --k;
    return spans[k].start;
}

void order_by_since(std::vector<std::size_t>& tasks, const Now& now)
{
    const auto since = [&](std::size_t task) {
        for (const TaskNow& t : now.tasks)
            if (t.task == task)
                return t.since;
        return Nanos(0);
    };
    std::stable_sort(tasks.begin(), tasks.end(), [&](std::size_t a, std::size_t b) { return since(a) < since(b); });
}

} // namespace

Now now_at(const Trace& trace, Nanos at)
{
    Now now;
    now.at = at;
    std::vector<const Span*> spans; // beside now.tasks
    for (std::size_t i = 0; i < trace.tasks.size(); ++i) {
        std::size_t index = 0;
        const Span* s = span_at(trace.tasks[i].spans, at, &index);
        if (!s)
            continue;
        now.tasks.push_back({ i, s->state, s->state == State::Running ? s->core : -1,
            stretch_start(trace.tasks[i].spans, index) });
        spans.push_back(s);
    }
    if (trace.foreign)
        return now;
    const ModelDescriptor* model = find_model(trace.info.model);
    const bool loop = model && model->kind == ModelKind::Async;
    for (std::size_t k = 0; k < now.tasks.size(); ++k) {
        const TaskNow& t = now.tasks[k];
        const Span& s = *spans[k];
        // Preempted by the kernel, a thread still holds the GIL, a task still has the loop.
        const bool computing = t.state == State::Running || t.state == State::Preempted;
        if (trace.info.gil && computing && s.gil != GilHold::Released)
            now.gil_holder = t.task;
        if (trace.info.gil && t.state == State::GilWait)
            now.gil_waiters.push_back(t.task);
        if (loop && computing)
            now.loop_running = t.task;
        // A task not yet started waits in the same queue for its first step.
        if (loop && (t.state == State::Ready || t.state == State::Queued))
            now.ready_queue.push_back(t.task);
    }
    order_by_since(now.gil_waiters, now);
    order_by_since(now.ready_queue, now);
    return now;
}

std::optional<Nanos> next_change(const Trace& trace, Nanos at)
{
    std::optional<Nanos> best;
    const auto consider = [&](Nanos t) {
        if (t > at && (!best || t < *best))
            best = t;
    };
    for (const TaskTrace& task : trace.tasks) {
        const auto& spans = task.spans;
        // The first span ending after `at` gives both candidates: its start or its end.
        const auto it = std::upper_bound(
            spans.begin(), spans.end(), at, [](Nanos t, const Span& s) { return t < s.end; });
        if (it == spans.end())
            continue;
        consider(it->start);
        consider(it->end);
    }
    return best;
}

std::optional<Nanos> previous_change(const Trace& trace, Nanos at)
{
    std::optional<Nanos> best;
    const auto consider = [&](Nanos t) {
        if (t < at && (!best || t > *best))
            best = t;
    };
    for (const TaskTrace& task : trace.tasks) {
        const auto& spans = task.spans;
        // The last span starting before `at` gives both candidates.
        const auto after = std::lower_bound(
            spans.begin(), spans.end(), at, [](const Span& s, Nanos t) { return s.start < t; });
        if (after == spans.begin())
            continue;
        const auto it = std::prev(after);
        consider(it->start);
        consider(it->end);
    }
    return best;
}

} // namespace timeslice
