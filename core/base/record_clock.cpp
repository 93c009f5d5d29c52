#include "core/base/record_clock.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <string>

namespace timeslice {

namespace record_clock_detail {

std::atomic<int> g_mode { -1 };
thread_local Anchor t_anchor;
std::atomic<std::uint64_t> g_window { 0 };

namespace {

constexpr Nanos kWindow = kNanosPerMilli;

// The process's first anchor, and the ratio measured from it (ns per tick << 32; 0: not yet).
std::mutex g_first_mutex;
std::uint64_t g_first_tsc = 0;
Nanos g_first_ns = 0;
std::atomic<std::uint64_t> g_mult { 0 };
const char* g_why = "";

// The TSC and CLOCK_MONOTONIC read as close together as this thread can: the pair with the
// fewest ticks around the clock's read, of five (a preemption inside one read is left out).
std::pair<std::uint64_t, Nanos> read_pair() noexcept
{
    std::uint64_t best_tsc = 0, best_span = ~std::uint64_t(0);
    Nanos best_ns = 0;
    for (int i = 0; i < 5; ++i) {
        const std::uint64_t before = ticks();
        const Nanos ns = monotonic_now();
        const std::uint64_t after = ticks();
        if (after - before < best_span) {
            best_span = after - before;
            best_tsc = before + (after - before) / 2;
            best_ns = ns;
        }
    }
    return { best_tsc, best_ns };
}

int decide() noexcept
{
    if (const char* env = std::getenv("TIMESLICE_CLOCK"); env && std::strcmp(env, "clock_gettime") == 0) {
        g_why = "clock_gettime (TIMESLICE_CLOCK=clock_gettime)";
        return 0;
    }
#if defined(__x86_64__)
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        if (!line.starts_with("flags"))
            continue;
        const auto has = [&](const char* flag) { return (" " + line + " ").find(std::string(" ") + flag + " ") != std::string::npos; };
        if (has("constant_tsc") && has("nonstop_tsc"))
            return 1;
        g_why = "clock_gettime (the TSC is not invariant here: no constant_tsc and nonstop_tsc)";
        return 0;
    }
    g_why = "clock_gettime (no CPU flags in /proc/cpuinfo)";
    return 0;
#else
    g_why = "clock_gettime (no time-stamp counter read on this architecture)";
    return 0;
#endif
}

} // namespace

Nanos slow_now() noexcept
{
    int mode = g_mode.load(std::memory_order_acquire);
    if (mode < 0) {
        static std::once_flag once;
        std::call_once(once, [] { g_mode.store(decide(), std::memory_order_release); });
        mode = g_mode.load(std::memory_order_acquire);
    }
    Anchor& a = t_anchor;
    const auto clamp = [&a](Nanos t) { return a.last = t > a.last ? t : a.last + 1; };
    if (mode == 0)
        return clamp(monotonic_now());
    std::uint64_t mult = g_mult.load(std::memory_order_acquire);
    if (mult == 0) {
        // No ratio yet: the process's first anchor, then the clock itself until a millisecond
        // of ticks can be measured against it.
        const Nanos now = monotonic_now();
        std::lock_guard lock(g_first_mutex);
        if (g_first_tsc == 0) {
            const auto [tsc, ns] = read_pair();
            g_first_tsc = tsc;
            g_first_ns = ns;
            return clamp(now);
        }
        if (now - g_first_ns < kWindow)
            return clamp(now);
    }
    const auto [tsc, ns] = read_pair();
    {
        std::lock_guard lock(g_first_mutex);
        if (tsc > g_first_tsc && ns - g_first_ns >= kWindow) {
            // The ratio over the longest baseline this process has: its first anchor to now.
            mult = std::uint64_t((static_cast<unsigned __int128>(ns - g_first_ns) << 32) / (tsc - g_first_tsc));
            g_mult.store(mult, std::memory_order_release);
            g_window.store(std::uint64_t((static_cast<unsigned __int128>(kWindow) << 32) / mult), std::memory_order_relaxed);
        }
    }
    a.tsc = tsc;
    a.ns = ns;
    a.mult = mult;
    return clamp(ns);
}

} // namespace record_clock_detail

std::string_view record_clock_name() noexcept
{
    using namespace record_clock_detail;
    if (g_mode.load(std::memory_order_acquire) < 0)
        record_now();
    return g_mode.load(std::memory_order_acquire) == 1 ? std::string_view("tsc") : std::string_view(g_why);
}

} // namespace timeslice
