#pragma once

#include <cstddef>

namespace timeslice {

// Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), or 0 if there is none. The trace writer replaces what fails it, so
// every string it writes is one a strict JSON reader (simdjson's) accepts.
inline std::size_t utf8_length(const char* p, const char* end)
{
    const auto byte = [&](std::ptrdiff_t k) { return static_cast<unsigned char>(p[k]); };
    const unsigned char c = byte(0);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF; // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    }
    if (n == 0 || std::size_t(end - p) < n || byte(1) < lo || byte(1) > hi)
        return 0;
    for (std::size_t k = 2; k < n; ++k) {
        if ((byte(std::ptrdiff_t(k)) & 0xC0) != 0x80)
            return 0;
    }
    return n;
}

} // namespace timeslice
