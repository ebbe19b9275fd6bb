#include "kmod/status/thin_pool_status.hpp"

#include <string>

#include <gtest/gtest.h>

#include "expect_result.hpp"

namespace volumes::kmod {
namespace {

using testing::fails_with;
using testing::succeeded;

TEST(ThinPoolStatus, CurrentFormWithTrailingBlank)
{
    // pool_status ends every field, the last included, with a blank.
    const auto status = parse_thin_pool_status("1 118/4161600 5/1638400 - rw discard_passdown queue_if_no_space - 1024 ");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->state, ThinPoolState::Active);
    EXPECT_EQ(status->transaction_id, 1u);
    EXPECT_EQ(status->used_metadata_blocks, 118u);
    EXPECT_EQ(status->total_metadata_blocks, 4161600u);
    EXPECT_EQ(status->used_data_blocks, 5u);
    EXPECT_EQ(status->total_data_blocks, 1638400u);
    EXPECT_FALSE(status->held_root.has_value());
    EXPECT_EQ(status->mode, ThinPoolMode::ReadWrite);
    EXPECT_EQ(status->discards, ThinPoolDiscards::Passdown);
    EXPECT_EQ(status->no_space_policy, ThinPoolNoSpacePolicy::Queue);
    EXPECT_EQ(status->needs_check, false);
    EXPECT_EQ(status->metadata_low_watermark, 1024u);
}

TEST(ThinPoolStatus, HeldRootAndTheOtherValues)
{
    const auto status =
        parse_thin_pool_status("7 300/4096 1024/1024 4114 ro ignore_discard error_if_no_space needs_check 409");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->transaction_id, 7u);
    EXPECT_EQ(status->held_root, 4114u);
    EXPECT_EQ(status->mode, ThinPoolMode::ReadOnly);
    EXPECT_EQ(status->discards, ThinPoolDiscards::Ignore);
    EXPECT_EQ(status->no_space_policy, ThinPoolNoSpacePolicy::Error);
    EXPECT_EQ(status->needs_check, true);
    EXPECT_EQ(status->metadata_low_watermark, 409u);
}

TEST(ThinPoolStatus, OutOfDataSpaceWithoutPassdown)
{
    const auto status = parse_thin_pool_status(
        "3 20/4096 1024/1024 - out_of_data_space no_discard_passdown queue_if_no_space - 409");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->mode, ThinPoolMode::OutOfDataSpace);
    EXPECT_EQ(status->discards, ThinPoolDiscards::NoPassdown);
}

TEST(ThinPoolStatus, OriginalFormEndsAtHeldRoot)
{
    const auto status = parse_thin_pool_status("0 10/4096 0/1024 -");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->used_metadata_blocks, 10u);
    EXPECT_FALSE(status->held_root.has_value());
    EXPECT_FALSE(status->mode.has_value());
    EXPECT_FALSE(status->discards.has_value());
    EXPECT_FALSE(status->no_space_policy.has_value());
    EXPECT_FALSE(status->needs_check.has_value());
    EXPECT_FALSE(status->metadata_low_watermark.has_value());
}

TEST(ThinPoolStatus, ModeAndDiscardsForm)
{
    const auto status = parse_thin_pool_status("0 10/4096 0/1024 - rw discard_passdown");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->mode, ThinPoolMode::ReadWrite);
    EXPECT_EQ(status->discards, ThinPoolDiscards::Passdown);
    EXPECT_FALSE(status->no_space_policy.has_value());
}

TEST(ThinPoolStatus, NoSpacePolicyForm)
{
    const auto status = parse_thin_pool_status("0 10/4096 0/1024 - rw discard_passdown error_if_no_space ");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->no_space_policy, ThinPoolNoSpacePolicy::Error);
    EXPECT_FALSE(status->needs_check.has_value());
}

TEST(ThinPoolStatus, NeedsCheckFormWithoutWatermark)
{
    const auto status = parse_thin_pool_status("0 10/4096 0/1024 - rw discard_passdown queue_if_no_space needs_check ");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->needs_check, true);
    EXPECT_FALSE(status->metadata_low_watermark.has_value());
}

TEST(ThinPoolStatus, FailAndError)
{
    const auto failed = parse_thin_pool_status("Fail");
    ASSERT_TRUE(succeeded(failed));
    EXPECT_EQ(failed->state, ThinPoolState::Fail);
    const auto error = parse_thin_pool_status("Error");
    ASSERT_TRUE(succeeded(error));
    EXPECT_EQ(error->state, ThinPoolState::Error);
}

class ThinPoolStatusRejects : public ::testing::TestWithParam<std::string> {};

TEST_P(ThinPoolStatusRejects, MalformedLine)
{
    EXPECT_TRUE(fails_with(parse_thin_pool_status(GetParam()), ErrorCode::Parse));
}

INSTANTIATE_TEST_SUITE_P(
    ThinPoolStatus, ThinPoolStatusRejects,
    ::testing::Values("",                                                              // empty
                      "fail",                                                          // states are case-sensitive
                      "Fail now",                                                      // state with extra words
                      "0 10/4096 0/1024",                                              // truncated before held root
                      "0 10/4096 0/1024 - rw discard_passdown queue_if_no_space - 1024 7",  // too many fields
                      "x 10/4096 0/1024 -",                                            // bad transaction id
                      "-1 10/4096 0/1024 -",                                           // negative transaction id
                      "0 5000/4096 0/1024 -",                                          // metadata used above total
                      "0 10/4096 2000/1024 -",                                         // data used above total
                      "0 10-4096 0/1024 -",                                            // not a fraction
                      "0 10/4096 0/1024 none",                                         // bad held root
                      "0 10/4096 0/1024 12x",                                          // held root with garbage
                      "0 10/4096 0/1024 - rx",                                         // unknown mode
                      "0 10/4096 0/1024 - discard_passdown rw",                        // fields out of order
                      "0 10/4096 0/1024 - rw discard",                                 // unknown discard mode
                      "0 10/4096 0/1024 - rw discard_passdown queue",                  // unknown no-space policy
                      "0 10/4096 0/1024 - rw discard_passdown queue_if_no_space yes",  // bad needs_check
                      "0 10/4096 0/1024 - rw discard_passdown queue_if_no_space - 12x",  // bad watermark
                      "0 10/4096 0/99999999999999999999 -"));                          // overflow

}  // namespace
}  // namespace volumes::kmod
