#include "kmod/status/raid_status.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "expect_result.hpp"

namespace volumes::kmod {
namespace {

using testing::fails_with;
using testing::succeeded;

using H = RaidDeviceHealth;

TEST(RaidStatus, InSyncMirror)
{
    const auto status = parse_raid_status("raid1 2 AA 524288/524288 idle 0 0 -");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->raid_type, "raid1");
    EXPECT_EQ(status->device_count, 2u);
    EXPECT_EQ(status->health, (std::vector<H>{H::InSync, H::InSync}));
    EXPECT_EQ(status->in_sync_sectors, 524288u);
    EXPECT_EQ(status->total_sectors, 524288u);
    EXPECT_EQ(status->sync_action, RaidSyncAction::Idle);
    EXPECT_EQ(status->mismatch_count, 0u);
    EXPECT_EQ(status->data_offset, 0u);
    EXPECT_EQ(status->journal, H::Missing);
    EXPECT_TRUE(status->is_synced());
}

TEST(RaidStatus, HealthStringRoundTripsTheKernelCharacters)
{
    const auto status = parse_raid_status("raid1 4 AaD- 1024/2048 recover 0 0 -");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(health_string(status->health), "AaD-");
}

TEST(RaidStatus, RecoveringLeg)
{
    const auto status = parse_raid_status("raid1 2 Aa 1024/524288 recover 0 0 -");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->health, (std::vector<H>{H::InSync, H::NotInSync}));
    EXPECT_EQ(status->in_sync_sectors, 1024u);
    EXPECT_EQ(status->sync_action, RaidSyncAction::Recover);
    EXPECT_FALSE(status->is_synced());
}

TEST(RaidStatus, SplitSlotShowsDashAndStaysSynced)
{
    const auto status = parse_raid_status("raid1 2 A- 524288/524288 idle 0 0 -");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->health, (std::vector<H>{H::InSync, H::Missing}));
    EXPECT_TRUE(status->is_synced());
}

TEST(RaidStatus, DeadLegIsNotSynced)
{
    const auto status = parse_raid_status("raid1 2 AD 524288/524288 idle 0 0 -");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->health[1], H::Dead);
    EXPECT_FALSE(status->is_synced());
}

TEST(RaidStatus, IdleShortOfTotalIsNotSynced)
{
    // dmeventd's "primary sources have failed" case: idle, yet not everything in sync.
    const auto status = parse_raid_status("raid1 2 aa 0/524288 idle 0 0 -");
    ASSERT_TRUE(succeeded(status));
    EXPECT_FALSE(status->is_synced());
    const auto all_alive = parse_raid_status("raid1 2 AA 4096/524288 idle 0 0 -");
    ASSERT_TRUE(succeeded(all_alive));
    EXPECT_FALSE(all_alive->is_synced());
}

TEST(RaidStatus, RunningCheckIsNotSynced)
{
    const auto status = parse_raid_status("raid1 2 AA 524288/524288 check 0 0 -");
    ASSERT_TRUE(succeeded(status));
    EXPECT_FALSE(status->is_synced());
}

TEST(RaidStatus, BeforeVersion1_5HasNoSyncAction)
{
    const auto synced = parse_raid_status("raid1 2 AA 524288/524288");
    ASSERT_TRUE(succeeded(synced));
    EXPECT_FALSE(synced->sync_action.has_value());
    EXPECT_FALSE(synced->mismatch_count.has_value());
    EXPECT_FALSE(synced->data_offset.has_value());
    EXPECT_FALSE(synced->journal.has_value());
    EXPECT_TRUE(synced->is_synced());

    const auto resyncing = parse_raid_status("raid1 2 aa 1000/524288");
    ASSERT_TRUE(succeeded(resyncing));
    EXPECT_FALSE(resyncing->is_synced());
}

TEST(RaidStatus, Version1_5AddsSyncActionAndMismatches)
{
    const auto status = parse_raid_status("raid1 2 AA 524288/524288 idle 12");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->sync_action, RaidSyncAction::Idle);
    EXPECT_EQ(status->mismatch_count, 12u);
    EXPECT_FALSE(status->data_offset.has_value());
    EXPECT_FALSE(status->journal.has_value());
}

TEST(RaidStatus, Version1_9AddsDataOffset)
{
    const auto status = parse_raid_status("raid1 2 AA 524288/524288 idle 0 2048");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->data_offset, 2048u);
    EXPECT_FALSE(status->journal.has_value());
}

TEST(RaidStatus, Version1_10AddsJournalChar)
{
    const auto status = parse_raid_status("raid5_ls 3 AAA 1048576/1048576 idle 0 0 a");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->raid_type, "raid5_ls");
    EXPECT_EQ(status->journal, H::NotInSync);  // a write-back journal
}

TEST(RaidStatus, ToleratesTrailingAndRepeatedBlanks)
{
    const auto status = parse_raid_status("raid1  2 AA 524288/524288 idle 0 0 - ");
    ASSERT_TRUE(succeeded(status));
    EXPECT_TRUE(status->is_synced());
}

TEST(RaidStatus, HealthCountMayDifferFromDeviceCountDuringReshape)
{
    const auto status = parse_raid_status("raid1 3 AAa 1024/524288 reshape 0 0 -");
    ASSERT_TRUE(succeeded(status));
    EXPECT_EQ(status->device_count, 3u);
    ASSERT_EQ(status->health.size(), 3u);
    const auto fewer = parse_raid_status("raid1 3 AA 1024/524288 reshape 0 0 -");
    ASSERT_TRUE(succeeded(fewer));
    EXPECT_EQ(fewer->device_count, 3u);
    EXPECT_EQ(fewer->health.size(), 2u);
}

TEST(RaidStatus, EverySyncAction)
{
    const std::vector<std::pair<std::string, RaidSyncAction>> actions{
        {"frozen", RaidSyncAction::Frozen}, {"reshape", RaidSyncAction::Reshape}, {"resync", RaidSyncAction::Resync},
        {"check", RaidSyncAction::Check},   {"repair", RaidSyncAction::Repair},   {"recover", RaidSyncAction::Recover},
        {"idle", RaidSyncAction::Idle},     {"undef", RaidSyncAction::Undef},
    };
    for (const auto& [word, action] : actions) {
        const auto status = parse_raid_status("raid1 2 AA 1/2 " + word + " 0");
        ASSERT_TRUE(succeeded(status)) << word;
        EXPECT_EQ(status->sync_action, action) << word;
        EXPECT_EQ(to_string(action), word);
    }
}

class RaidStatusRejects : public ::testing::TestWithParam<std::string> {};

TEST_P(RaidStatusRejects, MalformedLine)
{
    EXPECT_TRUE(fails_with(parse_raid_status(GetParam()), ErrorCode::Parse));
}

INSTANTIATE_TEST_SUITE_P(RaidStatus, RaidStatusRejects,
                         ::testing::Values("",                                            // empty
                                           "   ",                                         // only blanks
                                           "raid1",                                       // truncated
                                           "raid1 2 AA",                                  // no ratio
                                           "raid1 2 AA 524288/524288 idle",               // action without count
                                           "raid1 2 AA 524288/524288 idle 0 0 - extra",   // too many fields
                                           "linear 2 AA 1/2",                             // not a raid type
                                           "raid1 x AA 1/2",                              // bad device count
                                           "raid1 0 AA 1/2",                              // zero devices
                                           "raid1 -2 AA 1/2",                             // negative count
                                           "raid1 4294967296 AA 1/2",                     // count overflow
                                           "raid1 2 AX 1/2",                              // unknown health char
                                           "raid1 2 Aa 5/3",                              // in_sync above total
                                           "raid1 2 AA 524288",                           // ratio without slash
                                           "raid1 2 AA 12x/100",                          // trailing garbage
                                           "raid1 2 AA -1/100",                           // negative
                                           "raid1 2 AA 1/18446744073709551616",           // overflow
                                           "raid1 2 AA 1/2/3",                            // two slashes
                                           "raid1 2 AA 1/2 sleeping 0",                   // unknown action
                                           "raid1 2 AA 1/2 Idle 0",                       // actions are lowercase
                                           "raid1 2 AA 1/2 idle x",                       // bad mismatch count
                                           "raid1 2 AA 1/2 idle 0 -5",                    // bad data offset
                                           "raid1 2 AA 1/2 idle 0 0 AA",                  // journal is one char
                                           "raid1 2 AA 1/2 idle 0 0 X"));                 // unknown journal char

TEST(RaidStatus, ErrorNamesTheOffendingWord)
{
    const auto status = parse_raid_status("raid1 2 AA 12x/100 idle 0 0 -");
    ASSERT_TRUE(fails_with(status, ErrorCode::Parse));
    EXPECT_NE(status.error().message.find("12x/100"), std::string::npos) << status.error().message;
}

}  // namespace
}  // namespace volumes::kmod
