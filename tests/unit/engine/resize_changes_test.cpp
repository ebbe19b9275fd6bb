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
    const auto mirrored = *add_raid1_volume(pool, {"m", kExtent, 2}, uuid_of(2));
    EXPECT_TRUE(fails_with(resize_volume(mirrored, uuid_of(2), {2 * kExtent}), ErrorCode::NotSupported));
    const auto snapped = *add_snapshot(pool, uuid_of(1), {"s", kExtent}, uuid_of(3));
    EXPECT_TRUE(fails_with(resize_volume(snapped, uuid_of(1), {2 * kExtent}), ErrorCode::NotSupported));
    auto cow = resize_volume(snapped, uuid_of(3), {3 * kExtent});
    ASSERT_TRUE(succeeded(cow));
    EXPECT_EQ(model::extent_count(std::get<model::SnapshotLayout>(model::find_volume(*cow, "s")->layout).cow), 3u);
    EXPECT_TRUE(fails_with(resize_volume(*cow, uuid_of(3), {kExtent, true}), ErrorCode::NotSupported));
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

}  // namespace
}  // namespace volumes::engine
