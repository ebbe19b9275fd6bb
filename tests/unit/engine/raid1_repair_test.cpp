#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_builder.hpp"
#include "service/allocator/extent_allocator.hpp"
#include "service/engine/raid1_repair.hpp"
#include "service/engine/volume_changes.hpp"
#include "service/model/pool_checks.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {
namespace {

using volumes::testing::fails_with;
using volumes::testing::succeeded;
using namespace testing;

// A two-image array "arr" (2 extents an image) in a pool of `members` members of 10 extents.
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

// The pool's member that holds no leg of the array.
model::Uuid spare_of(const model::Pool& pool)
{
    for (const auto& member : pool.members) {
        bool used = false;
        for (const auto& leg : raid_of(pool).legs)
            used = used || leg.meta.front().member == member.uuid;
        if (!used)
            return member.uuid;
    }
    throw std::runtime_error("no spare member");
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

TEST(Raid1Repair, ReplacesTheLegOnAFailedMemberWithARebuildingLegOnTheSpare)
{
    auto pool = with_array();
    const auto failed = member_of(pool, 1);
    const auto spare = spare_of(pool);
    const auto kept = raid_of(pool).legs[0];
    mark_failed(pool, failed);

    auto repair = repair_raid1(pool, uuid_of(1), {});
    ASSERT_TRUE(succeeded(repair));
    EXPECT_EQ(repair->slots, std::vector<std::uint32_t>{1});
    EXPECT_TRUE(succeeded(model::check_pool(repair->next)));
    const auto& raid = raid_of(repair->next);
    EXPECT_EQ(raid.legs[0], kept);
    EXPECT_EQ(raid.legs[1].meta.front().member, spare);
    EXPECT_EQ(raid.legs[1].data.front().member, spare);
    EXPECT_EQ(model::extent_count(raid.legs[1].meta), 1u);
    EXPECT_EQ(model::extent_count(raid.legs[1].data), 2u);
    EXPECT_TRUE(raid.legs[1].rebuilding);
    EXPECT_FALSE(raid.legs[0].rebuilding);
    EXPECT_TRUE(raid1_rebuilding(*model::find_volume(repair->next, uuid_of(1))));
    // The failed member's extents are free in the model (the leg no longer names them), the
    // spare's are used.
    model::Pool unfailed = repair->next;
    model::find_member(unfailed, failed)->failed = false;
    EXPECT_EQ(free_on(unfailed, failed), 10u);
    EXPECT_EQ(free_on(repair->next, spare), 10u - 3u);
}

TEST(Raid1Repair, ReplacesALegOnAMissingMember)
{
    auto pool = with_array();
    const auto missing = member_of(pool, 0);
    auto repair = repair_raid1(pool, uuid_of(1), {{}, {missing}});
    ASSERT_TRUE(succeeded(repair));
    EXPECT_EQ(repair->slots, std::vector<std::uint32_t>{0});
    EXPECT_EQ(member_of(repair->next, 0), spare_of(pool));
    EXPECT_TRUE(raid_of(repair->next).legs[0].rebuilding);
}

TEST(Raid1Repair, ReplacesEveryFailedLegWhenOneSourceIsLeft)
{
    auto pool = with_array(5, 3);
    mark_failed(pool, member_of(pool, 0));
    mark_failed(pool, member_of(pool, 2));
    auto repair = repair_raid1(pool, uuid_of(1), {});
    ASSERT_TRUE(succeeded(repair));
    EXPECT_EQ(repair->slots, (std::vector<std::uint32_t>{0, 2}));
    EXPECT_TRUE(succeeded(model::check_pool(repair->next)));
    const auto& raid = raid_of(repair->next);
    EXPECT_NE(member_of(repair->next, 0), member_of(repair->next, 2));
    for (std::size_t slot = 0; slot < 3; ++slot)
        EXPECT_FALSE(model::find_member(repair->next, member_of(repair->next, slot))->failed) << slot;
    EXPECT_TRUE(raid.legs[0].rebuilding);
    EXPECT_FALSE(raid.legs[1].rebuilding);
    EXPECT_TRUE(raid.legs[2].rebuilding);
}

TEST(Raid1Repair, GoesOnlyOnAnAllowedMember)
{
    auto pool = with_array(4, 2);
    mark_failed(pool, member_of(pool, 1));
    std::vector<model::Uuid> spares;
    for (const auto& member : pool.members)
        if (member.uuid != member_of(pool, 0) && member.uuid != member_of(pool, 1))
            spares.push_back(member.uuid);
    ASSERT_EQ(spares.size(), 2u);
    for (const auto& chosen : spares) {
        auto repair = repair_raid1(pool, uuid_of(1), {{chosen}, {}});
        ASSERT_TRUE(succeeded(repair));
        EXPECT_EQ(member_of(repair->next, 1), chosen);
    }
}

TEST(Raid1Repair, RefusesAnAllowedMemberThatCannotHoldTheImage)
{
    auto pool = with_array();
    const auto failed = member_of(pool, 1);
    mark_failed(pool, failed);
    EXPECT_TRUE(fails_with(repair_raid1(pool, uuid_of(1), {{member_of(pool, 0)}, {}}), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(repair_raid1(pool, uuid_of(1), {{failed}, {}}), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(repair_raid1(pool, uuid_of(1), {{uuid_of(0x77)}, {}}), ErrorCode::NotFound));
}

TEST(Raid1Repair, NothingToRepairWhenEveryImageIsHealthy)
{
    const auto pool = with_array();
    const auto refused = repair_raid1(pool, uuid_of(1), {});
    ASSERT_TRUE(fails_with(refused, ErrorCode::InvalidArgument));
    EXPECT_NE(refused.error().message.find("nothing to repair"), std::string::npos) << refused.error().message;
}

TEST(Raid1Repair, RefusesWhenNoImageIsLeftToRebuildFrom)
{
    auto pool = with_array(4, 2);
    mark_failed(pool, member_of(pool, 0));
    mark_failed(pool, member_of(pool, 1));
    const auto refused = repair_raid1(pool, uuid_of(1), {});
    ASSERT_TRUE(fails_with(refused, ErrorCode::InvalidArgument));
    EXPECT_NE(refused.error().message.find("no image to rebuild from"), std::string::npos) << refused.error().message;
}

TEST(Raid1Repair, NoSpaceWithoutAMemberOutsideTheArray)
{
    auto pool = with_array(2, 2);
    mark_failed(pool, member_of(pool, 1));
    EXPECT_TRUE(fails_with(repair_raid1(pool, uuid_of(1), {}), ErrorCode::NoSpace));
}

TEST(Raid1Repair, NoSpaceWhenTheSpareIsTooFull)
{
    auto pool = add_raid1_volume(empty_pool(3, 4), {"arr", 2 * kExtent, 2}, uuid_of(1));
    ASSERT_TRUE(succeeded(pool));
    // The spare keeps 2 of its 4 extents free: the new leg needs 3.
    auto filled = add_linear_volume(*pool, {"fill", 2 * kExtent}, uuid_of(2));
    ASSERT_TRUE(succeeded(filled));
    const auto spare = spare_of(*pool);
    ASSERT_EQ(std::get<model::LinearLayout>(model::find_volume(*filled, uuid_of(2))->layout).data.front().member,
              spare);
    mark_failed(*filled, member_of(*filled, 0));
    EXPECT_TRUE(fails_with(repair_raid1(*filled, uuid_of(1), {}), ErrorCode::NoSpace));
}

TEST(Raid1Repair, RefusesOtherKindsInactiveArraysAndUnknownVolumes)
{
    auto pool = with_array();
    mark_failed(pool, member_of(pool, 1));
    auto with_linear = add_linear_volume(pool, {"lin", kExtent}, uuid_of(2));
    ASSERT_TRUE(succeeded(with_linear));
    EXPECT_TRUE(fails_with(repair_raid1(*with_linear, uuid_of(2), {}), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(repair_raid1(pool, uuid_of(9), {}), ErrorCode::NotFound));
    auto inactive = set_active(pool, uuid_of(1), false);
    ASSERT_TRUE(succeeded(inactive));
    EXPECT_TRUE(fails_with(repair_raid1(*inactive, uuid_of(1), {}), ErrorCode::InvalidArgument));
}

TEST(Raid1Repair, BusyWhileAnotherLegIsStillRebuilding)
{
    auto pool = with_array(5, 3);
    mark_failed(pool, member_of(pool, 2));
    auto repaired = repair_raid1(pool, uuid_of(1), {});
    ASSERT_TRUE(succeeded(repaired));
    mark_failed(repaired->next, member_of(repaired->next, 0));
    EXPECT_TRUE(fails_with(repair_raid1(repaired->next, uuid_of(1), {}), ErrorCode::Busy));
}

TEST(Raid1Repair, ALegBeingRebuiltWhoseMemberFailsIsReplacedAgain)
{
    auto pool = with_array(5, 3);
    mark_failed(pool, member_of(pool, 2));
    auto first = repair_raid1(pool, uuid_of(1), {});
    ASSERT_TRUE(succeeded(first));
    mark_failed(first->next, member_of(first->next, 2));
    auto second = repair_raid1(first->next, uuid_of(1), {});
    ASSERT_TRUE(succeeded(second));
    EXPECT_EQ(second->slots, std::vector<std::uint32_t>{2});
    EXPECT_TRUE(raid_of(second->next).legs[2].rebuilding);
    EXPECT_TRUE(succeeded(model::check_pool(second->next)));
}

TEST(Raid1Repair, LeavesATrackedImageAlone)
{
    auto pool = with_array(4, 3);
    auto split = split_track(pool, uuid_of(1), {}, uuid_of(3));
    ASSERT_TRUE(succeeded(split));
    mark_failed(*split, member_of(*split, 2));  // the tracked leg's member
    EXPECT_TRUE(fails_with(repair_raid1(*split, uuid_of(1), {}), ErrorCode::InvalidArgument));
    mark_failed(*split, member_of(*split, 0));
    auto repair = repair_raid1(*split, uuid_of(1), {});
    ASSERT_TRUE(succeeded(repair));
    EXPECT_EQ(repair->slots, std::vector<std::uint32_t>{0});
    EXPECT_TRUE(raid_of(repair->next).legs[2].tracked_image);
}

TEST(Raid1Repair, FinishClearsEveryRebuildingMark)
{
    auto pool = with_array();
    mark_failed(pool, member_of(pool, 1));
    auto repair = repair_raid1(pool, uuid_of(1), {});
    ASSERT_TRUE(succeeded(repair));
    // Still recovering: nothing goes.
    auto recovering = finish_raid1_rebuild(repair->next, uuid_of(1), {'A', 'a'});
    ASSERT_TRUE(succeeded(recovering));
    EXPECT_FALSE(recovering->has_value());
    auto finished = finish_raid1_rebuild(repair->next, uuid_of(1), {'A', 'A'});
    ASSERT_TRUE(succeeded(finished));
    ASSERT_TRUE(finished->has_value());
    EXPECT_FALSE(raid1_rebuilding(*model::find_volume(**finished, uuid_of(1))));
    // Only the mark changes.
    auto expected = repair->next;
    std::get<model::Raid1Layout>(model::find_volume(expected, uuid_of(1))->layout).legs[1].rebuilding = false;
    EXPECT_EQ(**finished, expected);

    auto again = finish_raid1_rebuild(**finished, uuid_of(1), {'A', 'A'});
    ASSERT_TRUE(succeeded(again));
    EXPECT_FALSE(again->has_value());
    EXPECT_TRUE(fails_with(finish_raid1_rebuild(pool, uuid_of(9), {}), ErrorCode::NotFound));
}

TEST(Raid1Repair, FinishKeepsTheMarkOfALegTheKernelDoesNotShowAlive)
{
    auto pool = with_array(5, 3);
    mark_failed(pool, member_of(pool, 0));
    mark_failed(pool, member_of(pool, 2));
    auto repair = repair_raid1(pool, uuid_of(1), {});
    ASSERT_TRUE(succeeded(repair));
    // Slot 2's new member failed too, so it ran as "- -" ('-') while slot 0 was rebuilt.
    auto finished = finish_raid1_rebuild(repair->next, uuid_of(1), {'A', 'A', '-'});
    ASSERT_TRUE(succeeded(finished));
    ASSERT_TRUE(finished->has_value());
    const auto& raid = raid_of(**finished);
    EXPECT_FALSE(raid.legs[0].rebuilding);
    EXPECT_TRUE(raid.legs[2].rebuilding);
    // A status shorter than the array (never from the kernel) clears nothing it does not show.
    auto short_status = finish_raid1_rebuild(repair->next, uuid_of(1), {'A', 'A'});
    ASSERT_TRUE(succeeded(short_status));
    ASSERT_TRUE(short_status->has_value());
    EXPECT_TRUE(raid_of(**short_status).legs[2].rebuilding);
    auto empty_status = finish_raid1_rebuild(repair->next, uuid_of(1), {});
    ASSERT_TRUE(succeeded(empty_status));
    EXPECT_FALSE(empty_status->has_value());
}

}  // namespace
}  // namespace volumes::engine
