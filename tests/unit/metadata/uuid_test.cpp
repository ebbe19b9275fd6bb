#include "service/metadata/uuid.hpp"

#include <gtest/gtest.h>

#include "expect_result.hpp"

namespace volumes::metadata {
namespace {

using testing::fails_with;
using testing::succeeded;

TEST(Uuid, GeneratesDistinctVersion4Uuids)
{
    const auto first = Uuid::generate();
    const auto second = Uuid::generate();
    ASSERT_TRUE(succeeded(first));
    ASSERT_TRUE(succeeded(second));
    EXPECT_NE(*first, *second);
    EXPECT_FALSE(first->is_nil());
    const auto text = first->to_string();
    EXPECT_EQ(text[14], '4');
    EXPECT_NE(std::string("89ab").find(text[19]), std::string::npos) << text;
}

TEST(Uuid, PrintsCanonicalLowerCaseText)
{
    Uuid uuid;
    for (std::size_t i = 0; i < uuid.bytes.size(); ++i)
        uuid.bytes[i] = static_cast<std::uint8_t>(0xf0 + i);
    EXPECT_EQ(uuid.to_string(), "f0f1f2f3-f4f5-f6f7-f8f9-fafbfcfdfeff");
}

TEST(Uuid, ParsesWhatItPrintsInEitherCase)
{
    const auto parsed = Uuid::parse("0123ABCD-4567-89ab-CDEF-0123456789ab");
    ASSERT_TRUE(succeeded(parsed));
    EXPECT_EQ(parsed->to_string(), "0123abcd-4567-89ab-cdef-0123456789ab");
    const auto generated = Uuid::generate();
    ASSERT_TRUE(succeeded(generated));
    const auto again = Uuid::parse(generated->to_string());
    ASSERT_TRUE(succeeded(again));
    EXPECT_EQ(*again, *generated);
}

TEST(Uuid, RejectsAnythingButTheCanonicalForm)
{
    for (const char* text : {"", "0123abcd-4567-89ab-cdef-0123456789a", "0123abcd-4567-89ab-cdef-0123456789abc",
                             "0123abcd+4567-89ab-cdef-0123456789ab", "0123abcd-4567-89ab-cdef0-123456789ab",
                             "0123abcg-4567-89ab-cdef-0123456789ab", "{123abcd-4567-89ab-cdef-0123456789a}"})
        EXPECT_TRUE(fails_with(Uuid::parse(text), ErrorCode::InvalidArgument)) << text;
}

}  // namespace
}  // namespace volumes::metadata
