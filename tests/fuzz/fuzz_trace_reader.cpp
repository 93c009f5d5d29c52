// Any bytes at all: the trace reader must answer with a trace or an error, never crash or hang;
// and its JSON reader (core/json_sax.h) must accept exactly what nlohmann-json accepts.
#include "core/json_sax.h"
#include "core/trace_json.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {
struct Accept {
    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(std::int64_t) { return true; }
    bool number_unsigned(std::uint64_t) { return true; }
    bool number_float(double, const std::string&) { return true; }
    bool string(std::string&) { return true; }
    bool key(std::string&) { return true; }
    bool start_object(std::size_t) { return true; }
    bool end_object() { return true; }
    bool start_array(std::size_t) { return true; }
    bool end_array() { return true; }
};
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    // Differential: both JSON readers agree on what is JSON. Ours is stricter in three places:
    // past its depth bound, for numbers out of double's range, and after a NUL byte (which
    // nlohmann-json takes for the end of the input).
    Accept accept;
    std::string why;
    const bool ours = timeslice::json_sax::parse(text, accept, why);
    const bool theirs = nlohmann::json::accept(text);
    const bool known_difference = why.find("nesting deeper") != std::string::npos
        || why.find("out of range") != std::string::npos || text.find('\0') != std::string_view::npos;
    if (ours != theirs && !known_difference)
        __builtin_trap();

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
