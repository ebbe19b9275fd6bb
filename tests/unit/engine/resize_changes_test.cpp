#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_builder.hpp"
#include "service/engine/resize_changes.hpp"
#include "service/engine/snapshot_changes.hpp"
#include "service/engine/thin_changes.hpp"
#include "service/engine/volume_changes.hpp"
#include "service/model/pool_checks.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {
namespace {

using volumes::testing::fails_with;
using volumes::testing::succeeded;
using namespace testing;

model::Pool with_linear(model::Pool pool, const char* name, std::uint64_t size, std::uint8_t id)
{
    return *add_linear_volume(pool, {name, size}, uuid_of(id));
}

std::uint64_t size_of(const model::Pool& pool, const char* name)
{
    return *model::volume_size(pool, *model::find_volume(pool, name));
}

TEST(ResizeChanges, ALinearVolumeGrowsFromFreeExtentsRoundedUpAndJoinsAdjacentRuns)
{
    const auto pool = with_linear(empty_pool(1, 10), "root", 2 * kExtent, 1);
    auto next = resize_volume(pool, uuid_of(1), {3 * kExtent + 1});
    ASSERT_TRUE(succeeded(next));
    EXPECT_EQ(size_of(*next, "root"), 4 * kExtent);
    const auto& data = std::get<model::LinearLayout>(model::find_volume(*next, "root")->layout).data;
    ASSERT_EQ(data.size(), 1u);  // extents 0-1 and 2-3 of the one member: one run
    EXPECT_EQ(data.front().count, 4u);
    EXPECT_TRUE(succeeded(model::check_pool(*next)));
}

TEST(ResizeChanges, AGrowSkipsExtentsOtherVolumesUse)
{
    auto pool = with_linear(empty_pool(1, 10), "a", kExtent, 1);
    pool = with_linear(pool, "b", kExtent, 2);
    auto next = resize_volume(pool, uuid_of(1), {3 * kExtent});
    ASSERT_TRUE(succeeded(next));
    const auto& data = std::get<model::LinearLayout>(model::find_volume(*next, "a")->layout).data;
    ASSERT_EQ(data.size(), 2u);
    EXPECT_EQ(data[1].start, 2u);  // after b's extent
    EXPECT_EQ(data[1].count, 2u);
    EXPECT_TRUE(succeeded(model::check_pool(*next)));
}

TEST(ResizeChanges, TheSameSizeChangesNothing)
{
    const auto pool = with_linear(empty_pool(), "root", 2 * kExtent, 1);
    auto next = resize_volume(pool, uuid_of(1), {2 * kExtent - 100});
    ASSERT_TRUE(succeeded(next));
    EXPECT_EQ(*next, pool);
}

TEST(ResizeChanges, AShrinkNeedsAllowShrinkAndCutsAtTheEnd)
{
    auto pool = with_linear(empty_pool(1, 10), "a", kExtent, 1);
    pool = with_linear(pool, "b", kExtent, 2);
    pool = *resize_volume(pool, uuid_of(1), {4 * kExtent});  // extents 0, 2, 3, 4
    EXPECT_TRUE(fails_with(resize_volume(pool, uuid_of(1), {2 * kExtent}), ErrorCode::InvalidArgument));
    auto next = resize_volume(pool, uuid_of(1), {2 * kExtent, true});
    ASSERT_TRUE(succeeded(next));
    const auto& data = std::get<model::LinearLayout>(model::find_volume(*next, "a")->layout).data;
    ASSERT_EQ(data.size(), 2u);
    EXPECT_EQ(data[0].start, 0u);
    EXPECT_EQ(data[1].start, 2u);
    EXPECT_EQ(data[1].count, 1u);
    EXPECT_TRUE(succeeded(model::check_pool(*next)));
}

TEST(ResizeChanges, Refusals)
{
    const auto pool = with_linear(empty_pool(2, 4), "root", kExtent, 1);
    EXPECT_TRUE(fails_with(resize_volume(pool, uuid_of(9), {kExtent}), ErrorCode::NotFound));
    EXPECT_TRUE(fails_with(resize_volume(pool, uuid_of(1), {0}), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(resize_volume(pool, uuid_of(1), {9 * kExtent}), ErrorCode::NoSpace));
    EXPECT_TRUE(succeeded(resize_volume(pool, uuid_of(1), {8 * kExtent})));
    const auto snapped = *add_snapshot(pool, uuid_of(1), {"s", kExtent}, uuid_of(3));
    EXPECT_TRUE(fails_with(resize_volume(snapped, uuid_of(1), {2 * kExtent}), ErrorCode::NotSupported));
    auto cow = resize_volume(snapped, uuid_of(3), {3 * kExtent});
    ASSERT_TRUE(succeeded(cow));
    EXPECT_EQ(model::extent_count(std::get<model::SnapshotLayout>(model::find_volume(*cow, "s")->layout).cow), 3u);
    EXPECT_TRUE(fails_with(resize_volume(*cow, uuid_of(3), {kExtent, true}), ErrorCode::NotSupported));
}

const model::Raid1Layout& raid_of(const model::Pool& pool, const char* name)
{
    return std::get<model::Raid1Layout>(model::find_volume(pool, name)->layout);
}

TEST(ResizeChanges, ARaid1GrowsEveryLegsImageOnTheMemberThatLegLivesOn)
{
    auto pool = *add_raid1_volume(empty_pool(3, 10), {"m", 2 * kExtent, 2}, uuid_of(1));
    pool = with_linear(pool, "other", 8 * kExtent, 2);  // takes the third member's room
    const auto before = raid_of(pool, "m");
    auto next = resize_volume(pool, uuid_of(1), {5 * kExtent - 1});
    ASSERT_TRUE(succeeded(next));
    EXPECT_EQ(size_of(*next, "m"), 5 * kExtent);
    const auto& after = raid_of(*next, "m");
    ASSERT_EQ(after.legs.size(), 2u);
    for (std::size_t slot = 0; slot < 2; ++slot) {
        SCOPED_TRACE(slot);
        const auto& leg = after.legs[slot];
        EXPECT_EQ(leg.meta, before.legs[slot].meta) << "the metadata sub-volume does not move";
        EXPECT_EQ(model::extent_count(leg.data), 5u);
        for (const auto& run : leg.data)
            EXPECT_EQ(run.member, leg.meta.front().member) << "an image grew onto another member";
        EXPECT_EQ(leg.data.front().start, before.legs[slot].data.front().start) << "the old image moved";
        EXPECT_EQ(leg.data.size(), 1u) << "the new extents continue the image's run";
    }
    EXPECT_TRUE(succeeded(model::check_pool(*next)));
    EXPECT_EQ(*resize_volume(pool, uuid_of(1), {2 * kExtent}), pool) << "the same size changes nothing";
}

TEST(ResizeChanges, ARaid1GrowIsRefusedWhenOneLegsMemberLacksRoomNamingIt)
{
    auto pool = *add_raid1_volume(empty_pool(3, 10), {"m", 2 * kExtent, 2}, uuid_of(1));
    const auto& legs = raid_of(pool, "m").legs;
    const auto crowded = legs[1].meta.front().member;
    // Six of the seven free extents of leg 1's member go to a linear volume; the third member
    // stays empty, and a leg cannot use it.
    model::Pool filled = pool;
    filled.volumes.push_back({uuid_of(2), "filler", true, model::LinearLayout{{{crowded, 3, 6}}}});
    ASSERT_TRUE(succeeded(model::check_pool(filled)));
    auto refused = resize_volume(filled, uuid_of(1), {5 * kExtent});
    ASSERT_TRUE(fails_with(refused, ErrorCode::NoSpace));
    EXPECT_NE(refused.error().message.find("leg 1 needs 3 more extents on member " + crowded.to_string() +
                                           ", which has 1 free (2 short)"),
              std::string::npos)
        << refused.error().message;
    EXPECT_EQ(refused.error().message.find("leg 0"), std::string::npos) << refused.error().message;
    EXPECT_TRUE(succeeded(resize_volume(filled, uuid_of(1), {3 * kExtent})));
}

TEST(ResizeChanges, ARaid1ShrinksEveryImageAtItsEndOnlyWhenAllowed)
{
    auto pool = *add_raid1_volume(empty_pool(3, 10), {"m", 2 * kExtent, 2}, uuid_of(1));
    pool = *resize_volume(pool, uuid_of(1), {4 * kExtent});
    const auto before = raid_of(pool, "m");
    EXPECT_TRUE(fails_with(resize_volume(pool, uuid_of(1), {kExtent}), ErrorCode::InvalidArgument));
    auto next = resize_volume(pool, uuid_of(1), {kExtent, true});
    ASSERT_TRUE(succeeded(next));
    EXPECT_EQ(size_of(*next, "m"), kExtent);
    for (std::size_t slot = 0; slot < 2; ++slot) {
        const auto& leg = raid_of(*next, "m").legs[slot];
        EXPECT_EQ(leg.meta, before.legs[slot].meta);
        ASSERT_EQ(leg.data.size(), 1u);
        EXPECT_EQ(leg.data.front().start, before.legs[slot].data.front().start) << "not cut at the end";
        EXPECT_EQ(leg.data.front().count, 1u);
    }
    EXPECT_TRUE(succeeded(model::check_pool(*next)));
}

TEST(ResizeChanges, ARaid1RefusesATrackedLegSnapshotsAndTooManyBitmapRegions)
{
    const auto pool = *add_raid1_volume(empty_pool(3, 10), {"m", 2 * kExtent, 3}, uuid_of(1));

    auto split = split_track(pool, uuid_of(1), {std::nullopt, "kept", false}, uuid_of(2));
    ASSERT_TRUE(succeeded(split));
    auto tracked = resize_volume(*split, uuid_of(1), {3 * kExtent});
    ASSERT_TRUE(fails_with(tracked, ErrorCode::Busy));
    EXPECT_NE(tracked.error().message.find("'kept'"), std::string::npos) << tracked.error().message;
    EXPECT_TRUE(fails_with(resize_volume(*split, uuid_of(2), {3 * kExtent}), ErrorCode::InvalidArgument))
        << "a tracked image has its array's size";

    const auto snapped = *add_snapshot(pool, uuid_of(1), {"s", kExtent}, uuid_of(3));
    EXPECT_TRUE(fails_with(resize_volume(snapped, uuid_of(1), {3 * kExtent}), ErrorCode::NotSupported));

    // A 4 KiB region covers 2^21 regions of 8 sectors: 8 GiB; 9 GiB needs a larger region.
    auto big = empty_pool(2, 4096);
    big = *add_raid1_volume(big, {"b", kExtent, 2, 4096}, uuid_of(4));
    EXPECT_TRUE(succeeded(resize_volume(big, uuid_of(4), {8ull << 30})));
    auto beyond = resize_volume(big, uuid_of(4), {9ull << 30});
    ASSERT_TRUE(fails_with(beyond, ErrorCode::NotSupported));
    EXPECT_NE(beyond.error().message.find("2^21 regions"), std::string::npos) << beyond.error().message;
}

TEST(ResizeChanges, AThinVolumesVirtualSizeRoundsToSectorsAndShrinksOnlyWhenAllowed)
{
    auto pool = *add_thin_pool(empty_pool(), {"tp", 4 * kExtent, 2 * 1024 * 1024}, uuid_of(1));
    pool = add_thin(pool, uuid_of(1), "vm", 100 * kExtent, uuid_of(2))->next;
    auto next = resize_volume(pool, uuid_of(2), {200 * kExtent + 1});
    ASSERT_TRUE(succeeded(next));
    EXPECT_EQ(size_of(*next, "vm"), 200 * kExtent + 512);
    EXPECT_TRUE(fails_with(resize_volume(pool, uuid_of(2), {kExtent}), ErrorCode::InvalidArgument));
    EXPECT_TRUE(succeeded(resize_volume(pool, uuid_of(2), {kExtent, true})));
}

TEST(ResizeChanges, AThinPoolsDataAndMetadataGrowButNeverShrink)
{
    const auto pool = *add_thin_pool(empty_pool(), {"tp", 4 * kExtent, 2 * 1024 * 1024}, uuid_of(1));
    auto grown = resize_volume(pool, uuid_of(1), {6 * kExtent});
    ASSERT_TRUE(succeeded(grown));
    EXPECT_EQ(size_of(*grown, "tp"), 6 * kExtent);
    EXPECT_TRUE(succeeded(model::check_pool(*grown)));
    EXPECT_TRUE(fails_with(resize_volume(pool, uuid_of(1), {2 * kExtent, true}), ErrorCode::NotSupported));

    auto meta = resize_thin_pool_metadata(pool, uuid_of(1), 3 * kExtent);
    ASSERT_TRUE(succeeded(meta));
    EXPECT_EQ(model::extent_count(std::get<model::ThinPoolLayout>(model::find_volume(*meta, "tp")->layout).meta), 3u);
    EXPECT_TRUE(succeeded(model::check_pool(*meta)));
    EXPECT_TRUE(fails_with(resize_thin_pool_metadata(*meta, uuid_of(1), kExtent), ErrorCode::NotSupported));
    EXPECT_TRUE(fails_with(resize_thin_pool_metadata(pool, uuid_of(1), 17ull << 30), ErrorCode::InvalidArgument));
}

namespace {

std::uint64_t low_water_of(const model::Pool& pool)
{
    return std::get<model::ThinPoolLayout>(model::find_volume(pool, "tp")->layout).low_water_blocks;
}

}  // namespace

TEST(ResizeChanges, AGrownThinPoolsLowWaterFollowsItsThreshold)
{
    // 4 extents of 4 MiB: 256 blocks of 64 KiB, 51 free at the default 80.
    const auto pool = *add_thin_pool(empty_pool(), {"tp", 4 * kExtent, 2 * 1024 * 1024}, uuid_of(1));
    EXPECT_EQ(low_water_of(pool), 51u);
    auto grown = resize_volume(pool, uuid_of(1), {6 * kExtent});
    ASSERT_TRUE(succeeded(grown));
    EXPECT_EQ(low_water_of(*grown), 76u) << "384 blocks leave 76.8 free";

    auto meta = resize_thin_pool_metadata(pool, uuid_of(1), 3 * kExtent);
    ASSERT_TRUE(succeeded(meta));
    EXPECT_EQ(low_water_of(*meta), 51u) << "the metadata does not count";
}

TEST(ResizeChanges, WithAutoextendOffAGrownThinPoolKeepsItsLowWater)
{
    auto off = empty_pool();
    off.thin_pool_autoextend = model::AutoextendPolicy{100, 20};
    const auto pool = *add_thin_pool(off, {"tp", 4 * kExtent, 2 * 1024 * 1024, 64 * 1024, 9}, uuid_of(1));
    auto grown = resize_volume(pool, uuid_of(1), {6 * kExtent});
    ASSERT_TRUE(succeeded(grown));
    EXPECT_EQ(low_water_of(*grown), 9u);
}

}  // namespace
}  // namespace volumes::engine
