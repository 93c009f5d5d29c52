#pragma once

// Responsible for how reading a trace fails: one error whose message says where the problem is
// and what it is ("traceEvents[12].dur: must be between 0 and ..."), and the limits the checks share.

#include "core/base/clock.h"

#include <cmath>
#include <string>

namespace timeslice {

struct ReadError {
    std::string message;
};

[[noreturn]] inline void fail(const std::string& where, const std::string& what)
{
    throw ReadError { where + ": " + what };
}

constexpr double kMaxMicros = 1e14; // about three years of trace
constexpr long long kMaxNanos = 100'000'000'000'000'000LL;

inline Nanos micros_to_nanos(double us) { return Nanos(std::llround(us * 1000.0)); }

} // namespace timeslice
