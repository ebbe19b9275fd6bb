// Logged text is cut to a bound, on a character boundary, saying how much was left out.
#include <string>

#include <gtest/gtest.h>

#include "service/logging/bounded_text.hpp"

namespace volumes::logging {
namespace {

TEST(BoundedText, TextThatFitsIsKeptWhole)
{
    EXPECT_EQ(bounded_text("", 0), "");
    EXPECT_EQ(bounded_text("tank", 4), "tank");
}

TEST(BoundedText, LongerTextIsCutAndSaysByHowMuch)
{
    EXPECT_EQ(bounded_text("tanks", 4), "tank… [1 more bytes]");
    EXPECT_EQ(bounded_text(std::string(10'000'000, 'x'), 8), "xxxxxxxx… [9999992 more bytes]");
}

TEST(BoundedText, ACutNeverSplitsAUtf8Character)
{
    // "aé" is 61 C3 A9: a cut after 2 bytes would keep half of the é.
    EXPECT_EQ(bounded_text("a\xC3\xA9z", 2), "a… [3 more bytes]");
    EXPECT_EQ(bounded_text("a\xC3\xA9z", 3), "a\xC3\xA9… [1 more bytes]");
}

}  // namespace
}  // namespace volumes::logging
