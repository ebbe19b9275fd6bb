// What the Pool and Raid1 properties show, from the engine's summary and a pool's model: the
// missing and failed members, each image's word and member, the array's health.
#include <gtest/gtest.h>

#include "metadata/uuid_of.hpp"
#include "service/bus/state/state_reader.hpp"

namespace volumes::bus {
namespace {

using metadata::uuid_of;

const model::Uuid sdb = uuid_of(0xB0);
const model::Uuid sdc = uuid_of(0xC0);
const model::Uuid sdd = uuid_of(0xD0);
const model::Uuid array_uuid = uuid_of(0x01);
const model::Uuid image_uuid = uuid_of(0x02);

engine::MemberSummary member(const model::Uuid& uuid, bool present, bool failed)
{
    engine::MemberSummary summary;
    summary.uuid = uuid;
    summary.path = present ? "/dev/x" : "";
    summary.extents = 10;
    summary.present = present;
    summary.failed = failed;
    return summary;
}

// Members sdb (here), sdc (missing) and sdd (here but marked failed).
PoolState members_state()
{
    engine::PoolSummary summary;
    summary.uuid = uuid_of(0xEE);
    summary.name = "tank";
    summary.extent_size = 4096;
    summary.members = {member(sdb, true, false), member(sdc, false, false), member(sdd, true, true)};
    summary.complete = false;
    return pool_state(summary);
}

model::Raid1Leg leg_on(const model::Uuid& member)
{
    return model::Raid1Leg{{{member, 0, 1}}, {{member, 1, 4}}, std::nullopt};
}

model::Pool pool_with(const model::Raid1Layout& layout)
{
    model::Pool pool;
    pool.uuid = uuid_of(0xEE);
    pool.name = "tank";
    pool.extent_size = 4096;
    pool.volumes.push_back({array_uuid, "mirror", true, layout});
    pool.volumes.push_back({image_uuid, "backup", true, model::TrackedImageLayout{array_uuid, 1}});
    return pool;
}

std::vector<std::string> words(const Raid1State& state)
{
    std::vector<std::string> out;
    for (const auto& image : state.images)
        out.push_back(image.health);
    return out;
}

TEST(PoolState, MissingAndFailedMembersInMemberOrder)
{
    const auto state = members_state();
    EXPECT_FALSE(state.complete);
    EXPECT_EQ(state.missing_members, std::vector<std::string>{sdc.to_string()});
    EXPECT_EQ(state.failed_members, std::vector<std::string>{sdd.to_string()});
    ASSERT_EQ(state.members.size(), 3u);
    EXPECT_FALSE(state.members[1].present);
    EXPECT_EQ(state.members[0].bytes, 10u * 4096u);
}

TEST(PoolState, ACompletePoolListsNone)
{
    engine::PoolSummary summary;
    summary.members = {member(sdb, true, false), member(sdc, true, false)};
    const auto state = pool_state(summary);
    EXPECT_TRUE(state.missing_members.empty());
    EXPECT_TRUE(state.failed_members.empty());
}

TEST(Raid1State, AnActiveArrayWithALegOnAMissingMemberIsDegraded)
{
    const model::Raid1Layout layout{1024, {leg_on(sdb), leg_on(sdc)}};
    const engine::RaidSync status{"idle", {'A', '-'}, 100, 100, true};
    const auto state = raid1_state(pool_with(layout), members_state(), layout, status, "");
    EXPECT_EQ(words(state), (std::vector<std::string>{"alive", "missing"}));
    EXPECT_EQ(state.images[1].member_uuid, sdc.to_string());
    EXPECT_EQ(state.health, "degraded");
    EXPECT_EQ(state.sync.action, "idle");
}

TEST(Raid1State, ALegOnAMarkedFailedMemberIsFailed)
{
    const model::Raid1Layout layout{1024, {leg_on(sdb), leg_on(sdd)}};
    const engine::RaidSync status{"idle", {'A', '-'}, 100, 100, true};
    const auto state = raid1_state(pool_with(layout), members_state(), layout, status, "");
    EXPECT_EQ(words(state), (std::vector<std::string>{"alive", "failed"}));
    EXPECT_EQ(state.health, "degraded");
}

TEST(Raid1State, ALegCountsEveryMemberItHasExtentsOn)
{
    // Slot 1's data starts on sdb but was grown onto sdc, which is missing.
    auto grown = leg_on(sdb);
    grown.data.push_back({sdc, 5, 2});
    const model::Raid1Layout layout{1024, {leg_on(sdb), grown}};
    const auto state = raid1_state(pool_with(layout), members_state(), layout, std::nullopt, "");
    EXPECT_EQ(words(state), (std::vector<std::string>{"unknown", "missing"}));
    EXPECT_EQ(state.images[1].member_uuid, sdb.to_string());
    EXPECT_EQ(state.health, "degraded");
}

TEST(Raid1State, AnInactiveArrayOnMembersThatAreHereIsOk)
{
    const model::Raid1Layout layout{1024, {leg_on(sdb), leg_on(sdb)}};
    const auto state = raid1_state(pool_with(layout), members_state(), layout, std::nullopt, "");
    EXPECT_EQ(words(state), (std::vector<std::string>{"unknown", "unknown"}));
    EXPECT_EQ(state.health, "ok");
    EXPECT_EQ(state.sync.action, "");
}

TEST(Raid1State, ATrackedImageIsSplitAndNamed)
{
    auto tracked = leg_on(sdc);
    tracked.tracked_image = image_uuid;
    const model::Raid1Layout layout{1024, {leg_on(sdb), tracked}};
    const engine::RaidSync status{"idle", {'A', '-'}, 100, 100, true};
    const auto state = raid1_state(pool_with(layout), members_state(), layout, status, "");
    EXPECT_EQ(words(state), (std::vector<std::string>{"alive", "split"}));
    EXPECT_EQ(state.tracked_image, "backup");
    EXPECT_EQ(state.health, "ok");
}

TEST(Raid1State, AKernelFailedLegAndAnUnavailableVolume)
{
    const model::Raid1Layout layout{1024, {leg_on(sdb), leg_on(sdb)}};
    const engine::RaidSync status{"idle", {'D', 'A'}, 100, 100, false};
    const auto degraded = raid1_state(pool_with(layout), members_state(), layout, status, "");
    EXPECT_EQ(words(degraded), (std::vector<std::string>{"failed", "alive"}));
    EXPECT_EQ(degraded.health, "degraded");
    EXPECT_TRUE(degraded.sync.failed_leg);

    const auto unavailable =
        raid1_state(pool_with(layout), members_state(), layout, std::nullopt, "extents on a missing member");
    EXPECT_EQ(unavailable.health, "failed");
}

}  // namespace
}  // namespace volumes::bus
