#pragma once

// Responsible for reading a trace back from the Chrome Trace Event JSON that trace_to_json
// writes, checking it all, and for opening a Chrome trace another tool wrote (foreign_trace.h).

#include "core/base/file_text.h"
#include "core/trace/trace.h"

#include <string>
#include <string_view>

namespace timeslice {

// Reads a trace written by trace_to_json. On error returns false and sets `error` to a message
// that names what is wrong and where ("traceEvents[12].dur: must be a number >= 0").
bool trace_from_json(std::string_view text, Trace& out, std::string& error);

// Reads a file, with a size limit. Also opens a Chrome trace that Timeslice did not write (no
// otherData.timeslice), read-only: see foreign_trace.h.
bool load_trace(const std::string& path, Trace& out, std::string& error);
// The same, from a file already open; `path` names it in messages. A file cut short while it is
// read (FileText::truncated) is an error, and `out` is left empty.
bool load_trace(const FileText& file, const std::string& path, Trace& out, std::string& error);

} // namespace timeslice
