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

SplitTrackRequest at_slot(std::uint32_t slot)
{
    SplitTrackRequest request;
    request.slot = slot;
    return request;
}

SplitTrackRequest named(std::string name)
{
    SplitTrackRequest request;
    request.image_name = std::move(name);
    return request;
}

SplitTrackRequest allowing_no_redundancy()
{
    SplitTrackRequest request;
    request.allow_no_redundancy = true;
    return request;
}

model::Pool with_array(unsigned legs)
{
    auto pool = add_raid1_volume(empty_pool(3, 10), {"arr", 2 * kExtent, legs}, uuid_of(1));
    if (!pool)
        throw std::runtime_error(pool.error().message);
    return *pool;
}

TEST(SplitMergeChanges, SplitTracksTheHighestSlotAsAReadOnlyImage)
{
    const auto pool = with_array(3);
    auto split = split_track(pool, uuid_of(1), {}, uuid_of(2));
    ASSERT_TRUE(succeeded(split));
    EXPECT_TRUE(succeeded(model::check_pool(*split)));
    const auto* image = model::find_volume(*split, "arr_image_2");
    ASSERT_NE(image, nullptr);
    const auto& tracked = std::get<model::TrackedImageLayout>(image->layout);
    EXPECT_EQ(tracked.array, uuid_of(1));
    EXPECT_EQ(tracked.slot, 2u);
    const auto& raid = std::get<model::Raid1Layout>(model::find_volume(*split, uuid_of(1))->layout);
    EXPECT_EQ(raid.legs[2].tracked_image, uuid_of(2));
    EXPECT_FALSE(raid.legs[0].tracked_image);
    EXPECT_EQ(model::volume_size(*split, *image), 2 * kExtent);
}

TEST(SplitMergeChanges, MergeGivesBackThePoolAsItWasBeforeTheSplit)
{
    const auto pool = with_array(3);
    auto split = split_track(pool, uuid_of(1), {0, "backup", false}, uuid_of(2));
    ASSERT_TRUE(succeeded(split));
    auto merged = merge_tracked_image(*split, uuid_of(2));
    ASSERT_TRUE(succeeded(merged));
    EXPECT_EQ(*merged, pool);
}

TEST(SplitMergeChanges, SplitRefusals)
{
    const auto two_legs = with_array(2);
    auto not_redundant = split_track(two_legs, uuid_of(1), {}, uuid_of(2));
    ASSERT_TRUE(fails_with(not_redundant, ErrorCode::InvalidArgument));
    EXPECT_NE(not_redundant.error().message.find("redundancy"), std::string::npos) << not_redundant.error().message;
    EXPECT_TRUE(succeeded(split_track(two_legs, uuid_of(1), allowing_no_redundancy(), uuid_of(2))));

    const auto pool = with_array(3);
    EXPECT_TRUE(fails_with(split_track(pool, uuid_of(9), {}, uuid_of(2)), ErrorCode::NotFound));
    EXPECT_TRUE(fails_with(split_track(pool, uuid_of(1), at_slot(3), uuid_of(2)), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(split_track(pool, uuid_of(1), named("arr"), uuid_of(2)), ErrorCode::AlreadyExists));

    auto split = split_track(pool, uuid_of(1), {}, uuid_of(2));
    ASSERT_TRUE(succeeded(split));
    EXPECT_TRUE(fails_with(split_track(*split, uuid_of(1), at_slot(0), uuid_of(3)), ErrorCode::Busy));
    EXPECT_TRUE(fails_with(remove_volume(*split, uuid_of(1)), ErrorCode::InUse));
    EXPECT_TRUE(fails_with(remove_volume(*split, uuid_of(2)), ErrorCode::NotSupported));
    EXPECT_TRUE(fails_with(merge_tracked_image(*split, uuid_of(1)), ErrorCode::InvalidArgument));

    auto split_then_down = set_active(*split, uuid_of(1), false);
    ASSERT_TRUE(succeeded(split_then_down));
    EXPECT_TRUE(fails_with(merge_tracked_image(*split_then_down, uuid_of(2)), ErrorCode::InvalidArgument));

    auto inactive = set_active(pool, uuid_of(1), false);
    ASSERT_TRUE(succeeded(inactive));
    EXPECT_TRUE(fails_with(split_track(*inactive, uuid_of(1), {}, uuid_of(2)), ErrorCode::InvalidArgument));

    auto linear = add_linear_volume(pool, {"lin", kExtent}, uuid_of(5));
    ASSERT_TRUE(succeeded(linear));
    EXPECT_TRUE(fails_with(split_track(*linear, uuid_of(5), {}, uuid_of(2)), ErrorCode::InvalidArgument));
}

}  // namespace
}  // namespace volumes::engine
