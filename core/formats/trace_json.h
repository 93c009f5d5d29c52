#pragma once

// Chrome Trace Event JSON, the file format of a trace: the writer (trace_writer.h), the reader
// (trace_reader.h), and the constants they share.

#include "core/formats/trace_reader.h"
#include "core/formats/trace_writer.h"

#include <cstdint>
#include <string_view>

namespace timeslice {

constexpr int kTraceFormatVersion = 1;
constexpr std::size_t kMaxTraceFileBytes = std::size_t(2) << 30;
constexpr std::int32_t kTaskTrackPid = 1;
// The "CPU cores" process of the kernel's view: one thread per core (tid = core + 1), each span a
// task's thread on that core. Linux never hands out this pid (pid_max is at most 2^22).
constexpr std::int32_t kCoresTrackPid = 0x7fff0000;
// A span written last on its track has no next span to keep clear of.
constexpr Nanos kNoNextSpan = INT64_MIN;
// At most this many nanoseconds are taken off a written duration so that float64 viewers never
// see ts + dur pass the next span's ts (see trace_writer.cpp); the reader gives them back.
constexpr Nanos kViewerSlackNanos = 16;

// The counters of CPU use, on the task track: the machine's per core and in total, and, with the
// kernel's view, the run's own.
constexpr std::string_view kCpuPerCoreCounter = "CPU usage per core (%)";
constexpr std::string_view kCpuTotalCounter = "CPU usage total (%)";
constexpr std::string_view kRunCpuPerCoreCounter = "CPU usage of this run per core (%)";
constexpr std::string_view kRunCpuTotalCounter = "CPU usage of this run total (%)";

} // namespace timeslice
