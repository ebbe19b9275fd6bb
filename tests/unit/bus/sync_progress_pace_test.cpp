#include <gtest/gtest.h>

#include "service/bus/objects/sync_progress_pace.hpp"

namespace volumes::bus {
namespace {

using namespace std::chrono_literals;

const auto start = std::chrono::steady_clock::time_point{} + 100s;

RaidSyncState resync(std::uint64_t done)
{
    return {"resync", done, 1000, false, false};
}

TEST(SyncProgressPace, AMoveGoesOutAtOnce)
{
    EXPECT_TRUE(sync_progress_due(resync(10), resync(20), start, start + 10ms));
}

TEST(SyncProgressPace, AStandingResyncGoesOutOnceASecond)
{
    EXPECT_FALSE(sync_progress_due(resync(20), resync(20), start, start + 749ms));
    EXPECT_TRUE(sync_progress_due(resync(20), resync(20), start, start + 750ms));
    RaidSyncState recover = resync(20);
    recover.action = "recover";
    EXPECT_TRUE(sync_progress_due(recover, recover, start, start + 1500ms));
}

TEST(SyncProgressPace, AnIdleOrSyncedOrInactiveArrayStaysQuiet)
{
    const RaidSyncState idle{"idle", 1000, 1000, true, false};
    EXPECT_FALSE(sync_progress_due(idle, idle, start, start + 10s));
    const RaidSyncState inactive{};
    EXPECT_FALSE(sync_progress_due(resync(20), inactive, start, start + 10s));
    RaidSyncState frozen = resync(20);
    frozen.action = "frozen";
    EXPECT_FALSE(sync_progress_due(frozen, frozen, start, start + 10s));
}

}  // namespace
}  // namespace volumes::bus
