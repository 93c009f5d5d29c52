#pragma once

// Responsible for turning the events of traceEvents, one at a time as the reader parses them,
// into the trace's spans, core spans and CPU samples, checking every field it uses and naming
// the event where one is wrong ("traceEvents[12].dur: ...").

#include "core/trace/trace.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace timeslice {

// One scalar of an event, with its JSON type, so the checks can say "must be an integer". A
// string is a view into the parser's text or its string buffer: valid while the file is read.
struct Value {
    enum Kind { Missing, Int, Float, String, Bool, Other } kind = Missing;
    long long i = 0;
    double d = 0;
    std::string_view s;
};

struct EventFields {
    Value ph, name, cat, pid, tid, ts, dur;
    bool has_args = false;
    Value worker_pid, worker_tid, core;
    std::vector<std::pair<std::string_view, Value>> args;

    // Ready for the next event, keeping the memory of this one.
    void clear()
    {
        for (Value* v : { &ph, &name, &cat, &pid, &tid, &ts, &dur, &worker_pid, &worker_tid, &core })
            v->kind = Value::Missing;
        has_args = false;
        args.clear();
    }
};

// "traceEvents[12]"
std::string event_where(std::size_t index);

class TraceEvents {
public:
    // The event at `index` of traceEvents: a task's span, a core span, a CPU sample, or one the
    // trace has no use for (metadata, worker tracks, instants).
    void add(const EventFields& e, std::size_t index);
    // Once the run's summary is read into `out` (its tasks): checks the events against it and
    // moves them in.
    void finish(Trace& out);

private:
    void add_task_span(const EventFields& e, std::size_t index);
    void add_core_span(const EventFields& e, std::size_t index);
    void add_cpu_sample(const EventFields& e, std::size_t index);
    // A span's reason, GIL and target (real Python), where it has them.
    void read_span_why(const EventFields& e, std::size_t index, Span& span);

    std::vector<std::vector<Span>> m_spans; // by track tid (task index + 1)
    std::vector<std::size_t> m_first_event_of_tid;
    std::vector<CpuSample> m_cpu;
    CpuSample m_own { 0, {}, 0, {}, -1 }; // the run's own use, waiting for the machine's sample
    std::vector<CoreSpan> m_cores;
    std::vector<std::string> m_targets { "" }; // Trace::targets, in the order spans name them
};

} // namespace timeslice
