#pragma once

// Responsible for writing a trace as Chrome Trace Event JSON (the object form), which Perfetto UI
// and chrome://tracing open as is: one track per task (pid 1, tid = task index + 1) with an X
// event per state span, cat = the state; for the processes model also one track per worker
// process; the kernel's view as one track per core; C events for CPU usage; instant events where
// tasks end; and the run's summary in otherData.timeslice (run_summary.h).

#include "core/analysis/schedule.h"
#include "core/trace/trace.h"

#include <optional>
#include <string>

namespace timeslice {

// The scorecard is the caller's to compute (scorecard_if_any): written with the summary when given.
std::string trace_to_json(const Trace& trace, const std::optional<Scorecard>& scorecard);

// Writes the file atomically; returns "" or why it could not.
std::string save_trace(const Trace& trace, const std::optional<Scorecard>& scorecard, const std::string& path);

} // namespace timeslice
