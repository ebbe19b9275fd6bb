#include "kmod/status/snapshot_status.hpp"

#include <string>

#include <gtest/gtest.h>

#include "expect_result.hpp"

namespace volumes::kmod {
namespace {

using testing::fails_with;
using testing::succeeded;

TEST(SnapshotStatus, UsageWithMetadata)
{
    const auto status = parse_snapshot_status("1024/2097152 16");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->state, SnapshotState::Active);
    EXPECT_EQ(status->allocated_sectors, 1024u);
    EXPECT_EQ(status->total_sectors, 2097152u);
    EXPECT_EQ(status->metadata_sectors, 16u);
    EXPECT_TRUE(status->has_metadata_sectors());
    EXPECT_FALSE(status->merge_finished());
}

TEST(SnapshotStatus, MergeFinishedWhenOnlyMetadataRemains)
{
    const auto status = parse_snapshot_status("16/2097152 16");  // the example in snapshot.rst
    ASSERT_TRUE(succeeded(status));
    EXPECT_TRUE(status->merge_finished());
}

TEST(SnapshotStatus, OldFormWithoutMetadata)
{
    const auto status = parse_snapshot_status("16/2097152");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->state, SnapshotState::Active);
    EXPECT_EQ(status->allocated_sectors, 16u);
    EXPECT_FALSE(status->has_metadata_sectors());
    EXPECT_FALSE(status->merge_finished());  // cannot tell without the metadata count
}

TEST(SnapshotStatus, States)
{
    const std::pair<const char*, SnapshotState> states[] = {
        {"Invalid", SnapshotState::Invalid},
        {"Merge failed", SnapshotState::MergeFailed},
        {"Overflow", SnapshotState::Overflow},
        {"Unknown", SnapshotState::Unknown},
    };
    for (const auto& [line, state] : states) {
        const auto status = parse_snapshot_status(line);
        ASSERT_TRUE(succeeded(status)) << line;
        EXPECT_EQ(status->state, state) << line;
        EXPECT_FALSE(status->has_metadata_sectors()) << line;
        EXPECT_FALSE(status->merge_finished()) << line;
    }
}

class SnapshotStatusRejects : public ::testing::TestWithParam<std::string> {};

TEST_P(SnapshotStatusRejects, MalformedLine)
{
    EXPECT_TRUE(fails_with(parse_snapshot_status(GetParam()), ErrorCode::Parse));
}

INSTANTIATE_TEST_SUITE_P(SnapshotStatus, SnapshotStatusRejects,
                         ::testing::Values("",                     // snapshot-origin's status, not a snapshot's
                                           " ",                    // only blanks
                                           "invalid",              // states are case-sensitive
                                           "Merge",                // truncated state
                                           "Merge failed now",     // state with extra words
                                           "Invalid 16",           // state with a count
                                           "16 2097152",           // not a fraction
                                           "16/8 16",              // allocated above total
                                           "16/x 16",              // bad total
                                           "-16/2097152 16",       // negative
                                           "16/2097152 16x",       // bad metadata count
                                           "16/2097152 -",         // dash is not a count
                                           "16/2097152 16 3",      // too many fields
                                           "16/99999999999999999999 16"));  // overflow

}  // namespace
}  // namespace volumes::kmod
