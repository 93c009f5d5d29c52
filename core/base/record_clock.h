#pragma once

// The clock a state change is recorded with: CLOCK_MONOTONIC's nanoseconds, read in a few
// nanoseconds from the CPU's time-stamp counter where it is invariant, as Tracy does.
//
// Each thread keeps an anchor, a (TSC, CLOCK_MONOTONIC) pair read together, and converts the
// ticks since it with the process's ratio of nanoseconds to ticks. It reads the clock again, and
// re-anchors, once a millisecond of ticks has passed (and on its first use), so a timestamp is
// never further from CLOCK_MONOTONIC than the ratio's error over one millisecond: timestamps of
// worker processes, which convert with their own anchors, still line up with the parent's.
// The ratio is measured, not assumed: between the process's first anchor and each later one
// (the longer the baseline, the finer), and until a first millisecond has passed the clock
// itself is read. Each thread's readings strictly increase: where the clock has not passed the
// thread's last reading (a re-anchor that finds it behind, a coarse clock), each reading is its
// last plus a nanosecond until the clock passes it, so two state changes of one thread are never
// of one instant and neither's span is lost (TraceBuilder keeps no zero-length span). A reading
// is then ahead of the clock by at most that gap, shrinking with every reading. Events of one
// task from two threads, or from a time computed rather than read, can still share an instant.
//
// Where the TSC is not known to be invariant (no constant_tsc and nonstop_tsc in /proc/cpuinfo,
// not x86-64), or TIMESLICE_CLOCK=clock_gettime, record_now() reads CLOCK_MONOTONIC; the trace
// says which (record_clock_name()).

#include "core/base/clock.h"

#include <atomic>
#include <cstdint>
#include <string_view>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace timeslice {

namespace record_clock_detail {

struct Anchor {
    std::uint64_t tsc = 0;
    Nanos ns = 0;
    Nanos last = 0; // the thread's latest reading: readings strictly increase
    std::uint64_t mult = 0; // ns per tick << 32, as when anchored; 0: not anchored
};

// 1: the TSC, 0: clock_gettime, -1: not decided yet
extern std::atomic<int> g_mode;
extern thread_local Anchor t_anchor;
// Ticks between re-anchors: about a millisecond.
extern std::atomic<std::uint64_t> g_window;

Nanos slow_now() noexcept; // decides the mode, re-anchors, or reads the clock

inline std::uint64_t ticks() noexcept
{
#if defined(__x86_64__)
    return __rdtsc();
#else
    return 0;
#endif
}

} // namespace record_clock_detail

inline Nanos record_now() noexcept
{
    using namespace record_clock_detail;
    Anchor& a = t_anchor;
    if (a.mult != 0) [[likely]] {
        const std::uint64_t d = ticks() - a.tsc;
        if (d < g_window.load(std::memory_order_relaxed)) [[likely]] {
            const Nanos t = a.ns + Nanos((static_cast<unsigned __int128>(d) * a.mult) >> 32);
            return a.last = t > a.last ? t : a.last + 1;
        }
    }
    return slow_now();
}

// "tsc" (the time-stamp counter, re-anchored to CLOCK_MONOTONIC every millisecond) or
// "clock_gettime" (CLOCK_MONOTONIC read each time), and why in the second case.
std::string_view record_clock_name() noexcept;

} // namespace timeslice
