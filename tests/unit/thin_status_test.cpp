#include "kmod/status/thin_status.hpp"

#include <string>

#include <gtest/gtest.h>

#include "expect_result.hpp"

namespace volumes::kmod {
namespace {

using testing::fails_with;
using testing::succeeded;

TEST(ThinStatus, MappedAndHighest)
{
    const auto status = parse_thin_status("2048 4095");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->state, ThinState::Active);
    EXPECT_EQ(status->mapped_sectors, 2048u);
    EXPECT_EQ(status->highest_mapped_sector, 4095u);
}

TEST(ThinStatus, NothingMapped)
{
    const auto status = parse_thin_status("0 -");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->mapped_sectors, 0u);
    EXPECT_FALSE(status->highest_mapped_sector.has_value());
}

TEST(ThinStatus, FailAndError)
{
    const auto failed = parse_thin_status("Fail");
    ASSERT_TRUE(succeeded(failed));
    EXPECT_EQ(failed->state, ThinState::Fail);
    const auto error = parse_thin_status("Error");
    ASSERT_TRUE(succeeded(error));
    EXPECT_EQ(error->state, ThinState::Error);
}

class ThinStatusRejects : public ::testing::TestWithParam<std::string> {};

TEST_P(ThinStatusRejects, MalformedLine)
{
    EXPECT_TRUE(fails_with(parse_thin_status(GetParam()), ErrorCode::Parse));
}

INSTANTIATE_TEST_SUITE_P(ThinStatus, ThinStatusRejects,
                         ::testing::Values("",                           // empty
                                           "-",                          // no thin device: never a live target
                                           "2048",                       // truncated
                                           "2048 4095 1",                // too many fields
                                           "x 4095",                     // bad mapped count
                                           "- 4095",                     // dash is not a mapped count
                                           "2048 y",                     // bad highest sector
                                           "-1 5",                       // negative
                                           "2048 18446744073709551616",  // overflow
                                           "fail",                       // states are case-sensitive
                                           "Fail 1"));                   // state with extra words

}  // namespace
}  // namespace volumes::kmod
