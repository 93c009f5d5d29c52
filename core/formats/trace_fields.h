#pragma once

// Responsible for the trace's metadata fields, one row each: the run's (otherData.timeslice:
// RunInfo, whether the run completed, the kernel's view) and each task's summary
// (otherData.timeslice.tasks), with the JSON key, how the field is written and how it is read
// back and checked. A new field of RunInfo is one row here.

#include "core/formats/json_fields.h"
#include "core/trace/trace.h"

namespace timeslice {

const Fields<Trace>& run_fields();
const Fields<TaskTrace>& task_fields();

// "state_s":{"queued":0.1,...}: seconds in each span state, of a task or a whole run; written for
// people and other tools.
template <typename Record, typename TimeIn> Field<Record> state_seconds_field(TimeIn time_in)
{
    return { "state_s", [time_in](JsonWriter& w, const Record& r) {
                w.raw("{");
                for (int s = 0; s < kSpanStateCount; ++s) {
                    if (s)
                        w.raw(",");
                    w.raw("\"");
                    w.raw(state_name(State(s)));
                    w.raw("\":");
                    w.number(to_seconds(time_in(r, State(s))));
                }
                w.raw("}");
            } };
}

} // namespace timeslice
