#pragma once

// Responsible for the run's summary beside the trace's events: otherData.timeslice (the run's
// fields, the scorecard it was given, the predicted schedule and each task's summary), which
// Timeslice reads back, and the flat "metadata" object that Perfetto shows people.

#include "core/analysis/schedule.h"
#include "core/formats/json_fields.h"
#include "core/formats/json_writer.h"
#include "core/trace/trace.h"

#include <optional>

namespace timeslice {

// "metadata":{...},\n
void write_viewer_metadata(JsonWriter& w, const Trace& trace, const std::optional<Scorecard>& scorecard);
// "otherData":{"timeslice":{...}}
void write_run_summary(JsonWriter& w, const Trace& trace, const std::optional<Scorecard>& scorecard);

// Reads otherData.timeslice (`timeslice`, an object) into the trace: all but the events.
void read_run_summary(const json& timeslice, Trace& out);

} // namespace timeslice
