#include "core/workload/compute.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>

namespace timeslice {

u128 square_sum(std::uint64_t begin, std::uint64_t end) noexcept
{
    u128 total = 0;
    for (std::uint64_t i = begin; i < end; ++i) {
        std::uint64_t v = i;
        asm volatile("" : "+r"(v));
        total += u128(v) * v;
    }
    return total;
}

namespace {

double thread_cpu_ns()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e9 + double(ts.tv_nsec);
}

} // namespace

double ns_per_iteration()
{
    static const double ns = [] {
        // The loop the models run, in its slices. (One unsliced call of the same loop measured
        // 1.7x slower here, which made every predicted compute step too long.) CPU time, so a
        // burst the kernel interrupts is not counted as slow.
        double best = 1e9;
        for (int i = 0; i < 7; ++i) {
            constexpr std::uint64_t n = std::uint64_t(1) << 21;
            u128 sum = 0;
            const double start = thread_cpu_ns();
            square_sum_in_slices(n, sum, [] { return true; });
            volatile auto sink = sum;
            (void)sink;
            best = std::min(best, (thread_cpu_ns() - start) / double(n));
        }
        return std::max(best, 0.01);
    }();
    return ns;
}

std::uint64_t iterations_for_cpu_seconds(double seconds)
{
    return std::max<std::uint64_t>(1, std::uint64_t(std::llround(seconds * 1e9 / ns_per_iteration())));
}

u128 square_sum_closed_form(std::uint64_t n) noexcept
{
    if (n == 0)
        return 0;
    // (n-1) n (2n-1) / 6, dividing early so nothing overflows 128 bits for n <= 2^40.
    u128 a = n - 1, b = n, c = 2 * u128(n) - 1;
    if (a % 2 == 0) a /= 2; else b /= 2;
    if (a % 3 == 0) a /= 3; else if (b % 3 == 0) b /= 3; else c /= 3;
    return a * b * c;
}

std::string to_string(u128 value) { return fmt::format("{}", value); }

} // namespace timeslice
