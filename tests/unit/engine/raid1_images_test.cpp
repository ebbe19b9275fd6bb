// Raid1.AddImage and Raid1.RemoveImage's decisions (raid1_images.hpp): what the next pool
// holds, and every refusal.
#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_builder.hpp"
#include "service/allocator/extent_allocator.hpp"
#include "service/engine/raid1_images.hpp"
#include "service/engine/volume_changes.hpp"
#include "service/model/pool_checks.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {
namespace {

using volumes::testing::fails_with;
using volumes::testing::succeeded;
using namespace testing;

// An array "arr" (2 extents an image) of `images` images in a pool of `members` members of 10
// extents.
model::Pool with_array(unsigned members = 3, std::uint32_t images = 2)
{
    auto pool = add_raid1_volume(empty_pool(members, 10), {"arr", 2 * kExtent, images}, uuid_of(1));
    if (!pool)
        throw std::runtime_error(pool.error().message);
    return *pool;
}

const model::Raid1Layout& raid_of(const model::Pool& pool)
{
    return std::get<model::Raid1Layout>(model::find_volume(pool, uuid_of(1))->layout);
}

model::Uuid member_of(const model::Pool& pool, std::size_t slot)
{
    return raid_of(pool).legs.at(slot).meta.front().member;
}

std::vector<model::Uuid> spares_of(const model::Pool& pool)
{
    std::vector<model::Uuid> spares;
    for (const auto& member : pool.members) {
        bool used = false;
        for (const auto& leg : raid_of(pool).legs)
            used = used || leg.meta.front().member == member.uuid;
        if (!used)
            spares.push_back(member.uuid);
    }
    return spares;
}

void mark_failed(model::Pool& pool, const model::Uuid& member)
{
    model::find_member(pool, member)->failed = true;
}

std::uint64_t free_on(const model::Pool& pool, const model::Uuid& member)
{
    for (const auto& free : allocator::free_extents(pool))
        if (free.member == member)
            return free.extents();
    return 0;
}

// What the kernel shows of a whole array of `legs` legs, idle and in sync.
Raid1KernelView whole(std::size_t legs)
{
    return {true, std::vector<char>(legs, 'A')};
}

// ---- AddImage ----

TEST(Raid1AddImage, AppendsARebuildingLegOnTheSpare)
{
    const auto pool = with_array();
    const auto spare = spares_of(pool).at(0);
    auto added = add_raid1_image(pool, uuid_of(1), {});
    ASSERT_TRUE(succeeded(added));
    EXPECT_EQ(added->slot, 2u);
    EXPECT_TRUE(succeeded(model::check_pool(added->next)));
    const auto& raid = raid_of(added->next);
    ASSERT_EQ(raid.legs.size(), 3u);
    EXPECT_EQ(raid.legs[0], raid_of(pool).legs[0]);
    EXPECT_EQ(raid.legs[1], raid_of(pool).legs[1]);
    EXPECT_EQ(raid.legs[2].meta.front().member, spare);
    EXPECT_EQ(raid.legs[2].data.front().member, spare);
    EXPECT_EQ(model::extent_count(raid.legs[2].meta), 1u);
    EXPECT_EQ(model::extent_count(raid.legs[2].data), 2u);
    EXPECT_TRUE(raid.legs[2].rebuilding);
    EXPECT_FALSE(raid.legs[2].tracked_image);
    EXPECT_EQ(free_on(added->next, spare), 10u - 3u);
    // Once in sync the mark goes, as after a repair.
    auto finished = finish_raid1_rebuild(added->next, uuid_of(1), {'A', 'A', 'A'});
    ASSERT_TRUE(succeeded(finished));
    ASSERT_TRUE(finished->has_value());
    EXPECT_FALSE(raid1_rebuilding(*model::find_volume(**finished, uuid_of(1))));
}

TEST(Raid1AddImage, GoesOnlyOnAnAllowedMember)
{
    const auto pool = with_array(4, 2);
    const auto spares = spares_of(pool);
    ASSERT_EQ(spares.size(), 2u);
    for (const auto& chosen : spares) {
        auto added = add_raid1_image(pool, uuid_of(1), {{chosen}, {}});
        ASSERT_TRUE(succeeded(added));
        EXPECT_EQ(member_of(added->next, 2), chosen);
    }
}

TEST(Raid1AddImage, RefusesAnAllowedMemberThatCannotHoldTheImage)
{
    auto pool = with_array(4, 2);
    const auto spares = spares_of(pool);
    EXPECT_TRUE(fails_with(add_raid1_image(pool, uuid_of(1), {{member_of(pool, 0)}, {}}), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(add_raid1_image(pool, uuid_of(1), {{uuid_of(0x77)}, {}}), ErrorCode::NotFound));
    mark_failed(pool, spares[0]);
    EXPECT_TRUE(fails_with(add_raid1_image(pool, uuid_of(1), {{spares[0]}, {}}), ErrorCode::InvalidArgument));
    // A missing member too, while another spare has room.
    const auto healthy = with_array(4, 2);
    EXPECT_TRUE(
        fails_with(add_raid1_image(healthy, uuid_of(1), {{spares[1]}, {spares[1]}}), ErrorCode::InvalidArgument));
    auto elsewhere = add_raid1_image(healthy, uuid_of(1), {{}, {spares[1]}});
    ASSERT_TRUE(succeeded(elsewhere));
    EXPECT_EQ(member_of(elsewhere->next, 2), spares[0]);
}

TEST(Raid1AddImage, NoSpaceWithoutAMemberOutsideTheArray)
{
    const auto pool = with_array(2, 2);
    EXPECT_TRUE(fails_with(add_raid1_image(pool, uuid_of(1), {}), ErrorCode::NoSpace));
    auto spare_failed = with_array(3, 2);
    mark_failed(spare_failed, spares_of(spare_failed).at(0));
    EXPECT_TRUE(fails_with(add_raid1_image(spare_failed, uuid_of(1), {}), ErrorCode::NoSpace));
}

TEST(Raid1AddImage, NoSpaceWhenTheSpareIsTooFull)
{
    auto pool = add_raid1_volume(empty_pool(3, 4), {"arr", 2 * kExtent, 2}, uuid_of(1));
    ASSERT_TRUE(succeeded(pool));
    auto filled = add_linear_volume(*pool, {"fill", 2 * kExtent}, uuid_of(2));
    ASSERT_TRUE(succeeded(filled));
    EXPECT_TRUE(fails_with(add_raid1_image(*filled, uuid_of(1), {}), ErrorCode::NoSpace));
}

TEST(Raid1AddImage, RefusesOtherKindsInactiveArraysAndUnknownVolumes)
{
    const auto pool = with_array();
    auto with_linear = add_linear_volume(pool, {"lin", kExtent}, uuid_of(2));
    ASSERT_TRUE(succeeded(with_linear));
    EXPECT_TRUE(fails_with(add_raid1_image(*with_linear, uuid_of(2), {}), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(add_raid1_image(pool, uuid_of(9), {}), ErrorCode::NotFound));
    auto inactive = set_active(pool, uuid_of(1), false);
    ASSERT_TRUE(succeeded(inactive));
    EXPECT_TRUE(fails_with(add_raid1_image(*inactive, uuid_of(1), {}), ErrorCode::InvalidArgument));
}

TEST(Raid1AddImage, RefusesAnArrayWithTheMostImages)
{
    const auto pool = with_array(10, 8);
    const auto refused = add_raid1_image(pool, uuid_of(1), {});
    ASSERT_TRUE(fails_with(refused, ErrorCode::InvalidArgument));
    EXPECT_NE(refused.error().message.find("the most"), std::string::npos) << refused.error().message;
    auto seven = add_raid1_image(with_array(10, 7), uuid_of(1), {});
    ASSERT_TRUE(succeeded(seven));
    EXPECT_TRUE(succeeded(model::check_pool(seven->next)));
}

TEST(Raid1AddImage, BusyWhileALegIsStillRebuilding)
{
    const auto pool = with_array(5, 2);
    auto added = add_raid1_image(pool, uuid_of(1), {});
    ASSERT_TRUE(succeeded(added));
    const auto refused = add_raid1_image(added->next, uuid_of(1), {});
    ASSERT_TRUE(fails_with(refused, ErrorCode::Busy));
    EXPECT_NE(refused.error().message.find("image 2"), std::string::npos) << refused.error().message;
}

TEST(Raid1AddImage, InUseWhileALegIsSplitOff)
{
    const auto pool = with_array(5, 3);
    auto split = split_track(pool, uuid_of(1), {}, uuid_of(3));
    ASSERT_TRUE(succeeded(split));
    const auto refused = add_raid1_image(*split, uuid_of(1), {});
    ASSERT_TRUE(fails_with(refused, ErrorCode::InUse));
    EXPECT_NE(refused.error().message.find("tracked image 'arr_image_2'"), std::string::npos)
        << refused.error().message;
}

TEST(Raid1AddImage, RefusesADegradedArray)
{
    auto pool = with_array(4, 2);
    mark_failed(pool, member_of(pool, 1));
    const auto refused = add_raid1_image(pool, uuid_of(1), {});
    ASSERT_TRUE(fails_with(refused, ErrorCode::InvalidArgument));
    EXPECT_NE(refused.error().message.find("repair it first"), std::string::npos) << refused.error().message;
    const auto healthy = with_array(4, 2);
    EXPECT_TRUE(fails_with(add_raid1_image(healthy, uuid_of(1), {{}, {member_of(healthy, 0)}}),
                           ErrorCode::InvalidArgument));
}

// ---- RemoveImage ----

TEST(Raid1RemoveImage, RemovesTheLastSlotAndFreesItsExtents)
{
    const auto pool = with_array(3, 3);
    const auto gone = member_of(pool, 2);
    // The last slot goes whatever the kernel shows (its removal changes no other leg's devices).
    for (const auto& kernel : {std::optional<Raid1KernelView>{}, std::optional<Raid1KernelView>{whole(3)},
                               std::optional<Raid1KernelView>{Raid1KernelView{false, {'A', 'a', 'a'}}}}) {
        auto next = remove_raid1_image(pool, uuid_of(1), 2, {}, kernel);
        ASSERT_TRUE(succeeded(next));
        EXPECT_TRUE(succeeded(model::check_pool(*next)));
        const auto& raid = raid_of(*next);
        ASSERT_EQ(raid.legs.size(), 2u);
        EXPECT_EQ(raid.legs[0], raid_of(pool).legs[0]);
        EXPECT_EQ(raid.legs[1], raid_of(pool).legs[1]);
        EXPECT_EQ(free_on(*next, gone), 10u);
    }
}

TEST(Raid1RemoveImage, AnEarlierSlotMovesTheLaterOnesDown)
{
    const auto pool = with_array(4, 4);
    const auto& legs = raid_of(pool).legs;
    auto next = remove_raid1_image(pool, uuid_of(1), 1, {}, whole(4));
    ASSERT_TRUE(succeeded(next));
    EXPECT_TRUE(succeeded(model::check_pool(*next)));
    const auto& raid = raid_of(*next);
    ASSERT_EQ(raid.legs.size(), 3u);
    EXPECT_EQ(raid.legs[0], legs[0]);
    EXPECT_EQ(raid.legs[1], legs[2]);
    EXPECT_EQ(raid.legs[2], legs[3]);
    EXPECT_EQ(free_on(*next, legs[1].meta.front().member), 10u);
    // Only the array changed.
    auto expected = pool;
    auto& expected_legs = std::get<model::Raid1Layout>(model::find_volume(expected, uuid_of(1))->layout).legs;
    expected_legs.erase(expected_legs.begin() + 1);
    EXPECT_EQ(*next, expected);
}

TEST(Raid1RemoveImage, AnyOtherSlotOfAnInactiveArray)
{
    auto inactive = set_active(with_array(3, 3), uuid_of(1), false);
    ASSERT_TRUE(succeeded(inactive));
    const auto& legs = raid_of(*inactive).legs;
    auto next = remove_raid1_image(*inactive, uuid_of(1), 0, {}, std::nullopt);
    ASSERT_TRUE(succeeded(next));
    ASSERT_EQ(raid_of(*next).legs.size(), 2u);
    EXPECT_EQ(raid_of(*next).legs[0], legs[1]);
    EXPECT_EQ(raid_of(*next).legs[1], legs[2]);
}

TEST(Raid1RemoveImage, AnEarlierSlotOfAnActiveArrayOnlyWhileWholeAndInSync)
{
    const auto pool = with_array(3, 3);
    for (const auto& kernel :
         {std::optional<Raid1KernelView>{}, std::optional<Raid1KernelView>{Raid1KernelView{false, {'A', 'A', 'A'}}},
          std::optional<Raid1KernelView>{Raid1KernelView{true, {'A', 'D', 'A'}}},
          std::optional<Raid1KernelView>{Raid1KernelView{true, {'A', 'A'}}}}) {
        const auto refused = remove_raid1_image(pool, uuid_of(1), 0, {}, kernel);
        ASSERT_TRUE(fails_with(refused, ErrorCode::Busy));
        EXPECT_NE(refused.error().message.find("only its last image (2)"), std::string::npos)
            << refused.error().message;
    }
    EXPECT_TRUE(succeeded(remove_raid1_image(pool, uuid_of(1), 0, {}, whole(3))));
}

TEST(Raid1RemoveImage, KeepsTwoImages)
{
    const auto pool = with_array(3, 2);
    for (std::uint32_t slot : {0u, 1u}) {
        const auto refused = remove_raid1_image(pool, uuid_of(1), slot, {}, whole(2));
        ASSERT_TRUE(fails_with(refused, ErrorCode::InvalidArgument));
        EXPECT_NE(refused.error().message.find("at least two"), std::string::npos) << refused.error().message;
    }
}

TEST(Raid1RemoveImage, RefusesASlotOutOfRangeOtherKindsAndUnknownVolumes)
{
    const auto pool = with_array(3, 3);
    const auto refused = remove_raid1_image(pool, uuid_of(1), 3, {}, whole(3));
    ASSERT_TRUE(fails_with(refused, ErrorCode::InvalidArgument));
    EXPECT_NE(refused.error().message.find("0 to 2"), std::string::npos) << refused.error().message;
    EXPECT_TRUE(fails_with(remove_raid1_image(pool, uuid_of(1), 0xffffffffu, {}, whole(3)),
                           ErrorCode::InvalidArgument));
    auto with_linear = add_linear_volume(pool, {"lin", kExtent}, uuid_of(2));
    ASSERT_TRUE(succeeded(with_linear));
    EXPECT_TRUE(fails_with(remove_raid1_image(*with_linear, uuid_of(2), 0, {}, std::nullopt),
                           ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(remove_raid1_image(pool, uuid_of(9), 0, {}, std::nullopt), ErrorCode::NotFound));
}

TEST(Raid1RemoveImage, InUseForATrackedImageOnTheSlotOrAfterIt)
{
    const auto pool = with_array(4, 4);
    auto split = split_track(pool, uuid_of(1), {.slot = 1}, uuid_of(3));
    ASSERT_TRUE(succeeded(split));
    const std::vector<char> health{'A', '-', 'A', 'A'};
    const auto on_slot = remove_raid1_image(*split, uuid_of(1), 1, {}, Raid1KernelView{true, health});
    ASSERT_TRUE(fails_with(on_slot, ErrorCode::InUse));
    EXPECT_NE(on_slot.error().message.find("tracked image 'arr_image_1'"), std::string::npos)
        << on_slot.error().message;
    const auto before = remove_raid1_image(*split, uuid_of(1), 0, {}, Raid1KernelView{true, health});
    ASSERT_TRUE(fails_with(before, ErrorCode::InUse));
    EXPECT_NE(before.error().message.find("would change"), std::string::npos) << before.error().message;
    // After it: the tracked image keeps its slot.
    auto after = remove_raid1_image(*split, uuid_of(1), 3, {}, Raid1KernelView{true, health});
    ASSERT_TRUE(succeeded(after));
    EXPECT_TRUE(succeeded(model::check_pool(*after)));
    EXPECT_EQ(raid_of(*after).legs[1].tracked_image, uuid_of(3));
}

TEST(Raid1RemoveImage, RefusesToRemoveTheOnlyImageHoldingTheData)
{
    // Slots 1 and 2 are on failed (or missing) members: slot 0 holds the only full copy.
    auto pool = with_array(3, 3);
    mark_failed(pool, member_of(pool, 1));
    const auto refused =
        remove_raid1_image(pool, uuid_of(1), 0, {member_of(pool, 2)}, Raid1KernelView{true, {'A', 'D', 'D'}});
    ASSERT_TRUE(fails_with(refused, ErrorCode::InvalidArgument));
    EXPECT_NE(refused.error().message.find("would lose its data"), std::string::npos) << refused.error().message;
    // A failed image itself may go, the last slot whatever the kernel shows.
    auto failed_goes = remove_raid1_image(pool, uuid_of(1), 2, {member_of(pool, 2)}, Raid1KernelView{true, {'A', 'D', 'D'}});
    EXPECT_TRUE(succeeded(failed_goes));

    // The others still being rebuilt: Busy until they are in sync.
    auto grown = add_raid1_image(with_array(4, 2), uuid_of(1), {});
    ASSERT_TRUE(succeeded(grown));
    auto second = grown->next;
    mark_failed(second, member_of(second, 1));
    const auto busy = remove_raid1_image(second, uuid_of(1), 0, {}, Raid1KernelView{false, {'A', 'D', 'a'}});
    ASSERT_TRUE(fails_with(busy, ErrorCode::Busy));
    EXPECT_NE(busy.error().message.find("would lose its data"), std::string::npos) << busy.error().message;
    // The image being rebuilt itself may go (the add undone).
    auto undone = remove_raid1_image(grown->next, uuid_of(1), 2, {}, Raid1KernelView{false, {'A', 'A', 'a'}});
    ASSERT_TRUE(succeeded(undone));
    EXPECT_EQ(*undone, with_array(4, 2));
}

}  // namespace
}  // namespace volumes::engine
