#include "core/workload/compute.h"

#include <fmt/format.h>

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
