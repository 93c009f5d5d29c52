#include "core/base/short_text.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

using namespace timeslice;

// Text of every length up to past the inline room reads back byte for byte, NULs included,
// through copies, moves and assignments, in 16 bytes.
TEST(ShortText, TextOfAnyLengthReadsBackWholeThroughCopiesAndMoves)
{
    static_assert(sizeof(ShortText) == 16);
    EXPECT_TRUE(ShortText().empty());
    EXPECT_EQ(ShortText().view(), "");
    for (std::size_t n = 0; n <= 40; ++n) {
        std::string s;
        for (std::size_t i = 0; i < n; ++i)
            s += char(i == 7 ? '\0' : 'a' + int(i % 26));
        const ShortText t(s);
        EXPECT_EQ(t.view(), s) << n;
        EXPECT_EQ(t.size(), n);
        EXPECT_EQ(t.empty(), n == 0);
        ShortText copy(t);
        EXPECT_EQ(copy, t);
        ShortText moved(std::move(copy));
        EXPECT_EQ(moved.view(), s);
        EXPECT_TRUE(copy.empty()); // NOLINT(bugprone-use-after-move): moved-from text is empty
        ShortText assigned("x");
        assigned = t;
        EXPECT_EQ(assigned.view(), s);
        assigned = std::move(moved);
        EXPECT_EQ(assigned.view(), s);
        EXPECT_EQ(assigned.str(), s);
    }
}

// Assigned from itself, or from a view into its own text, a text stays what it was.
TEST(ShortText, AssigningATextItsOwnTextKeepsIt)
{
    for (const std::string& s : { std::string("short"), std::string(100, 'z') + "end" }) {
        ShortText t(s);
        const ShortText& same = t;
        t = same;
        EXPECT_EQ(t.view(), s);
        t = t.view().substr(1);
        EXPECT_EQ(t.view(), s.substr(1));
        t = std::move(t);
        EXPECT_EQ(t.view(), s.substr(1));
    }
}

TEST(ShortText, ComparesWithStringsAndConvertsToThem)
{
    const ShortText t("stopped");
    EXPECT_TRUE(t == "stopped");
    EXPECT_TRUE(t == std::string("stopped"));
    EXPECT_TRUE(t == std::string_view("stopped"));
    EXPECT_FALSE(t == "stop");
    std::string s = "before";
    s = t;
    EXPECT_EQ(s, "stopped");
    std::vector<ShortText> many(1000, ShortText(std::string(20, 'q')));
    many.resize(5000); // moves them all
    EXPECT_EQ(many[999].view(), std::string(20, 'q'));
    EXPECT_TRUE(many[4999].empty());
}
