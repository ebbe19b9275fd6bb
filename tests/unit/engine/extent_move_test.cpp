#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_builder.hpp"
#include "service/allocator/extent_allocator.hpp"
#include "service/engine/extent_move.hpp"
#include "service/engine/member_removal.hpp"
#include "service/engine/raid1_repair.hpp"
#include "service/engine/snapshot_changes.hpp"
#include "service/engine/volume_changes.hpp"
#include "service/model/extent_maps.hpp"
#include "service/model/pool_checks.hpp"
#include "service/model/pool_codec.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {
namespace {

using volumes::testing::fails_with;
using volumes::testing::succeeded;
using namespace testing;

bool uses(const model::Pool& pool, const model::Uuid& member)
{
    bool found = false;
    for (const auto& volume : pool.volumes)
        model::for_each_extent_map(volume, [&](const model::ExtentMap& map) {
            for (const auto& run : map)
                found = found || run.member == member;
        });
    return found;
}

// A linear volume on the first member and a two-image array, in 3 members of 10 extents.
struct Fixture {
    model::Pool pool;
    model::Uuid busy;  // the member the linear volume is on
};

Fixture linear_and_raid()
{
    auto pool = *add_raid1_volume(empty_pool(3, 10), {"mirror", 2 * kExtent, 2}, uuid_of(1));
    pool = *add_linear_volume(pool, {"plain", 3 * kExtent}, uuid_of(2));
    const auto member = std::get<model::LinearLayout>(pool.volumes.back().layout).data.front().member;
    return {pool, member};
}

TEST(ExtentMove, StartRecordsEveryRunOfTheMemberWithFreeDestinationsElsewhere)
{
    auto [pool, member] = linear_and_raid();
    auto next = start_extent_move(pool, member, {true, 512}, {});
    ASSERT_TRUE(succeeded(next));
    ASSERT_TRUE(next->extent_move);
    EXPECT_EQ(next->volumes, pool.volumes);  // nothing moves until the copies are done
    EXPECT_EQ(next->extent_move->member, member);
    EXPECT_TRUE(next->extent_move->remove_member);
    EXPECT_EQ(next->extent_move->max_rate_kibs, 512u);
    std::uint64_t moved = 0;
    for (const auto& run : next->extent_move->runs) {
        EXPECT_EQ(run.from.member, member);
        for (const auto& to : run.to)
            EXPECT_NE(to.member, member);
        moved += run.from.count;
    }
    std::uint64_t on_member = 0;
    for (const auto& volume : pool.volumes)
        model::for_each_extent_map(volume, [&](const model::ExtentMap& map) {
            for (const auto& run : map)
                if (run.member == member)
                    on_member += run.count;
        });
    EXPECT_EQ(moved, on_member);
    EXPECT_TRUE(succeeded(model::check_pool(*next)));
    // The destinations are taken: the allocator gives them to nothing else.
    EXPECT_EQ(allocator::free_extent_count(*next) + moved, allocator::free_extent_count(pool));
}

TEST(ExtentMove, ARaid1LegGoesWholeToAMemberHoldingNoOtherLegOfItsArray)
{
    auto [pool, member] = linear_and_raid();
    const auto& raid = std::get<model::Raid1Layout>(pool.volumes.front().layout);
    const auto leg_member = raid.legs[0].meta.front().member;
    const auto other_leg = raid.legs[1].meta.front().member;
    auto next = start_extent_move(pool, leg_member, {}, {});
    ASSERT_TRUE(succeeded(next));
    auto finished = finish_extent_move(*start_extent_copies(*next));
    ASSERT_TRUE(succeeded(finished));
    const auto& legs = std::get<model::Raid1Layout>(finished->volumes.front().layout).legs;
    EXPECT_EQ(legs[0].meta.front().member, legs[0].data.front().member);
    EXPECT_NE(legs[0].meta.front().member, other_leg);
    EXPECT_NE(legs[0].meta.front().member, leg_member);
    EXPECT_TRUE(succeeded(model::check_pool(*finished)));
}

TEST(ExtentMove, FinishPutsTheDestinationsInTheMapsAndDropsTheRecord)
{
    auto [pool, member] = linear_and_raid();
    auto started = *start_extent_move(pool, member, {}, {});
    EXPECT_FALSE(started.extent_move->copying);
    // The copies start by a second commit; finishing before that is refused.
    EXPECT_TRUE(fails_with(finish_extent_move(started), ErrorCode::InvalidArgument));
    auto copying = start_extent_copies(started);
    ASSERT_TRUE(succeeded(copying));
    EXPECT_TRUE(copying->extent_move->copying);
    EXPECT_TRUE(fails_with(start_extent_copies(*copying), ErrorCode::InvalidArgument));
    started = *copying;
    auto finished = finish_extent_move(started);
    ASSERT_TRUE(succeeded(finished));
    EXPECT_FALSE(finished->extent_move);
    EXPECT_FALSE(uses(*finished, member));
    EXPECT_TRUE(succeeded(model::check_pool(*finished)));
    EXPECT_EQ(model::volume_size(*finished, finished->volumes.back()), model::volume_size(pool, pool.volumes.back()));
    // The destinations stay taken and the moved runs are free: as many free as before the move.
    EXPECT_EQ(allocator::free_extent_count(*finished), allocator::free_extent_count(pool));
    EXPECT_LT(allocator::free_extent_count(started), allocator::free_extent_count(pool));
    // Now the member can leave.
    EXPECT_TRUE(succeeded(without_member(*finished, member)));
}

TEST(ExtentMove, CancelGivesBackThePoolAsItWas)
{
    auto [pool, member] = linear_and_raid();
    auto started = *start_extent_copies(*start_extent_move(pool, member, {}, {}));
    auto cancelled = cancel_extent_move(started);
    ASSERT_TRUE(succeeded(cancelled));
    EXPECT_EQ(*cancelled, pool);
    EXPECT_EQ(model::encode_pool(*cancelled).dump(), model::encode_pool(pool).dump());
}

TEST(ExtentMove, FinishAndCancelWithoutAMoveAreRefused)
{
    auto [pool, member] = linear_and_raid();
    EXPECT_TRUE(fails_with(finish_extent_move(pool), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(cancel_extent_move(pool), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(start_extent_copies(pool), ErrorCode::InvalidArgument));
}

TEST(ExtentMove, EveryRefusalChangesNothing)
{
    auto [pool, member] = linear_and_raid();
    // Not a member, the only member, nothing on it.
    EXPECT_TRUE(fails_with(start_extent_move(pool, uuid_of(0x77), {}, {}), ErrorCode::NotFound));
    auto single = *add_linear_volume(empty_pool(1, 10), {"v", kExtent}, uuid_of(1));
    EXPECT_TRUE(fails_with(start_extent_move(single, single.members[0].uuid, {}, {}), ErrorCode::InvalidArgument));
    auto empty_member = *add_linear_volume(empty_pool(2, 10), {"v", kExtent}, uuid_of(1));
    const auto used = std::get<model::LinearLayout>(empty_member.volumes[0].layout).data[0].member;
    const auto unused = empty_member.members[0].uuid == used ? empty_member.members[1].uuid : empty_member.members[0].uuid;
    EXPECT_TRUE(fails_with(start_extent_move(empty_member, unused, {}, {}), ErrorCode::InvalidArgument));
    // A move under way.
    auto started = *start_extent_move(pool, member, {}, {});
    EXPECT_TRUE(fails_with(start_extent_move(started, member, {}, {}), ErrorCode::Busy));
    EXPECT_TRUE(fails_with(without_member(started, member), ErrorCode::Busy));
    // A missing or failed member.
    EXPECT_TRUE(fails_with(start_extent_move(pool, member, {}, {pool.members[2].uuid}), ErrorCode::Busy));
    auto failed = pool;
    failed.members[1].failed = true;
    EXPECT_TRUE(fails_with(start_extent_move(failed, member, {}, {}), ErrorCode::Busy));
    // An inactive volume on it.
    auto inactive = pool;
    inactive.volumes.back().active = false;
    EXPECT_TRUE(fails_with(start_extent_move(inactive, member, {}, {}), ErrorCode::InvalidArgument));
    // A leg being rebuilt; a tracked image.
    auto rebuilding = pool;
    std::get<model::Raid1Layout>(rebuilding.volumes.front().layout).legs[1].rebuilding = true;
    EXPECT_TRUE(fails_with(start_extent_move(rebuilding, member, {}, {}), ErrorCode::Busy));
    auto tracked = pool;
    std::get<model::Raid1Layout>(tracked.volumes.front().layout).legs[1].tracked_image = uuid_of(9);
    EXPECT_TRUE(fails_with(start_extent_move(tracked, member, {}, {}), ErrorCode::Busy));
    // A snapshot merge pending.
    auto merging = *add_snapshot(pool, uuid_of(2), {"snap", kExtent}, uuid_of(3));
    std::get<model::SnapshotLayout>(merging.volumes.back().layout).merge = model::SnapshotMergeState::Pending;
    EXPECT_TRUE(fails_with(start_extent_move(merging, member, {}, {}), ErrorCode::Busy));
    // A rate of 0.
    EXPECT_TRUE(fails_with(start_extent_move(pool, member, {false, 0}, {}), ErrorCode::InvalidArgument));
}

TEST(ExtentMove, NoRoomElsewhereIsNoSpace)
{
    // Two members of 4 extents; a linear volume of 3 on one and 2 on the other.
    auto pool = *add_linear_volume(empty_pool(2, 4), {"a", 3 * kExtent}, uuid_of(1));
    pool = *add_linear_volume(pool, {"b", 2 * kExtent}, uuid_of(2));
    const auto member = std::get<model::LinearLayout>(pool.volumes.front().layout).data.front().member;
    EXPECT_TRUE(fails_with(start_extent_move(pool, member, {}, {}), ErrorCode::NoSpace));
}

TEST(ExtentMove, ARaid1LegWithNowhereToGoIsNoSpace)
{
    // Two members only: leg 0's member has no other member free of the array.
    auto pool = *add_raid1_volume(empty_pool(2, 10), {"mirror", kExtent, 2}, uuid_of(1));
    const auto member = std::get<model::Raid1Layout>(pool.volumes.front().layout).legs[0].meta.front().member;
    EXPECT_TRUE(fails_with(start_extent_move(pool, member, {}, {}), ErrorCode::NoSpace));
}

TEST(ExtentMove, CopiesAreDoneWhenEveryTemporaryArrayIsPresentAndInSync)
{
    EXPECT_TRUE(extent_move_copied({{true, true, 8, 8}, {true, true, 16, 16}}));
    EXPECT_FALSE(extent_move_copied({{true, true, 8, 8}, {true, false, 4, 16}}));
    EXPECT_FALSE(extent_move_copied({{false, false, 0, 8}}));
}

TEST(ExtentMove, TheRecordRoundTripsAndOlderDocumentsStayAsTheyWere)
{
    auto [pool, member] = linear_and_raid();
    EXPECT_EQ(model::encode_pool(pool).count("extent_move"), 0u);
    auto started = *start_extent_move(pool, member, {true, 300}, {});
    const auto encoded = model::encode_pool(started);
    ASSERT_EQ(encoded.count("extent_move"), 1u);
    auto decoded = model::decode_pool(encoded);
    ASSERT_TRUE(succeeded(decoded));
    EXPECT_EQ(*decoded, started);
    // A destination that overlaps a volume's extents is Corrupt.
    auto bad = encoded;
    bad["extent_move"]["runs"][0]["to"][0] = bad["volumes"][0]["legs"][0]["data"][0];
    EXPECT_TRUE(fails_with(model::decode_pool(bad), model::ErrorCode::Corrupt));
    auto unknown = encoded;
    unknown["extent_move"]["later"] = 1;
    EXPECT_TRUE(fails_with(model::decode_pool(unknown), model::ErrorCode::Unsupported));
}

}  // namespace
}  // namespace volumes::engine
