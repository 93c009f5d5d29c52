#pragma once

#include <cstdint>
#include <ctime>

namespace timeslice {

// Nanoseconds on CLOCK_MONOTONIC. Every process of a run reads the same clock, so timestamps
// written by worker processes line up with the parent's without any translation.
using Nanos = std::int64_t;

inline Nanos monotonic_now() noexcept
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return Nanos(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// CPU time the calling thread has used (CLOCK_THREAD_CPUTIME_ID).
inline Nanos thread_cpu_now() noexcept
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return Nanos(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

constexpr Nanos kNanosPerSecond = 1'000'000'000;
constexpr Nanos kNanosPerMilli = 1'000'000;

inline double to_seconds(Nanos ns) noexcept { return double(ns) / 1e9; }

} // namespace timeslice
