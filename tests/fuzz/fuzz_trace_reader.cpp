// Any bytes at all: the trace reader must answer with a trace or an error, never crash or hang,
// and every trace it accepts must come back the same through the writer.
#include "core/trace_json.h"

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
        if (!timeslice::trace_from_json(timeslice::trace_to_json(trace), again, error))
            __builtin_trap();
    }
    return 0;
}
