#include "kmod/status/status_words.hpp"

#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace volumes::kmod::detail {
namespace {

using Words = std::vector<std::string_view>;

TEST(StatusWords, SplitsOnBlanksWithoutEmptyWords)
{
    EXPECT_EQ(split_status_words("a b  c "), (Words{"a", "b", "c"}));
    EXPECT_EQ(split_status_words("  lead\ttab\n"), (Words{"lead", "tab"}));
    EXPECT_TRUE(split_status_words("").empty());
    EXPECT_TRUE(split_status_words("   ").empty());
}

TEST(StatusWords, DecimalAcceptsWholeUnsignedWords)
{
    EXPECT_EQ(parse_decimal("0"), 0u);
    EXPECT_EQ(parse_decimal("524288"), 524288u);
    EXPECT_EQ(parse_decimal("18446744073709551615"), 18446744073709551615u);
}

TEST(StatusWords, DecimalRejectsEverythingElse)
{
    for (const std::string_view word : {"", "12x", "x12", "-1", "+1", " 1", "1 ", "0x10", "1.5",
                                        "18446744073709551616", "99999999999999999999999"})
        EXPECT_FALSE(parse_decimal(word).has_value()) << "'" << word << "'";
}

TEST(StatusWords, Fraction)
{
    const auto fraction = parse_fraction("1024/524288");
    ASSERT_TRUE(fraction.has_value());
    EXPECT_EQ(fraction->numerator, 1024u);
    EXPECT_EQ(fraction->denominator, 524288u);
    for (const std::string_view word : {"", "/", "1/", "/1", "1", "1/2/3", "a/1", "1/b", "-1/2", "1/-2"})
        EXPECT_FALSE(parse_fraction(word).has_value()) << "'" << word << "'";
}

}  // namespace
}  // namespace volumes::kmod::detail
