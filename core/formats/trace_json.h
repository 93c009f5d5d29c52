#pragma once

#include "core/analysis/schedule.h"
#include "core/trace/trace.h"

#include <optional>
#include <string>
#include <string_view>

namespace timeslice {

// Chrome Trace Event JSON (the object form), which Perfetto UI and chrome://tracing open as is:
// one track per task (pid 1, tid = task index + 1) with an X event per state span, cat = the
// state; for the processes model also one track per worker process; C events for CPU usage;
// instant events where tasks end; and the run summary in otherData.timeslice, with the scorecard
// when one is given: the caller computes it (scorecard_if_any), the writer does not.
std::string trace_to_json(const Trace& trace, const std::optional<Scorecard>& scorecard);

// Reads a trace written by trace_to_json. On error returns false and sets `error` to a message
// that names what is wrong and where ("traceEvents[12].dur: must be a number >= 0").
bool trace_from_json(std::string_view text, Trace& out, std::string& error);

// File wrappers: atomic write; read with a size limit. load_trace also opens a Chrome trace that
// Timeslice did not write (no otherData.timeslice), read-only: see foreign_trace.h.
std::string save_trace(const Trace& trace, const std::optional<Scorecard>& scorecard, const std::string& path);
bool load_trace(const std::string& path, Trace& out, std::string& error);

constexpr int kTraceFormatVersion = 1;
constexpr std::size_t kMaxTraceFileBytes = std::size_t(2) << 30;
constexpr std::int32_t kTaskTrackPid = 1;
// The "CPU cores" process of the kernel's view: one thread per core (tid = core + 1), each span a
// task's thread on that core. Linux never hands out this pid (pid_max is at most 2^22).
constexpr std::int32_t kCoresTrackPid = 0x7fff0000;
// A span written last on its track has no next span to keep clear of.
constexpr Nanos kNoNextSpan = INT64_MIN;
// At most this many nanoseconds are taken off a written duration so that float64 viewers never
// see ts + dur pass the next span's ts (see trace_json.cpp); the reader gives them back.
constexpr Nanos kViewerSlackNanos = 16;

} // namespace timeslice
