#include <set>

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_builder.hpp"
#include "service/engine/volume_changes.hpp"
#include "service/model/pool_checks.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {
namespace {

using volumes::testing::fails_with;
using volumes::testing::succeeded;
using namespace testing;

TEST(VolumeChanges, LinearSizeRoundsUpToWholeExtents)
{
    const auto pool = empty_pool();
    auto next = add_linear_volume(pool, {"root", 5 * 1024 * 1024}, uuid_of(1));
    ASSERT_TRUE(succeeded(next));
    const auto* volume = model::find_volume(*next, "root");
    ASSERT_NE(volume, nullptr);
    EXPECT_TRUE(volume->active);
    EXPECT_EQ(model::volume_size(*next, *volume), 2 * kExtent);
    EXPECT_TRUE(succeeded(model::check_pool(*next)));
}

TEST(VolumeChanges, LinearRefusals)
{
    const auto pool = empty_pool(2, 4);
    auto first = add_linear_volume(pool, {"a", kExtent}, uuid_of(1));
    ASSERT_TRUE(succeeded(first));
    EXPECT_TRUE(fails_with(add_linear_volume(*first, {"a", kExtent}, uuid_of(2)), ErrorCode::AlreadyExists));
    EXPECT_TRUE(fails_with(add_linear_volume(pool, {"a", 0}, uuid_of(2)), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(add_linear_volume(pool, {"a_tdata", kExtent}, uuid_of(2)), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(add_linear_volume(pool, {"", kExtent}, uuid_of(2)), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(add_linear_volume(pool, {"big", 9 * kExtent}, uuid_of(2)), ErrorCode::NoSpace));
    EXPECT_TRUE(succeeded(add_linear_volume(pool, {"all", 8 * kExtent}, uuid_of(2))));
}

// Two names valid alone, whose legs' dm names would pass the kernel's 127 bytes.
TEST(VolumeChanges, NamesWhoseDmNamesDoNotFitAreRefused)
{
    auto pool = empty_pool();
    pool.name = std::string(64, 'p');
    EXPECT_TRUE(fails_with(add_linear_volume(pool, {std::string(64, 'v'), kExtent}, uuid_of(1)),
                           ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(add_raid1_volume(pool, {std::string(45, 'v'), kExtent, 2}, uuid_of(1)),
                           ErrorCode::InvalidArgument));
    EXPECT_TRUE(succeeded(add_raid1_volume(pool, {std::string(44, 'v'), kExtent, 2}, uuid_of(1))));
}

TEST(VolumeChanges, Raid1LegsAreOnDistinctMembersWithTheirMetadata)
{
    const auto pool = empty_pool(3, 10);
    auto next = add_raid1_volume(pool, {"m", 3 * kExtent, 3, 64 * 1024}, uuid_of(1));
    ASSERT_TRUE(succeeded(next));
    const auto& raid = std::get<model::Raid1Layout>(model::find_volume(*next, "m")->layout);
    EXPECT_EQ(raid.region_size, 64u * 1024);
    ASSERT_EQ(raid.legs.size(), 3u);
    std::set<model::Uuid> members;
    for (const auto& leg : raid.legs) {
        EXPECT_EQ(model::extent_count(leg.meta), 1u);
        EXPECT_EQ(model::extent_count(leg.data), 3u);
        ASSERT_FALSE(leg.meta.empty());
        for (const auto& run : leg.data)
            EXPECT_EQ(run.member, leg.meta.front().member) << "a leg spans members";
        members.insert(leg.meta.front().member);
    }
    EXPECT_EQ(members.size(), 3u);
    EXPECT_TRUE(succeeded(model::check_pool(*next)));
}

TEST(VolumeChanges, Raid1Refusals)
{
    const auto pool = empty_pool(3, 10);
    EXPECT_TRUE(fails_with(add_raid1_volume(pool, {"m", kExtent, 1}, uuid_of(1)), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(add_raid1_volume(pool, {"m", kExtent, 9}, uuid_of(1)), ErrorCode::InvalidArgument));
    EXPECT_TRUE(
        fails_with(add_raid1_volume(pool, {"m", kExtent, 2, 3 * 4096}, uuid_of(1)), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(add_raid1_volume(pool, {"m", kExtent, 2, 2048}, uuid_of(1)), ErrorCode::InvalidArgument));
    EXPECT_TRUE(
        fails_with(add_raid1_volume(pool, {"m", kExtent, 2, 2 * kExtent}, uuid_of(1)), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(add_raid1_volume(pool, {"m", kExtent, 4}, uuid_of(1)), ErrorCode::NoSpace));
    EXPECT_TRUE(fails_with(add_raid1_volume(pool, {"m", 10 * kExtent, 2}, uuid_of(1)), ErrorCode::NoSpace));
}

model::Pool pool_with_dependents()
{
    auto pool = empty_pool(3, 20);
    pool.volumes.push_back({uuid_of(1), "origin", true, model::LinearLayout{{{pool.members[0].uuid, 0, 2}}}});
    pool.volumes.push_back(
        {uuid_of(2), "snap", true, model::SnapshotLayout{uuid_of(1), {{pool.members[0].uuid, 2, 1}}, 4096}});
    model::ThinPoolLayout thin_pool{{{pool.members[1].uuid, 0, 1}}, {{pool.members[1].uuid, 1, 4}}, 64 * 1024, 0,
                                    false, 1, std::nullopt, 1};
    pool.volumes.push_back({uuid_of(3), "tp", true, thin_pool});
    pool.volumes.push_back({uuid_of(4), "thin", true, model::ThinLayout{uuid_of(3), 0, std::nullopt, kExtent}});
    return pool;
}

TEST(VolumeChanges, RemoveRefusesWhatOthersStandOn)
{
    const auto pool = pool_with_dependents();
    ASSERT_TRUE(succeeded(model::check_pool(pool)));
    EXPECT_TRUE(fails_with(remove_volume(pool, uuid_of(1)), ErrorCode::InUse));
    EXPECT_TRUE(fails_with(remove_volume(pool, uuid_of(3)), ErrorCode::InUse));
    EXPECT_TRUE(fails_with(remove_volume(pool, uuid_of(9)), ErrorCode::NotFound));
    auto without_snapshot = remove_volume(pool, uuid_of(2));
    ASSERT_TRUE(succeeded(without_snapshot));
    EXPECT_EQ(model::find_volume(*without_snapshot, uuid_of(2)), nullptr);
    EXPECT_TRUE(succeeded(remove_volume(*without_snapshot, uuid_of(1))));
}

TEST(VolumeChanges, ActivationFollowsWhatVolumesStandOn)
{
    const auto pool = pool_with_dependents();
    auto origin_down = set_active(pool, uuid_of(1), false);
    ASSERT_TRUE(succeeded(origin_down));
    EXPECT_FALSE(model::find_volume(*origin_down, uuid_of(1))->active);
    EXPECT_FALSE(model::find_volume(*origin_down, uuid_of(2))->active) << "the snapshot stayed up without its origin";
    EXPECT_TRUE(model::find_volume(*origin_down, uuid_of(3))->active);
    EXPECT_TRUE(succeeded(model::check_pool(*origin_down)));

    auto snapshot_up = set_active(*origin_down, uuid_of(2), true);
    ASSERT_TRUE(succeeded(snapshot_up));
    EXPECT_TRUE(model::find_volume(*snapshot_up, uuid_of(1))->active);

    auto thin_pool_down = set_active(pool, uuid_of(3), false);
    ASSERT_TRUE(succeeded(thin_pool_down));
    EXPECT_FALSE(model::find_volume(*thin_pool_down, uuid_of(4))->active);
    EXPECT_TRUE(fails_with(set_active(pool, uuid_of(9), true), ErrorCode::NotFound));
}

}  // namespace
}  // namespace volumes::engine
