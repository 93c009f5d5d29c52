// The strict JSON reader under the trace reader.
#include "core/json_sax.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

using namespace timeslice;

namespace {

// Writes every event as a word, so a test reads like the document.
struct Recording {
    std::vector<std::string> events;
    bool null() { return add("null"); }
    bool boolean(bool v) { return add(v ? "true" : "false"); }
    bool number_integer(std::int64_t v) { return add("int " + std::to_string(v)); }
    bool number_unsigned(std::uint64_t v) { return add("uint " + std::to_string(v)); }
    bool number_float(double v, const std::string&) { return add("float " + std::to_string(v)); }
    bool string(std::string& s) { return add("string " + s); }
    bool key(std::string& s) { return add("key " + s); }
    bool start_object(std::size_t) { return add("{"); }
    bool end_object() { return add("}"); }
    bool start_array(std::size_t) { return add("["); }
    bool end_array() { return add("]"); }
    bool add(std::string e)
    {
        events.push_back(std::move(e));
        return true;
    }
};

std::vector<std::string> read(std::string_view text)
{
    Recording r;
    std::string error;
    EXPECT_TRUE(json_sax::parse(text, r, error)) << text << ": " << error;
    return r.events;
}

std::string error_of(std::string_view text)
{
    Recording r;
    std::string error;
    EXPECT_FALSE(json_sax::parse(text, r, error)) << text;
    return error;
}

} // namespace

TEST(JsonSax, ReadsEveryKindOfValue)
{
    EXPECT_EQ(read(R"( {"a": [1, -2, 3.5, true, false, null, "x"], "b": {}} )"),
        (std::vector<std::string> { "{", "key a", "[", "int 1", "int -2", "float 3.500000", "true", "false", "null",
            "string x", "]", "key b", "{", "}", "}" }));
}

TEST(JsonSax, NumbersKeepTheirRange)
{
    EXPECT_EQ(read("9223372036854775807"), std::vector<std::string> { "int 9223372036854775807" });
    EXPECT_EQ(read("18446744073709551615"), std::vector<std::string> { "uint 18446744073709551615" });
    EXPECT_EQ(read("-0"), std::vector<std::string> { "int 0" });
    EXPECT_EQ(read("1e2"), std::vector<std::string> { "float 100.000000" });
    EXPECT_EQ(read("123456789012345678901234567890").size(), 1u); // past 64 bits: a double
}

TEST(JsonSax, EscapesBecomeUtf8)
{
    EXPECT_EQ(read(R"("a\"b\\c\/d\n\t\u00e9\ud83d\ude00")"),
        std::vector<std::string> { "string a\"b\\c/d\n\t\xC3\xA9\xF0\x9F\x98\x80" });
}

TEST(JsonSax, RefusesWhatIsNotJsonAndSaysWhere)
{
    EXPECT_NE(error_of("{\"a\":1,}").find("expected a quoted key"), std::string::npos);
    EXPECT_NE(error_of("[1 2]").find("at byte 3"), std::string::npos);
    EXPECT_NE(error_of("01").find("after the end"), std::string::npos);
    EXPECT_NE(error_of("1.").find("digits after"), std::string::npos);
    EXPECT_NE(error_of("\"abc").find("ends inside a string"), std::string::npos);
    EXPECT_NE(error_of("\"\xC0\xAF\"").find("not valid UTF-8"), std::string::npos);
    EXPECT_NE(error_of("\"\\ud800\"").find("surrogate"), std::string::npos);
    EXPECT_NE(error_of("\"a\nb\"").find("control character"), std::string::npos);
    EXPECT_NE(error_of("tru").find("invalid literal"), std::string::npos);
    EXPECT_NE(error_of(std::string_view("1\0", 2)).find("after the end"), std::string::npos);
    EXPECT_NE(error_of(std::string(600, '[') + std::string(600, ']')).find("nesting deeper"), std::string::npos);
    EXPECT_NE(error_of("").find("ends where a value"), std::string::npos);
}
