#include <gtest/gtest.h>

#include "pool_builder.hpp"
#include "service/allocator/extent_allocator.hpp"

namespace volumes::allocator::testing {
namespace {

TEST(AllocatorFreeExtents, EmptyPoolIsOneRunPerMemberInMemberOrder)
{
    const auto pool = pool_of({10, 30, 20});
    const auto free = free_extents(pool);
    ASSERT_EQ(free.size(), 3u);
    EXPECT_EQ(free[0].member, m(1));
    EXPECT_EQ(free[0].runs, (ExtentMap{run(1, 0, 10)}));
    EXPECT_EQ(free[1].member, m(2));
    EXPECT_EQ(free[1].runs, (ExtentMap{run(2, 0, 30)}));
    EXPECT_EQ(free[2].member, m(3));
    EXPECT_EQ(free[2].runs, (ExtentMap{run(3, 0, 20)}));
    EXPECT_EQ(free_extent_count(pool), 60u);
}

TEST(AllocatorFreeExtents, MemberWithoutExtentsHasNoRuns)
{
    const auto free = free_extents(pool_of({0, 5}));
    ASSERT_EQ(free.size(), 2u);
    EXPECT_TRUE(free[0].runs.empty());
    EXPECT_EQ(free[0].extents(), 0u);
    EXPECT_EQ(free[1].extents(), 5u);
}

TEST(AllocatorFreeExtents, FailedMemberHasNoRunsSoNothingIsAllocatedThere)
{
    auto pool = pool_of({50, 10});
    pool.members[0].failed = true;
    const auto free = free_extents(pool);
    ASSERT_EQ(free.size(), 2u);
    EXPECT_TRUE(free[0].runs.empty());
    EXPECT_EQ(free_extent_count(pool), 10u);
    EXPECT_EQ(allocate_linear(pool, 4).value(), (ExtentMap{run(2, 0, 4)}));
    EXPECT_FALSE(allocate_raid1_legs(pool, 2, 2).has_value());
}

TEST(AllocatorFreeExtents, LinearDataOnTwoMembers)
{
    auto pool = pool_of({10, 10});
    add_linear(pool, {run(1, 2, 3), run(2, 0, 4)});
    const auto free = free_extents(pool);
    EXPECT_EQ(free[0].runs, (ExtentMap{run(1, 0, 2), run(1, 5, 5)}));
    EXPECT_EQ(free[1].runs, (ExtentMap{run(2, 4, 6)}));
    EXPECT_EQ(free_extent_count(pool), 13u);
}

TEST(AllocatorFreeExtents, RunsAscendEvenWhenVolumesListThemOutOfOrder)
{
    auto pool = pool_of({20});
    add_linear(pool, {run(1, 15, 2), run(1, 3, 1)});
    add_linear(pool, {run(1, 8, 4)});
    EXPECT_EQ(free_extents(pool)[0].runs,
              (ExtentMap{run(1, 0, 3), run(1, 4, 4), run(1, 12, 3), run(1, 17, 3)}));
}

TEST(AllocatorFreeExtents, AdjacentUsedRunsLeaveNoEmptyGap)
{
    auto pool = pool_of({10});
    add_linear(pool, {run(1, 0, 3)});
    add_linear(pool, {run(1, 3, 2)});
    EXPECT_EQ(free_extents(pool)[0].runs, (ExtentMap{run(1, 5, 5)}));
}

TEST(AllocatorFreeExtents, Raid1LegsUseMetaAndData)
{
    auto pool = pool_of({10, 10});
    add_volume(pool, raid1({leg(run(1, 0, 1), run(1, 1, 4)), leg(run(2, 6, 1), run(2, 2, 4))}));
    const auto free = free_extents(pool);
    EXPECT_EQ(free[0].runs, (ExtentMap{run(1, 5, 5)}));
    EXPECT_EQ(free[1].runs, (ExtentMap{run(2, 0, 2), run(2, 7, 3)}));
}

TEST(AllocatorFreeExtents, TrackedImageUsesNothingBeyondItsLeg)
{
    auto pool = pool_of({10, 10});
    const auto array = add_volume(pool, raid1({leg(run(1, 0, 1), run(1, 1, 4)), leg(run(2, 0, 1), run(2, 1, 4))}));
    const auto before = free_extents(pool);
    std::get<model::Raid1Layout>(pool.volumes.back().layout).legs[1].tracked_image = uuid_of(2, 1);
    add_volume(pool, model::TrackedImageLayout{array, 1});

    const auto after = free_extents(pool);
    ASSERT_EQ(after.size(), 2u);
    EXPECT_EQ(after[0].runs, before[0].runs);
    EXPECT_EQ(after[1].runs, before[1].runs);
    EXPECT_EQ(free_extent_count(pool), 10u);
}

TEST(AllocatorFreeExtents, SnapshotCowIsUsed)
{
    auto pool = pool_of({10});
    const auto origin = add_linear(pool, {run(1, 0, 4)});
    add_volume(pool, model::SnapshotLayout{origin, {run(1, 6, 2)}, 4096, model::SnapshotMergeState::None});
    EXPECT_EQ(free_extents(pool)[0].runs, (ExtentMap{run(1, 4, 2), run(1, 8, 2)}));
}

TEST(AllocatorFreeExtents, ThinPoolMetaAndDataAreUsedThinVolumesOwnNothing)
{
    auto pool = pool_of({10, 10});
    model::ThinPoolLayout thin_pool;
    thin_pool.meta = {run(2, 9, 1)};
    thin_pool.data = {run(1, 0, 6), run(2, 0, 2)};
    thin_pool.block_size = 64 << 10;
    const auto thin_pool_uuid = add_volume(pool, thin_pool);
    add_volume(pool, model::ThinLayout{thin_pool_uuid, 0, std::nullopt, 1ull << 40});
    add_volume(pool, model::ThinLayout{thin_pool_uuid, 1, 0u, 1ull << 40});

    const auto free = free_extents(pool);
    EXPECT_EQ(free[0].runs, (ExtentMap{run(1, 6, 4)}));
    EXPECT_EQ(free[1].runs, (ExtentMap{run(2, 2, 7)}));
    EXPECT_EQ(free_extent_count(pool), 11u);
}

TEST(AllocatorFreeExtents, EveryKindTogether)
{
    auto pool = pool_of({8, 8, 8});
    const auto origin = add_linear(pool, {run(1, 0, 2), run(3, 7, 1)});
    const auto array = add_volume(pool, raid1({leg(run(1, 2, 1), run(1, 3, 2)), leg(run(2, 0, 1), run(2, 1, 2))}));
    std::get<model::Raid1Layout>(pool.volumes.back().layout).legs[0].tracked_image = uuid_of(3, 1);
    add_volume(pool, model::TrackedImageLayout{array, 0});
    add_volume(pool, model::SnapshotLayout{origin, {run(2, 5, 1)}, 4096, model::SnapshotMergeState::Pending});
    model::ThinPoolLayout thin_pool;
    thin_pool.meta = {run(3, 0, 1)};
    thin_pool.data = {run(3, 1, 3)};
    const auto thin_pool_uuid = add_volume(pool, thin_pool);
    add_volume(pool, model::ThinLayout{thin_pool_uuid, 0, std::nullopt, 1 << 30});

    const auto free = free_extents(pool);
    EXPECT_EQ(free[0].runs, (ExtentMap{run(1, 5, 3)}));
    EXPECT_EQ(free[1].runs, (ExtentMap{run(2, 3, 2), run(2, 6, 2)}));
    EXPECT_EQ(free[2].runs, (ExtentMap{run(3, 4, 3)}));
    EXPECT_EQ(free_extent_count(pool), 10u);
}

}  // namespace
}  // namespace volumes::allocator::testing
