// What the log says when a raid1 array's Health changes.
#include <gtest/gtest.h>

#include "service/bus/requests/health_log.hpp"

namespace volumes::bus {
namespace {

VolumeState mirror(const char* health, std::vector<RaidImageState> images)
{
    VolumeState volume;
    volume.pool = "tank";
    volume.name = "mirror";
    volume.kind = "raid1";
    volume.active = true;
    volume.raid1 = Raid1State{};
    volume.raid1->health = health;
    volume.raid1->images = std::move(images);
    return volume;
}

const std::vector<RaidImageState> both_alive{{0, "alive", "aaaa"}, {1, "alive", "bbbb"}};
const std::vector<RaidImageState> one_failed{{0, "alive", "aaaa"}, {1, "failed", "bbbb"}};

TEST(HealthChange, LeavingOkIsAWarningWithEverySlot)
{
    const auto before = mirror("ok", both_alive);
    const auto change = health_change(&before, mirror("degraded", one_failed));
    ASSERT_TRUE(change);
    EXPECT_EQ(change->level, logging::Level::Warning);
    EXPECT_EQ(change->message, "raid1 health ok -> degraded: slot 0 alive (aaaa), slot 1 failed (bbbb)");
}

TEST(HealthChange, OkAgainIsANotice)
{
    const auto before = mirror("degraded", one_failed);
    const auto change = health_change(&before, mirror("ok", both_alive));
    ASSERT_TRUE(change);
    EXPECT_EQ(change->level, logging::Level::Notice);
    EXPECT_EQ(change->message, "raid1 health degraded -> ok: slot 0 alive (aaaa), slot 1 alive (bbbb)");
}

TEST(HealthChange, WorseStillIsAWarningAndSaysWhyItIsUnavailable)
{
    const auto before = mirror("degraded", one_failed);
    auto after = mirror("failed", {{0, "missing", "aaaa"}, {1, "failed", "bbbb"}});
    after.unavailable = "extents on missing member aaaa";
    const auto change = health_change(&before, after);
    ASSERT_TRUE(change);
    EXPECT_EQ(change->level, logging::Level::Warning);
    EXPECT_EQ(change->message, "raid1 health degraded -> failed: slot 0 missing (aaaa), slot 1 failed (bbbb); "
                               "unavailable: extents on missing member aaaa");
}

TEST(HealthChange, OnceOnlyAChangeIsSaid)
{
    const auto before = mirror("degraded", one_failed);
    // The images move (a recovery) but Health stays.
    EXPECT_FALSE(health_change(&before, mirror("degraded", {{0, "alive", "aaaa"}, {1, "syncing", "bbbb"}})));
    const auto ok = mirror("ok", both_alive);
    EXPECT_FALSE(health_change(&ok, mirror("ok", {{0, "alive", "aaaa"}, {1, "syncing", "bbbb"}})));
}

TEST(HealthChange, ANewObjectIsSaidOnlyWhenNotOk)
{
    EXPECT_FALSE(health_change(nullptr, mirror("ok", both_alive)));
    const auto change = health_change(nullptr, mirror("degraded", one_failed));
    ASSERT_TRUE(change);
    EXPECT_EQ(change->level, logging::Level::Warning);
    EXPECT_EQ(change->message, "raid1 health degraded: slot 0 alive (aaaa), slot 1 failed (bbbb)");
}

TEST(HealthChange, NothingForOtherKinds)
{
    VolumeState linear;
    linear.kind = "linear";
    linear.unavailable = "extents on a missing member";
    EXPECT_FALSE(health_change(nullptr, linear));
    EXPECT_FALSE(health_change(&linear, linear));
}

}  // namespace
}  // namespace volumes::bus
