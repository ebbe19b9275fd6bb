#include "service/bus/call_options.hpp"

#include <gtest/gtest.h>

#include "expect_result.hpp"

namespace volumes::bus {
namespace {

using engine::ErrorCode;
using volumes::testing::fails_with;
using volumes::testing::succeeded;

TEST(OptionReader, ReadsOptionsOfTheirTypes)
{
    Options options{{"force", sdbus::Variant(true)},
                    {"name", sdbus::Variant(std::string("img"))},
                    {"images", sdbus::Variant(std::uint32_t{3})},
                    {"region_size", sdbus::Variant(std::uint64_t{1} << 20)}};
    OptionReader reader(options);
    EXPECT_EQ(reader.boolean("force"), true);
    EXPECT_EQ(reader.string("name"), "img");
    EXPECT_EQ(reader.uint32("images"), 3u);
    EXPECT_EQ(reader.uint64("region_size"), std::uint64_t{1} << 20);
    EXPECT_EQ(reader.boolean("absent"), std::nullopt);
    EXPECT_TRUE(succeeded(reader.finish()));
}

TEST(OptionReader, UnsignedOptionsTakeEitherWidth)
{
    Options options{{"images", sdbus::Variant(std::uint64_t{2})}, {"size", sdbus::Variant(std::uint32_t{9})}};
    OptionReader reader(options);
    EXPECT_EQ(reader.uint32("images"), 2u);
    EXPECT_EQ(reader.uint64("size"), 9u);
    EXPECT_TRUE(succeeded(reader.finish()));
}

TEST(OptionReader, AWrongTypeIsRefusedNamingTheOption)
{
    Options options{{"force", sdbus::Variant(std::string("yes"))}};
    OptionReader reader(options);
    EXPECT_EQ(reader.boolean("force"), std::nullopt);
    auto finished = reader.finish();
    ASSERT_TRUE(fails_with(finished, ErrorCode::InvalidArgument));
    EXPECT_NE(finished.error().message.find("'force'"), std::string::npos) << finished.error().message;
}

TEST(OptionReader, AnUnknownOptionIsRefusedListingTheKnownOnes)
{
    Options options{{"forse", sdbus::Variant(true)}};
    OptionReader reader(options);
    reader.boolean("force");
    auto finished = reader.finish();
    ASSERT_TRUE(fails_with(finished, ErrorCode::InvalidArgument));
    EXPECT_NE(finished.error().message.find("'forse'"), std::string::npos);
    EXPECT_NE(finished.error().message.find("force"), std::string::npos);
}

TEST(OptionReader, A32BitOptionTooLargeIsRefused)
{
    Options options{{"images", sdbus::Variant(std::uint64_t{1} << 32)}};
    OptionReader reader(options);
    EXPECT_EQ(reader.uint32("images"), std::nullopt);
    EXPECT_TRUE(fails_with(reader.finish(), ErrorCode::InvalidArgument));
}

TEST(OptionReader, TheAuthorizationOptionIsAlwaysKnown)
{
    Options options{{kNoUserInteraction, sdbus::Variant(true)}};
    EXPECT_TRUE(succeeded(OptionReader(options).finish()));
    EXPECT_EQ(allows_user_interaction(options), false);
    EXPECT_EQ(allows_user_interaction({}), true);
    EXPECT_TRUE(fails_with(allows_user_interaction({{kNoUserInteraction, sdbus::Variant(std::uint32_t{1})}}),
                           ErrorCode::InvalidArgument));
}

}  // namespace
}  // namespace volumes::bus
