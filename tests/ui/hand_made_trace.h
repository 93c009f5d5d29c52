#pragma once

#include "core/trace/trace.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace timeslice::test {

// A task made by hand: its states with the moment each begins; the last lasts until `end`.
inline TaskTrace task_of_states(const char* name, const std::vector<std::pair<State, Nanos>>& states, Nanos end)
{
    TaskTrace t;
    t.name = name;
    t.status = State::Done;
    for (std::size_t i = 0; i < states.size(); ++i) {
        Span s;
        s.state = states[i].first;
        s.start = states[i].second;
        s.end = i + 1 < states.size() ? states[i + 1].second : end;
        t.spans.push_back(s);
    }
    return t;
}

// A finished async table-loading run of `n` tasks, each waiting the same second: many rows.
inline std::shared_ptr<const Trace> waiting_tasks(int n)
{
    auto trace = std::make_shared<Trace>();
    trace->info.workload = "table-loading";
    trace->info.model = "async";
    trace->complete = true;
    for (int i = 0; i < n; ++i) {
        TaskTrace t;
        t.name = "T" + std::to_string(i + 1);
        t.status = State::Done;
        t.spans.push_back(Span { 0, kNanosPerSecond, 0, 0, -1, State::Waiting });
        trace->tasks.push_back(t);
    }
    return trace;
}

} // namespace timeslice::test
