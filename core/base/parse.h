#pragma once

// Reading numbers out of the kernel's and the probe's text, strictly: the whole field or
// nothing.

#include <charconv>
#include <cstdint>
#include <string_view>

namespace timeslice {

// A hexadecimal field, with or without "0x" ("7f6093f4e6f4", "0x189"); false for anything else.
inline bool parse_hex(std::string_view s, std::uint64_t& out) noexcept
{
    if (s.starts_with("0x"))
        s.remove_prefix(2);
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 16);
    return ec == std::errc {} && p == s.data() + s.size() && !s.empty();
}

} // namespace timeslice
