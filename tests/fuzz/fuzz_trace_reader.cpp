// Any bytes at all: the trace reader must answer with a trace or an error, never crash or hang,
// and every trace it accepts must come back the same through the writer. The reader of foreign
// Chrome traces likewise answers with rows or an error, never a crash.
#include "core/formats/foreign_trace.h"
#include "core/formats/trace_json.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    timeslice::Trace trace;
    std::string error;
    const bool ok = timeslice::trace_from_json(text, trace, error);
    // A refusal always says why; a success always round-trips.
    if (!ok && error.empty())
        __builtin_trap();
    if (ok) {
        timeslice::Trace again;
        if (!timeslice::trace_from_json(timeslice::trace_to_json(trace, timeslice::scorecard_if_any(trace)), again, error))
            __builtin_trap();
    }
    timeslice::Trace foreign;
    if (timeslice::foreign_trace_from_json(text, foreign, error)) {
        // Rows that follow each other, as the timeline's culling needs, each span with its name.
        if (!foreign.foreign || foreign.tasks.empty() || foreign.foreign->span_names.size() != foreign.tasks.size())
            __builtin_trap();
        for (std::size_t row = 0; row < foreign.tasks.size(); ++row) {
            const auto& spans = foreign.tasks[row].spans;
            if (foreign.foreign->span_names[row].size() != spans.size())
                __builtin_trap();
            for (std::size_t k = 0; k < spans.size(); ++k) {
                if (spans[k].end < spans[k].start || (k > 0 && spans[k - 1].end > spans[k].start)
                    || foreign.foreign->span_names[row][k] >= foreign.foreign->names.size())
                    __builtin_trap();
            }
        }
    } else if (error.empty()) {
        __builtin_trap();
    }
    return 0;
}
