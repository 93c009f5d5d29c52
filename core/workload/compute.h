#pragma once

#include <cstdint>
#include <string>

namespace timeslice {

using u128 = unsigned __int128;

// Sum of i*i for i in [begin, end), computed by really looping: an empty asm statement makes
// the loop counter opaque, so the compiler cannot replace the loop by the closed form.
u128 square_sum(std::uint64_t begin, std::uint64_t end) noexcept;

// Every model computes in slices this long (~40 us of work), so a Stop, or under threads a GIL
// drop request, is noticed between slices.
constexpr std::uint64_t kComputeSlice = 1 << 16;

// Adds sum of i*i for i in [0, iterations) to `sum`, slice by slice, calling `between()` after
// each; stops early, returning false, as soon as `between()` returns false.
template <typename Between> bool square_sum_in_slices(std::uint64_t iterations, u128& sum, Between between)
{
    for (std::uint64_t i = 0; i < iterations;) {
        const std::uint64_t end = iterations - i > kComputeSlice ? i + kComputeSlice : iterations;
        sum += square_sum(i, end);
        i = end;
        if (!between())
            return false;
    }
    return true;
}

// How long one iteration of the loop takes on this machine, in nanoseconds of CPU time: the best
// of a few short runs in its slices, measured once per process (the machine's speed, not its
// momentary load). A compute step given as CPU seconds ({"cpu_s": 0.12}) becomes this many
// iterations, and predicted schedules time compute steps by it.
double ns_per_iteration();
// Iterations that take `seconds` of CPU time here (at least 1).
std::uint64_t iterations_for_cpu_seconds(double seconds);

// Closed form, for checking results and building ideal schedules; never used to do the work.
u128 square_sum_closed_form(std::uint64_t n) noexcept;

std::string to_string(u128 value);

} // namespace timeslice
