#include <stdexcept>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "service/engine/kernel_volume_status.hpp"

namespace volumes::engine {
namespace {

RaidSync sync_of(std::string_view line)
{
    auto status = kmod::parse_raid_status(line);
    if (!status)
        throw std::runtime_error(status.error().message);
    return raid_sync_of(*status);
}

TEST(RaidSync, AnIdleArrayInSyncIsSynced)
{
    const auto sync = sync_of("raid1 2 AA 524288/524288 idle 0 0 -");
    EXPECT_EQ(sync.action, "idle");
    EXPECT_EQ(sync.health, (std::vector<char>{'A', 'A'}));
    EXPECT_EQ(sync.in_sync_sectors, 524288u);
    EXPECT_EQ(sync.total_sectors, 524288u);
    EXPECT_TRUE(sync.synced);
}

TEST(RaidSync, ARecoveringLegIsNotSynced)
{
    const auto sync = sync_of("raid1 3 Aa- 1024/524288 recover 0 0 -");
    EXPECT_EQ(sync.action, "recover");
    EXPECT_EQ(sync.health, (std::vector<char>{'A', 'a', '-'}));
    EXPECT_EQ(sync.in_sync_sectors, 1024u);
    EXPECT_EQ(sync.total_sectors, 524288u);
    EXPECT_FALSE(sync.synced);
}

TEST(RaidSync, ADeadLegIsNotSyncedEvenWhenIdle)
{
    const auto sync = sync_of("raid1 2 AD 524288/524288 idle 0 0 -");
    EXPECT_EQ(sync.health, (std::vector<char>{'A', 'D'}));
    EXPECT_FALSE(sync.synced);
}

TEST(RaidSync, AStatusWithoutASyncActionSaysUndef)
{
    const auto sync = sync_of("raid1 2 AA 524288/524288");
    EXPECT_EQ(sync.action, "undef");
    EXPECT_TRUE(sync.synced);
}

}  // namespace
}  // namespace volumes::engine
