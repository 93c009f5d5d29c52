#pragma once

// Responsible for writing JSON text by hand, streamed into one string: integers, nanoseconds as
// microseconds, the shortest float that reads back the same, and strings kept valid UTF-8.
// Streamed, not built as a DOM: 1,000,000 spans must save in well under a second.

#include "core/base/clock.h"
#include "core/base/utf8.h"

#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

namespace timeslice {

class JsonWriter {
public:
    std::string out;

    void raw(std::string_view s) { out.append(s); }
    void integer(long long v)
    {
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof buf, v);
        out.append(buf, r.ptr);
    }
    // Nanoseconds as microseconds with three decimals: exact, and what the format expects.
    void micros(Nanos ns)
    {
        if (ns < 0) {
            out.push_back('-');
            ns = -ns;
        }
        integer(ns / 1000);
        const int frac = int(ns % 1000);
        out.push_back('.');
        out.push_back(char('0' + frac / 100));
        out.push_back(char('0' + frac / 10 % 10));
        out.push_back(char('0' + frac % 10));
    }
    // Shortest text that reads back to the same float or double.
    template <typename Real> void number(Real v)
    {
        if (!std::isfinite(v)) {
            out.append("0");
            return;
        }
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, v);
        out.append(buf, r.ptr);
    }
    // A JSON string; bytes that are not valid UTF-8 become U+FFFD so the file stays valid.
    void string(std::string_view s)
    {
        out.push_back('"');
        for (std::size_t i = 0; i < s.size();) {
            const unsigned char c = static_cast<unsigned char>(s[i]);
            if (c == '"' || c == '\\') {
                out.push_back('\\');
                out.push_back(char(c));
                ++i;
            } else if (c < 0x20) {
                static const char* hex = "0123456789abcdef";
                out.append("\\u00");
                out.push_back(hex[c >> 4]);
                out.push_back(hex[c & 15]);
                ++i;
            } else if (c < 0x80) {
                out.push_back(char(c));
                ++i;
            } else {
                const std::size_t n = utf8_length(s.data() + i, s.data() + s.size());
                if (n == 0) {
                    out.append("\xEF\xBF\xBD");
                    ++i;
                } else {
                    out.append(s.substr(i, n));
                    i += n;
                }
            }
        }
        out.push_back('"');
    }
};

} // namespace timeslice
