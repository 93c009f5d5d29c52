#pragma once

#include <cstdint>
#include <string>

namespace timeslice {

using u128 = unsigned __int128;

// Sum of i*i for i in [begin, end), computed by really looping: an empty asm statement makes
// the loop counter opaque, so the compiler cannot replace the loop by the closed form.
u128 square_sum(std::uint64_t begin, std::uint64_t end) noexcept;

// Closed form, for checking results and building ideal schedules; never used to do the work.
u128 square_sum_closed_form(std::uint64_t n) noexcept;

std::string to_string(u128 value);

} // namespace timeslice
