#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_fixture.hpp"
#include "service/model/pool_checks.hpp"

// One test per rule of check_pool: the fixture pool with exactly that rule broken.
namespace volumes::model {
namespace {

using namespace testing;
using volumes::testing::fails_with;
using volumes::testing::succeeded;

// Passes when check_pool refuses `pool` as Corrupt with a message holding `rule` (words of
// that rule's message) and `culprit` (the volume or member it names).
::testing::AssertionResult refused(const Pool& pool, std::string_view rule, std::string_view culprit)
{
    const auto checked = check_pool(pool);
    if (auto failed = fails_with(checked, ErrorCode::Corrupt); !failed)
        return failed;
    const auto& message = checked.error().message;
    for (const auto needle : {rule, culprit})
        if (message.find(needle) == std::string::npos)
            return ::testing::AssertionFailure() << "message \"" << message << "\" does not mention \"" << needle
                                                 << "\"";
    return ::testing::AssertionSuccess();
}

// A raid1 volume with one leg on each of `legs` new members of 10 extents.
void add_raid1(Pool& pool, std::string name, std::uint8_t uuid, unsigned legs)
{
    Raid1Layout raid{4 * KiB, {}};
    for (unsigned i = 0; i < legs; ++i) {
        const Uuid member = uuid_of(static_cast<std::uint8_t>(0x40 + i));
        pool.members.push_back({member, 10});
        raid.legs.push_back({{{member, 0, 1}}, {{member, 1, 2}}, std::nullopt});
    }
    pool.volumes.push_back({uuid_of(uuid), std::move(name), true, std::move(raid)});
}

TEST(CheckPool, AcceptsTheFixture)
{
    EXPECT_TRUE(succeeded(check_pool(valid_pool())));
}

TEST(CheckPool, AcceptsAPoolWithoutVolumes)
{
    auto pool = valid_pool();
    pool.volumes.clear();
    EXPECT_TRUE(succeeded(check_pool(pool)));
}

// ---- names and uuids

TEST(CheckPool, RefusesAnInvalidPoolName)
{
    auto pool = valid_pool();
    pool.name = "-tank";
    EXPECT_TRUE(refused(pool, "pool's name", "-tank"));
}

TEST(CheckPool, RefusesAnInvalidVolumeName)
{
    auto pool = valid_pool();
    volume_named(pool, "idle").name = "idle_cow";
    EXPECT_TRUE(refused(pool, "_cow", uuid_of(0x09).to_string()));
}

TEST(CheckPool, RefusesTwoVolumesOfOneName)
{
    auto pool = valid_pool();
    volume_named(pool, "idle").name = "lin";
    EXPECT_TRUE(refused(pool, "both named 'lin'", uuid_of(0x09).to_string()));
}

TEST(CheckPool, RefusesANilPoolUuid)
{
    auto pool = valid_pool();
    pool.uuid = Uuid{};
    EXPECT_TRUE(refused(pool, "nil", "pool's uuid"));
}

TEST(CheckPool, RefusesANilMemberUuid)
{
    auto pool = valid_pool();
    pool.members.push_back({Uuid{}, 10});
    EXPECT_TRUE(refused(pool, "nil uuid", "member 3"));
}

TEST(CheckPool, RefusesANilVolumeUuid)
{
    auto pool = valid_pool();
    volume_named(pool, "idle").uuid = Uuid{};
    EXPECT_TRUE(refused(pool, "nil uuid", "'idle'"));
}

TEST(CheckPool, RefusesTwoVolumesOfOneUuid)
{
    auto pool = valid_pool();
    volume_named(pool, "idle").uuid = uuid_of(0x01);
    EXPECT_TRUE(refused(pool, "used by both", "'idle'"));
}

TEST(CheckPool, RefusesAVolumeWithAMembersUuid)
{
    auto pool = valid_pool();
    volume_named(pool, "idle").uuid = member_b;
    EXPECT_TRUE(refused(pool, "used by both member 1", "'idle'"));
}

TEST(CheckPool, RefusesTwoMembersOfOneUuid)
{
    auto pool = valid_pool();
    pool.members.push_back({member_c, 10});
    EXPECT_TRUE(refused(pool, "used by both member 2", "member 3"));
}

// ---- extents

TEST(CheckPool, RefusesAnExtentSizeThatIsNotAPositiveMultipleOf4KiB)
{
    for (const std::uint64_t size : {std::uint64_t{0}, std::uint64_t{512}, 4 * MiB + 512, 6 * KiB}) {
        auto pool = valid_pool();
        pool.extent_size = size;
        EXPECT_TRUE(refused(pool, "multiple of 4 KiB", std::to_string(size))) << size;
    }
    auto pool = valid_pool();
    pool.extent_size = 4 * KiB;
    EXPECT_TRUE(succeeded(check_pool(pool)));
}

TEST(CheckPool, RefusesAnEmptyExtentRun)
{
    auto pool = valid_pool();
    layout_of<LinearLayout>(pool, "lin").data.push_back({member_c, 50, 0});
    EXPECT_TRUE(refused(pool, "empty extent run", "'lin'"));
}

TEST(CheckPool, RefusesARunOnAMemberNotInThePool)
{
    auto pool = valid_pool();
    layout_of<LinearLayout>(pool, "idle").data[0].member = uuid_of(0xd4);
    EXPECT_TRUE(refused(pool, "not in the pool", "'idle'"));
}

TEST(CheckPool, RefusesARunPastTheEndOfItsMember)
{
    auto pool = valid_pool();
    layout_of<LinearLayout>(pool, "idle").data[0] = {member_c, 98, 3};
    EXPECT_TRUE(refused(pool, "which has 100 extents", "'idle'"));
    layout_of<LinearLayout>(pool, "idle").data[0] = {member_c, 100, 1};
    EXPECT_TRUE(refused(pool, "which has 100 extents", "'idle'"));
    layout_of<LinearLayout>(pool, "idle").data[0] = {member_c, 97, 3};
    EXPECT_TRUE(succeeded(check_pool(pool)));
}

TEST(CheckPool, RefusesARunWhoseEndWrapsAround)
{
    auto pool = valid_pool();
    layout_of<LinearLayout>(pool, "idle").data[0] = {member_c, 50, std::numeric_limits<std::uint64_t>::max()};
    EXPECT_TRUE(refused(pool, "which has 100 extents", "'idle'"));
}

TEST(CheckPool, RefusesAnExtentUsedByTwoVolumes)
{
    auto pool = valid_pool();
    // snap's cow is a 31..34.
    layout_of<LinearLayout>(pool, "idle").data[0] = {member_a, 34, 2};
    EXPECT_TRUE(refused(pool, "extent 34 of member " + member_a.to_string() + " is used by both", "'idle'"));
}

TEST(CheckPool, RefusesAnExtentUsedByARunInsideALongerOne)
{
    auto pool = valid_pool();
    // tpool's data is b 27..66.
    layout_of<LinearLayout>(pool, "idle").data.push_back({member_b, 40, 1});
    EXPECT_TRUE(refused(pool, "extent 40 of member " + member_b.to_string() + " is used by both", "'tpool'"));
}

TEST(CheckPool, RefusesAnExtentUsedTwiceByOneVolume)
{
    auto pool = valid_pool();
    layout_of<LinearLayout>(pool, "lin").data.push_back({member_a, 9, 1});
    EXPECT_TRUE(refused(pool, "used twice", "'lin'"));
}

TEST(CheckPool, RefusesARaid1LegWhoseMetaAndDataOverlap)
{
    auto pool = valid_pool();
    layout_of<Raid1Layout>(pool, "mirror").legs[1].meta[0].start = 6;
    EXPECT_TRUE(refused(pool, "used twice", "'mirror'"));
}

// ---- linear

TEST(CheckPool, RefusesALinearVolumeWithoutExtents)
{
    auto pool = valid_pool();
    layout_of<LinearLayout>(pool, "idle").data.clear();
    EXPECT_TRUE(refused(pool, "has no extents", "'idle'"));
}

// ---- raid1

TEST(CheckPool, RefusesARegionSizeThatIsNotAPowerOfTwoFrom4KiB)
{
    for (const std::uint64_t size : {std::uint64_t{0}, 2 * KiB, 12 * KiB, 3 * MiB}) {
        auto pool = valid_pool();
        layout_of<Raid1Layout>(pool, "mirror").region_size = size;
        EXPECT_TRUE(refused(pool, "region size", "'mirror'")) << size;
    }
    auto pool = valid_pool();
    layout_of<Raid1Layout>(pool, "mirror").region_size = 4 * KiB;
    EXPECT_TRUE(succeeded(check_pool(pool)));
}

TEST(CheckPool, RefusesARaid1WithoutLegs)
{
    auto pool = valid_pool();
    add_raid1(pool, "wide", 0x30, 0);
    EXPECT_TRUE(refused(pool, "0 legs", "'wide'"));
}

TEST(CheckPool, RefusesARaid1WithMoreThanEightLegs)
{
    auto pool = valid_pool();
    add_raid1(pool, "wide", 0x30, 9);
    EXPECT_TRUE(refused(pool, "9 legs", "'wide'"));

    auto eight = valid_pool();
    add_raid1(eight, "wide", 0x30, 8);
    EXPECT_TRUE(succeeded(check_pool(eight)));
}

TEST(CheckPool, RefusesALegWithoutMetadataExtents)
{
    auto pool = valid_pool();
    layout_of<Raid1Layout>(pool, "mirror").legs[1].meta.clear();
    EXPECT_TRUE(refused(pool, "leg 1 of raid1", "has no metadata extents"));
}

TEST(CheckPool, RefusesALegWithoutDataExtents)
{
    auto pool = valid_pool();
    auto& raid = layout_of<Raid1Layout>(pool, "mirror");
    for (auto& leg : raid.legs)
        leg.data.clear();
    EXPECT_TRUE(refused(pool, "leg 0 of raid1", "has no data extents"));
}

TEST(CheckPool, RefusesALegSpanningTwoMembers)
{
    auto pool = valid_pool();
    layout_of<Raid1Layout>(pool, "mirror").legs[0].data = {{member_a, 11, 10}, {member_c, 40, 10}};
    EXPECT_TRUE(refused(pool, "spans members", "'mirror'"));
}

TEST(CheckPool, RefusesAMetaExtentOnAnotherMemberThanItsLeg)
{
    auto pool = valid_pool();
    layout_of<Raid1Layout>(pool, "mirror").legs[0].meta = {{member_c, 40, 1}};
    EXPECT_TRUE(refused(pool, "spans members", "'mirror'"));
}

TEST(CheckPool, RefusesTwoLegsOnOneMember)
{
    auto pool = valid_pool();
    layout_of<Raid1Layout>(pool, "mirror").legs[1] = {{{member_a, 50, 1}}, {{member_a, 51, 20}}, std::nullopt};
    EXPECT_TRUE(refused(pool, "legs 0 and 1", "both on member " + member_a.to_string()));
}

TEST(CheckPool, RefusesLegsOfUnequalSize)
{
    auto pool = valid_pool();
    layout_of<Raid1Layout>(pool, "mirror").legs[2].data[0].count = 19;
    EXPECT_TRUE(refused(pool, "leg 2 of raid1 volume 'mirror'", "19 data extents but leg 0 has 20"));
}

TEST(CheckPool, RefusesALegTrackedAsAVolumeThatIsNotItsImage)
{
    auto pool = valid_pool();
    layout_of<Raid1Layout>(pool, "mirror").legs[0].tracked_image = uuid_of(0x01);  // lin
    EXPECT_TRUE(refused(pool, "leg 0 of raid1 volume 'mirror'", "not a tracked image of that leg"));

    auto other_slot = valid_pool();
    layout_of<TrackedImageLayout>(other_slot, "split").slot = 1;
    EXPECT_TRUE(refused(other_slot, "leg 2 of raid1 volume 'mirror'", "not a tracked image of that leg"));
}

TEST(CheckPool, RefusesATrackedImageItsLegDoesNotName)
{
    auto pool = valid_pool();
    layout_of<Raid1Layout>(pool, "mirror").legs[2].tracked_image.reset();
    EXPECT_TRUE(refused(pool, "tracked image volume 'split'", "that leg is not tracked as it"));
}

TEST(CheckPool, RefusesATrackedImageOfAVolumeThatIsNotARaid1)
{
    auto pool = valid_pool();
    pool.volumes.push_back({uuid_of(0x30), "stray", true, TrackedImageLayout{uuid_of(0x01), 0}});
    EXPECT_TRUE(refused(pool, "not a raid1 volume", "'stray'"));
}

TEST(CheckPool, RefusesATrackedImageOfASlotTheArrayDoesNotHave)
{
    auto pool = valid_pool();
    pool.volumes.push_back({uuid_of(0x30), "stray", true, TrackedImageLayout{uuid_of(0x02), 3}});
    EXPECT_TRUE(refused(pool, "which has 3 legs", "'stray'"));
}

TEST(CheckPool, RefusesARaid1WithEveryLegTracked)
{
    auto pool = valid_pool();
    pool.volumes.push_back({uuid_of(0x30), "split0", true, TrackedImageLayout{uuid_of(0x02), 0}});
    pool.volumes.push_back({uuid_of(0x31), "split1", true, TrackedImageLayout{uuid_of(0x02), 1}});
    layout_of<Raid1Layout>(pool, "mirror").legs[0].tracked_image = uuid_of(0x30);
    layout_of<Raid1Layout>(pool, "mirror").legs[1].tracked_image = uuid_of(0x31);
    EXPECT_TRUE(refused(pool, "every leg", "'mirror'"));

    layout_of<Raid1Layout>(pool, "mirror").legs[1].tracked_image.reset();
    pool.volumes.pop_back();
    EXPECT_TRUE(succeeded(check_pool(pool)));
}

TEST(CheckPool, RefusesALegBothRebuildingAndTracked)
{
    auto pool = valid_pool();
    layout_of<Raid1Layout>(pool, "mirror").legs[2].rebuilding = true;  // tracked as 'split'
    EXPECT_TRUE(refused(pool, "leg 2 of raid1 volume 'mirror'", "being rebuilt and split off"));
}

TEST(CheckPool, RefusesARaid1WithEveryLegRebuilding)
{
    auto pool = valid_pool();
    auto& legs = layout_of<Raid1Layout>(pool, "mirror").legs;
    legs[0].rebuilding = true;
    EXPECT_TRUE(succeeded(check_pool(pool)));
    legs[1].rebuilding = true;
    EXPECT_TRUE(succeeded(check_pool(pool)));  // leg 2 is split off, not rebuilding
    legs[2].tracked_image.reset();
    std::erase_if(pool.volumes, [](const Volume& v) { return v.name == "split"; });
    EXPECT_TRUE(succeeded(check_pool(pool)));
    legs[2].rebuilding = true;
    EXPECT_TRUE(refused(pool, "every leg of raid1 volume 'mirror'", "being rebuilt"));
}

// ---- snapshots

TEST(CheckPool, RefusesASnapshotOfAVolumeThatIsNotLinearOrRaid1)
{
    for (const std::uint8_t origin : {0x03, 0x05, 0x06, 0x07, 0x77}) {  // split, msnap, tpool, thin1, none
        auto pool = valid_pool();
        layout_of<SnapshotLayout>(pool, "snap").origin = uuid_of(origin);
        EXPECT_TRUE(refused(pool, "not a linear or raid1 volume", "'snap'")) << int(origin);
    }
}

TEST(CheckPool, RefusesASnapshotWithoutCow)
{
    auto pool = valid_pool();
    layout_of<SnapshotLayout>(pool, "snap").cow.clear();
    EXPECT_TRUE(refused(pool, "no cow extents", "'snap'"));
}

TEST(CheckPool, RefusesAChunkSizeThatIsNotAPowerOfTwoFrom4KiBTo1GiB)
{
    for (const std::uint32_t size : {0U, 2048U, 48 * 1024U, 2U << 30}) {
        auto pool = valid_pool();
        layout_of<SnapshotLayout>(pool, "snap").chunk_size = size;
        EXPECT_TRUE(refused(pool, "chunk size", "'snap'")) << size;
    }
    for (const std::uint32_t size : {4096U, 1U << 30}) {
        auto pool = valid_pool();
        layout_of<SnapshotLayout>(pool, "snap").chunk_size = size;
        EXPECT_TRUE(succeeded(check_pool(pool))) << size;
    }
}

TEST(CheckPool, RefusesTwoPendingOrMergingSnapshotsOfOneOrigin)
{
    for (const auto merge : {SnapshotMergeState::Pending, SnapshotMergeState::Merging}) {
        auto pool = valid_pool();
        auto& snap = layout_of<SnapshotLayout>(pool, "snap");
        snap.origin = uuid_of(0x02);  // mirror, which msnap is pending into
        snap.merge = merge;
        EXPECT_TRUE(refused(pool, "both snapshots pending or merging", "'snap'"));
    }
    for (const auto merge : {SnapshotMergeState::None, SnapshotMergeState::Failed}) {
        auto pool = valid_pool();
        auto& snap = layout_of<SnapshotLayout>(pool, "snap");
        snap.origin = uuid_of(0x02);
        snap.merge = merge;
        EXPECT_TRUE(succeeded(check_pool(pool)));
    }
}

// ---- thin pools and thin volumes

TEST(CheckPool, RefusesAThinPoolWithoutMetadataExtents)
{
    auto pool = valid_pool();
    layout_of<ThinPoolLayout>(pool, "tpool").meta.clear();
    EXPECT_TRUE(refused(pool, "no metadata extents", "'tpool'"));
}

TEST(CheckPool, RefusesAThinPoolWithoutDataExtents)
{
    auto pool = valid_pool();
    layout_of<ThinPoolLayout>(pool, "tpool").data.clear();
    EXPECT_TRUE(refused(pool, "no data extents", "'tpool'"));
}

TEST(CheckPool, RefusesABlockSizeThatIsNotAMultipleOf64KiBUpTo1GiB)
{
    for (const std::uint32_t size : {0U, 4096U, 96 * 1024U, (1U << 30) + (64U << 10)}) {
        auto pool = valid_pool();
        layout_of<ThinPoolLayout>(pool, "tpool").block_size = size;
        EXPECT_TRUE(refused(pool, "block size", "'tpool'")) << size;
    }
    for (const std::uint32_t size : {192 * 1024U, 1U << 30}) {
        auto pool = valid_pool();
        layout_of<ThinPoolLayout>(pool, "tpool").block_size = size;
        EXPECT_TRUE(succeeded(check_pool(pool))) << size;
    }
}

TEST(CheckPool, RefusesAThinVolumeOutsideAThinPool)
{
    for (const std::uint8_t parent : {0x01, 0x77}) {  // lin, none
        auto pool = valid_pool();
        layout_of<ThinLayout>(pool, "thin1").pool = uuid_of(parent);
        EXPECT_TRUE(refused(pool, "not a thin pool volume", "'thin1'")) << int(parent);
    }
}

TEST(CheckPool, RefusesTwoThinVolumesOfOneIdInOnePool)
{
    auto pool = valid_pool();
    layout_of<ThinLayout>(pool, "thin2").thin_id = 1;
    layout_of<ThinLayout>(pool, "thin2").origin_thin_id.reset();
    EXPECT_TRUE(refused(pool, "both thin id 1", "'thin2'"));
}

TEST(CheckPool, AcceptsOneThinIdInTwoPools)
{
    auto pool = valid_pool();
    pool.volumes.push_back({uuid_of(0x30), "tpool2", true,
                            ThinPoolLayout{{{member_c, 40, 1}}, {{member_c, 41, 4}}, 64 * KiB, 0, false, 0,
                                           std::nullopt, 2}});
    pool.volumes.push_back({uuid_of(0x31), "other1", true, ThinLayout{uuid_of(0x30), 1, std::nullopt, GiB}});
    EXPECT_TRUE(succeeded(check_pool(pool)));
}

TEST(CheckPool, RefusesAThinIdNotBelowThePoolsNextThinId)
{
    auto pool = valid_pool();
    layout_of<ThinPoolLayout>(pool, "tpool").next_thin_id = 2;
    EXPECT_TRUE(refused(pool, "not below the next thin id 2", "'thin2'"));
}

TEST(CheckPool, RefusesAThinIdFrom2To24)
{
    auto pool = valid_pool();
    layout_of<ThinPoolLayout>(pool, "tpool").next_thin_id = std::numeric_limits<std::uint32_t>::max();
    layout_of<ThinLayout>(pool, "thin2").thin_id = 1U << 24;
    EXPECT_TRUE(refused(pool, "not below 2^24", "'thin2'"));
    layout_of<ThinLayout>(pool, "thin2").thin_id = (1U << 24) - 1;
    EXPECT_TRUE(succeeded(check_pool(pool)));
}

TEST(CheckPool, RefusesAVirtualSizeThatIsNotAPositiveMultipleOf512)
{
    for (const std::uint64_t size : {std::uint64_t{0}, std::uint64_t{1000}, GiB + 1}) {
        auto pool = valid_pool();
        layout_of<ThinLayout>(pool, "thin1").virtual_size = size;
        EXPECT_TRUE(refused(pool, "virtual size", "'thin1'")) << size;
    }
    auto pool = valid_pool();
    layout_of<ThinLayout>(pool, "thin1").virtual_size = 512;
    EXPECT_TRUE(succeeded(check_pool(pool)));
}

TEST(CheckPool, RefusesAThinSnapshotOfAnIdNoThinOfItsPoolHas)
{
    auto pool = valid_pool();
    layout_of<ThinLayout>(pool, "thin2").origin_thin_id = 0;
    EXPECT_TRUE(refused(pool, "snapshot of thin id 0", "'thin2'"));

    auto itself = valid_pool();
    layout_of<ThinLayout>(itself, "thin2").origin_thin_id = 2;
    EXPECT_TRUE(refused(itself, "snapshot of thin id 2", "'thin2'"));
}

TEST(CheckPool, RefusesAThinSnapshotOfAThinInAnotherPool)
{
    auto pool = valid_pool();
    pool.volumes.push_back({uuid_of(0x30), "tpool2", true,
                            ThinPoolLayout{{{member_c, 40, 1}}, {{member_c, 41, 4}}, 64 * KiB, 0, false, 0,
                                           std::nullopt, 5}});
    pool.volumes.push_back({uuid_of(0x31), "other4", true, ThinLayout{uuid_of(0x30), 4, 1, GiB}});
    EXPECT_TRUE(refused(pool, "snapshot of thin id 1", "'other4'"));
}

// ---- activation

TEST(CheckPool, RefusesAnActiveSnapshotOfAnInactiveOrigin)
{
    auto pool = valid_pool();
    volume_named(pool, "lin").active = false;
    EXPECT_TRUE(refused(pool, "is active but its origin", "'snap'"));

    volume_named(pool, "snap").active = false;
    EXPECT_TRUE(succeeded(check_pool(pool)));
}

TEST(CheckPool, RefusesAnActiveThinOfAnInactivePool)
{
    auto pool = valid_pool();
    volume_named(pool, "tpool").active = false;
    EXPECT_TRUE(refused(pool, "is active but its thin pool", "'thin1'"));

    volume_named(pool, "thin1").active = false;
    volume_named(pool, "thin2").active = false;
    EXPECT_TRUE(succeeded(check_pool(pool)));
}

}  // namespace
}  // namespace volumes::model
