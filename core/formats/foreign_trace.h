#pragma once

#include "core/trace/trace.h"

#include <string>
#include <string_view>

namespace timeslice {

// Reads a Chrome Trace Event JSON file that Timeslice did not write (the object form
// {"traceEvents": [...]} or the bare array) into rows of named spans, read-only (see
// ForeignTrace): one row per thread (pid, tid) and nesting depth; X events and matched B/E pairs
// are spans; M events name the threads and processes; everything else is counted in
// not_understood. Fails, with a message, only for text that is not JSON or has no span at all.
bool foreign_trace_from_json(std::string_view text, Trace& out, std::string& error);

// What was not understood, one line each ("3 events with ph 'C' (counter)"), or "".
std::string not_understood_text(const ForeignTrace& foreign);

} // namespace timeslice
