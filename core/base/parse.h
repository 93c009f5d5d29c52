#pragma once

// Reading numbers out of the kernel's and the probe's text, strictly: the whole field or
// nothing.

#include <charconv>
#include <cstdint>
#include <string_view>
#include <system_error>

namespace timeslice {

// A hexadecimal field, with or without "0x" ("7f6093f4e6f4", "0x189"); false for anything else.
inline bool parse_hex(std::string_view s, std::uint64_t& out) noexcept
{
    if (s.starts_with("0x"))
        s.remove_prefix(2);
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 16);
    return ec == std::errc {} && p == s.data() + s.size() && !s.empty();
}

// Takes a number off the front of a space-separated line ("12 34 rest" leaves "34 rest"); false,
// with `s` unchanged, for anything else. Times, ids and deadlines are never negative.
template <class T> bool take_number(std::string_view& s, T& out) noexcept
{
    if (s.empty() || s.front() == '-')
        return false;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc {} || (p != s.data() + s.size() && *p != ' '))
        return false;
    s.remove_prefix(std::size_t(p - s.data()));
    if (!s.empty())
        s.remove_prefix(1);
    return true;
}

// Takes the field up to the next space off the front of `s` (all of it when there is none).
inline std::string_view take_field(std::string_view& s) noexcept
{
    const std::size_t space = s.find(' ');
    const std::string_view field = s.substr(0, space);
    s = space == std::string_view::npos ? std::string_view {} : s.substr(space + 1);
    return field;
}

} // namespace timeslice
