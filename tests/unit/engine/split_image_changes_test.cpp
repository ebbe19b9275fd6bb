#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_builder.hpp"
#include "service/allocator/extent_allocator.hpp"
#include "service/allocator/used_extents.hpp"
#include "service/engine/volume_changes.hpp"
#include "service/model/pool_checks.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {
namespace {

using volumes::testing::fails_with;
using volumes::testing::succeeded;
using namespace testing;

// Array "arr" (uuid 1) of `legs` legs of two extents, with `slot` split off as "img" (uuid 2).
model::Pool tracked_at(unsigned legs, std::uint32_t slot)
{
    auto pool = add_raid1_volume(empty_pool(3, 10), {"arr", 2 * kExtent, legs}, uuid_of(1));
    if (!pool)
        throw std::runtime_error(pool.error().message);
    auto split = split_track(*pool, uuid_of(1), {slot, "img", true}, uuid_of(2));
    if (!split)
        throw std::runtime_error(split.error().message);
    return *split;
}

const model::Raid1Layout& raid_of(const model::Pool& pool)
{
    return std::get<model::Raid1Layout>(model::find_volume(pool, uuid_of(1))->layout);
}

TEST(SplitImageChanges, TheMiddleLegBecomesALinearVolumeAndTheLegsAboveMoveDown)
{
    const auto pool = tracked_at(3, 1);
    const auto before = raid_of(pool).legs;
    auto split = split_image(pool, uuid_of(1), "kept", uuid_of(3));
    ASSERT_TRUE(succeeded(split));
    EXPECT_TRUE(succeeded(model::check_pool(*split)));

    EXPECT_EQ(model::find_volume(*split, uuid_of(2)), nullptr) << "the tracked image is still there";
    const auto* kept = model::find_volume(*split, "kept");
    ASSERT_NE(kept, nullptr);
    EXPECT_EQ(kept->uuid, uuid_of(3));
    EXPECT_TRUE(kept->active);
    ASSERT_TRUE(std::holds_alternative<model::LinearLayout>(kept->layout));
    EXPECT_EQ(std::get<model::LinearLayout>(kept->layout).data, before[1].data);

    const auto& legs = raid_of(*split).legs;
    ASSERT_EQ(legs.size(), 2u);
    EXPECT_EQ(legs[0], before[0]);
    EXPECT_EQ(legs[1], before[2]);
    EXPECT_EQ(raid_of(*split).region_size, raid_of(pool).region_size);
}

TEST(SplitImageChanges, TheLegsRmetaExtentIsFreedAndItsDataExtentsMoveToTheNewVolume)
{
    const auto pool = tracked_at(3, 2);
    const auto leg = raid_of(pool).legs[2];
    auto split = split_image(pool, uuid_of(1), "kept", uuid_of(3));
    ASSERT_TRUE(succeeded(split));
    const auto* kept = model::find_volume(*split, "kept");
    EXPECT_EQ(std::get<model::LinearLayout>(kept->layout).data, leg.data);
    EXPECT_EQ(model::volume_size(*split, *kept), 2 * kExtent);
    EXPECT_EQ(allocator::free_extent_count(*split), allocator::free_extent_count(pool) + model::extent_count(leg.meta));
    const auto used = allocator::used_extents(*split);
    for (const auto& run : used)
        EXPECT_FALSE(run.member == leg.meta.front().member && run.start <= leg.meta.front().start &&
                     leg.meta.front().start < run.start + run.count)
            << "the rmeta extent is still in use";
}

TEST(SplitImageChanges, ATwoLegArrayKeepsOneLegAndStaysRaid1)
{
    const auto pool = tracked_at(2, 0);
    const auto before = raid_of(pool).legs;
    auto split = split_image(pool, uuid_of(1), "kept", uuid_of(3));
    ASSERT_TRUE(succeeded(split));
    EXPECT_TRUE(succeeded(model::check_pool(*split)));
    ASSERT_EQ(raid_of(*split).legs.size(), 1u);
    EXPECT_EQ(raid_of(*split).legs[0], before[1]);
    EXPECT_EQ(std::get<model::LinearLayout>(model::find_volume(*split, "kept")->layout).data, before[0].data);
    // Nothing is left to split off a one-leg array.
    SplitTrackRequest request;
    request.allow_no_redundancy = true;
    EXPECT_TRUE(fails_with(split_track(*split, uuid_of(1), request, uuid_of(4)), ErrorCode::InvalidArgument));
}

TEST(SplitImageChanges, AnInactiveImageGivesAnInactiveVolume)
{
    auto pool = set_active(tracked_at(3, 2), uuid_of(2), false);
    ASSERT_TRUE(succeeded(pool));
    auto split = split_image(*pool, uuid_of(1), "kept", uuid_of(3));
    ASSERT_TRUE(succeeded(split));
    EXPECT_FALSE(model::find_volume(*split, "kept")->active);
}

TEST(SplitImageChanges, Refusals)
{
    const auto pool = tracked_at(3, 1);
    const auto refused = [&](const model::Pool& p, const Uuid& array, std::string name, ErrorCode code) {
        return fails_with(split_image(p, array, std::move(name), uuid_of(3)), code);
    };
    EXPECT_TRUE(refused(pool, uuid_of(1), "arr", ErrorCode::AlreadyExists));
    EXPECT_TRUE(refused(pool, uuid_of(1), "img", ErrorCode::AlreadyExists));
    EXPECT_TRUE(refused(pool, uuid_of(1), "bad name", ErrorCode::InvalidArgument));
    EXPECT_TRUE(refused(pool, uuid_of(1), "x_rimage", ErrorCode::InvalidArgument));
    EXPECT_TRUE(refused(pool, uuid_of(1), "", ErrorCode::InvalidArgument));
    EXPECT_TRUE(refused(pool, uuid_of(9), "kept", ErrorCode::NotFound));

    auto merged = merge_tracked_image(pool, uuid_of(2));
    ASSERT_TRUE(succeeded(merged));
    auto untracked = split_image(*merged, uuid_of(1), "kept", uuid_of(3));
    ASSERT_TRUE(fails_with(untracked, ErrorCode::NotFound));
    EXPECT_NE(untracked.error().message.find("split-track an image first"), std::string::npos)
        << untracked.error().message;

    auto linear = add_linear_volume(pool, {"lin", kExtent}, uuid_of(5));
    ASSERT_TRUE(succeeded(linear));
    EXPECT_TRUE(refused(*linear, uuid_of(5), "kept", ErrorCode::InvalidArgument));
    EXPECT_TRUE(refused(*linear, uuid_of(2), "kept", ErrorCode::InvalidArgument));

    auto inactive = set_active(pool, uuid_of(1), false);
    ASSERT_TRUE(succeeded(inactive));
    EXPECT_TRUE(refused(*inactive, uuid_of(1), "kept", ErrorCode::InvalidArgument));
}

}  // namespace
}  // namespace volumes::engine
