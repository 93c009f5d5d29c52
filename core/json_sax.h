#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace timeslice::json_sax {

// Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), or 0 if there is none. The trace writer uses it too, so every string
// it writes is one this reader accepts.
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

// A strict JSON (RFC 8259) reader that calls a SAX handler with the same methods as
// nlohmann-json's SAX interface (start_object, key, string, number_integer, ...). It exists for
// speed: nlohmann's lexer alone reads ~130 MB/s, this one several times that, which is what a
// trace of a million spans needs to load in under a second. Strings are checked to be
// well-formed UTF-8, numbers follow the JSON grammar, nesting is bounded by the handler.
//
// Returns true on success; on a syntax error, false with `error` saying what and at which byte.
template <typename Handler> class Reader {
public:
    Reader(std::string_view text, Handler& handler)
        : m_p(text.data())
        , m_begin(text.data())
        , m_end(text.data() + text.size())
        , m_handler(handler)
    {
    }

    bool parse(std::string& error)
    {
        skip_ws();
        if (!value())
            return fail_out(error);
        skip_ws();
        if (m_p != m_end) {
            m_error = "unexpected text after the end of the document";
            return fail_out(error);
        }
        return true;
    }

private:
    bool fail_out(std::string& error)
    {
        error = "at byte " + std::to_string(m_p - m_begin) + ": " + (m_error.empty() ? "syntax error" : m_error);
        return false;
    }
    bool fail(const char* message)
    {
        if (m_error.empty())
            m_error = message;
        return false;
    }

    void skip_ws()
    {
        while (m_p != m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }

    // Arrays and objects nest by recursion, so the depth has a bound of its own.
    static constexpr int kMaxDepth = 512;

    bool value()
    {
        if (m_p == m_end)
            return fail("the document ends where a value should be");
        switch (*m_p) {
        case '{':
        case '[': {
            if (++m_depth > kMaxDepth)
                return fail("nesting deeper than 512 levels");
            const bool ok = *m_p == '{' ? object() : array();
            --m_depth;
            return ok;
        }
        case '"':
            if (!string(m_buffer))
                return false;
            return m_handler.string(m_buffer) || fail("rejected by the reader");
        case 't':
            return literal("true") && (m_handler.boolean(true) || fail("rejected by the reader"));
        case 'f':
            return literal("false") && (m_handler.boolean(false) || fail("rejected by the reader"));
        case 'n':
            return literal("null") && (m_handler.null() || fail("rejected by the reader"));
        default:
            return number();
        }
    }

    bool literal(const char* word)
    {
        const std::size_t n = std::strlen(word);
        if (std::size_t(m_end - m_p) < n || std::memcmp(m_p, word, n) != 0)
            return fail("invalid literal");
        m_p += n;
        return true;
    }

    bool object()
    {
        ++m_p;
        if (!m_handler.start_object(std::size_t(-1)))
            return fail("rejected by the reader");
        skip_ws();
        if (m_p != m_end && *m_p == '}') {
            ++m_p;
            return m_handler.end_object() || fail("rejected by the reader");
        }
        for (;;) {
            skip_ws();
            if (m_p == m_end || *m_p != '"')
                return fail("expected a quoted key");
            if (!string(m_buffer))
                return false;
            if (!m_handler.key(m_buffer))
                return fail("rejected by the reader");
            skip_ws();
            if (m_p == m_end || *m_p != ':')
                return fail("expected ':' after a key");
            ++m_p;
            skip_ws();
            if (!value())
                return false;
            skip_ws();
            if (m_p == m_end)
                return fail("the document ends inside an object");
            if (*m_p == ',') {
                ++m_p;
                continue;
            }
            if (*m_p == '}') {
                ++m_p;
                return m_handler.end_object() || fail("rejected by the reader");
            }
            return fail("expected ',' or '}' in an object");
        }
    }

    bool array()
    {
        ++m_p;
        if (!m_handler.start_array(std::size_t(-1)))
            return fail("rejected by the reader");
        skip_ws();
        if (m_p != m_end && *m_p == ']') {
            ++m_p;
            return m_handler.end_array() || fail("rejected by the reader");
        }
        for (;;) {
            skip_ws();
            if (!value())
                return false;
            skip_ws();
            if (m_p == m_end)
                return fail("the document ends inside an array");
            if (*m_p == ',') {
                ++m_p;
                continue;
            }
            if (*m_p == ']') {
                ++m_p;
                return m_handler.end_array() || fail("rejected by the reader");
            }
            return fail("expected ',' or ']' in an array");
        }
    }

    static bool digit(char c) { return c >= '0' && c <= '9'; }

    bool number()
    {
        const char* start = m_p;
        const char* p = m_p;
        if (p != m_end && *p == '-')
            ++p;
        if (p == m_end || !digit(*p))
            return fail("invalid value");
        if (*p == '0')
            ++p;
        else
            while (p != m_end && digit(*p))
                ++p;
        bool integer = true;
        if (p != m_end && *p == '.') {
            integer = false;
            ++p;
            if (p == m_end || !digit(*p))
                return fail("a number needs digits after '.'");
            while (p != m_end && digit(*p))
                ++p;
        }
        if (p != m_end && (*p == 'e' || *p == 'E')) {
            integer = false;
            ++p;
            if (p != m_end && (*p == '+' || *p == '-'))
                ++p;
            if (p == m_end || !digit(*p))
                return fail("a number needs digits in its exponent");
            while (p != m_end && digit(*p))
                ++p;
        }
        m_p = p;
        if (integer) {
            if (*start == '-') {
                std::int64_t v = 0;
                const auto r = std::from_chars(start, p, v);
                if (r.ec == std::errc() && r.ptr == p)
                    return m_handler.number_integer(v) || fail("rejected by the reader");
            } else {
                std::uint64_t v = 0;
                const auto r = std::from_chars(start, p, v);
                if (r.ec == std::errc() && r.ptr == p) {
                    if (v <= std::uint64_t(INT64_MAX))
                        return m_handler.number_integer(std::int64_t(v)) || fail("rejected by the reader");
                    return m_handler.number_unsigned(v) || fail("rejected by the reader");
                }
            }
            // Too big for 64 bits: read it as a floating-point number, as nlohmann-json does.
        }
        double d = 0;
        const auto r = std::from_chars(start, p, d);
        if (r.ptr != p || (r.ec != std::errc() && r.ec != std::errc::result_out_of_range))
            return fail("invalid number");
        if (r.ec == std::errc::result_out_of_range)
            return fail("number out of range");
        m_number_text.assign(start, p);
        return m_handler.number_float(d, m_number_text) || fail("rejected by the reader");
    }

    static int hex(char c)
    {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    bool hex4(unsigned& out)
    {
        if (m_end - m_p < 4)
            return fail("incomplete \\u escape");
        out = 0;
        for (int i = 0; i < 4; ++i) {
            const int h = hex(m_p[i]);
            if (h < 0)
                return fail("invalid \\u escape");
            out = out * 16 + unsigned(h);
        }
        m_p += 4;
        return true;
    }

    static void append_utf8(std::string& out, unsigned cp)
    {
        if (cp < 0x80) {
            out.push_back(char(cp));
        } else if (cp < 0x800) {
            out.push_back(char(0xC0 | (cp >> 6)));
            out.push_back(char(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out.push_back(char(0xE0 | (cp >> 12)));
            out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(char(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(char(0xF0 | (cp >> 18)));
            out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(char(0x80 | (cp & 0x3F)));
        }
    }

    bool string(std::string& out)
    {
        ++m_p; // the opening quote
        out.clear();
        for (;;) {
            // The common case: a run of plain ASCII.
            const char* run = m_p;
            while (m_p != m_end) {
                const unsigned char c = static_cast<unsigned char>(*m_p);
                if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
                    break;
                ++m_p;
            }
            out.append(run, m_p);
            if (m_p == m_end)
                return fail("the document ends inside a string");
            const unsigned char c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                ++m_p;
                return true;
            }
            if (c < 0x20)
                return fail("a control character inside a string must be escaped");
            if (c >= 0x80) {
                const std::size_t n = utf8_length(m_p, m_end);
                if (n == 0)
                    return fail("a string is not valid UTF-8");
                out.append(m_p, n);
                m_p += n;
                continue;
            }
            // A backslash escape.
            ++m_p;
            if (m_p == m_end)
                return fail("the document ends inside an escape");
            const char e = *m_p++;
            switch (e) {
            case '"':
            case '\\':
            case '/':
                out.push_back(e);
                break;
            case 'b':
                out.push_back('\b');
                break;
            case 'f':
                out.push_back('\f');
                break;
            case 'n':
                out.push_back('\n');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 't':
                out.push_back('\t');
                break;
            case 'u': {
                unsigned cp = 0;
                if (!hex4(cp))
                    return false;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    unsigned low = 0;
                    if (m_end - m_p < 2 || m_p[0] != '\\' || m_p[1] != 'u')
                        return fail("a high surrogate must be followed by a low one");
                    m_p += 2;
                    if (!hex4(low))
                        return false;
                    if (low < 0xDC00 || low > 0xDFFF)
                        return fail("a high surrogate must be followed by a low one");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return fail("a low surrogate without a high one");
                }
                append_utf8(out, cp);
                break;
            }
            default:
                return fail("invalid escape in a string");
            }
        }
    }

    const char* m_p;
    const char* m_begin;
    const char* m_end;
    Handler& m_handler;
    std::string m_buffer;
    std::string m_number_text;
    std::string m_error;
    int m_depth = 0;
};

template <typename Handler> bool parse(std::string_view text, Handler& handler, std::string& error)
{
    Reader<Handler> reader(text, handler);
    return reader.parse(error);
}

} // namespace timeslice::json_sax
