#include "core/formats/json_error.h"

#include "core/base/utf8.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace timeslice {

namespace {

// Parses without building anything, and keeps the first error.
struct FirstError : nlohmann::json_sax<nlohmann::json> {
    std::string what;
    std::size_t position = 0; // bytes read when it was found
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t read, const std::string&, const nlohmann::detail::exception& e) override
    {
        position = read;
        what = e.what();
        return false;
    }
};

// The first byte no text file holds (a NUL, a control character other than tab and line breaks,
// or malformed UTF-8) among the first 4 KiB, or npos.
std::size_t first_binary_byte(std::string_view text)
{
    const char* p = text.data();
    const char* end = p + std::min<std::size_t>(text.size(), 4096);
    while (p < end) {
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x80) {
            const std::size_t n = utf8_length(p, text.data() + text.size());
            if (n == 0)
                return std::size_t(p - text.data());
            p += n;
            continue;
        }
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return std::size_t(p - text.data());
        ++p;
    }
    return std::string_view::npos;
}

// The parser quotes what it last read: bytes no text shows are written \xNN.
std::string printable(std::string_view s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c >= 0x80 ? utf8_length(s.data() + i, s.data() + s.size()) : (c >= 0x20 && c != 0x7F);
        if (n == 0) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02X", unsigned(c));
            out += hex;
            ++i;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    return out;
}

} // namespace

std::string describe_bad_json(std::string_view text, const std::string& reader_said)
{
    if (const std::size_t at = first_binary_byte(text); at != std::string_view::npos) {
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02X", unsigned(static_cast<unsigned char>(text[at])));
        return "not a text file: byte " + std::to_string(at) + " is " + byte
            + ", which no JSON file holds (an image, an archive or another binary file?)";
    }
    FirstError sax;
    nlohmann::json::sax_parse(text.begin(), text.end(), &sax);
    if (sax.what.empty())
        return "not valid JSON (" + reader_said + ")";
    // "[json.exception.parse_error.101] parse error at line 3, column 7: syntax error ..."
    std::string what = sax.what;
    if (const std::size_t at = what.find("parse error at "); at != std::string::npos)
        what = what.substr(at + 12);
    std::string said = "not valid JSON " + printable(what);
    if (sax.position >= text.size()) // found where the text ends: inside a string, an object...
        said += " (the file ends there: it may be cut short)";
    return said;
}

} // namespace timeslice
