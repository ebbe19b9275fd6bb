#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_builder.hpp"
#include "service/engine/snapshot_changes.hpp"
#include "service/engine/volume_changes.hpp"
#include "service/model/pool_checks.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {
namespace {

using model::SnapshotMergeState;
using volumes::testing::fails_with;
using volumes::testing::succeeded;
using namespace testing;

// Linear "base" (uuid 1) of two extents, snapshot "snap" (uuid 2) of it with one COW extent.
model::Pool with_snapshot()
{
    auto pool = add_linear_volume(empty_pool(3, 10), {"base", 2 * kExtent}, uuid_of(1));
    if (!pool)
        throw std::runtime_error(pool.error().message);
    auto snapshot = add_snapshot(*pool, uuid_of(1), {"snap", 1, kDefaultChunkSize}, uuid_of(2));
    if (!snapshot)
        throw std::runtime_error(snapshot.error().message);
    return *snapshot;
}

const model::SnapshotLayout& snapshot_of(const model::Pool& pool, unsigned uuid = 2)
{
    return std::get<model::SnapshotLayout>(model::find_volume(pool, uuid_of(uuid))->layout);
}

TEST(SnapshotChanges, ASnapshotGetsItsCowRoundedUpToWholeExtents)
{
    const auto pool = with_snapshot();
    EXPECT_TRUE(succeeded(model::check_pool(pool)));
    const auto& snapshot = snapshot_of(pool);
    EXPECT_EQ(snapshot.origin, uuid_of(1));
    EXPECT_EQ(snapshot.chunk_size, kDefaultChunkSize);
    EXPECT_EQ(snapshot.merge, SnapshotMergeState::None);
    ASSERT_EQ(snapshot.cow.size(), 1u);
    EXPECT_EQ(snapshot.cow.front().count, 1u);
    EXPECT_TRUE(model::find_volume(pool, uuid_of(2))->active);
}

TEST(SnapshotChanges, ASnapshotOfAnInactiveOriginIsInactive)
{
    auto inactive = set_active(*add_linear_volume(empty_pool(), {"base", kExtent}, uuid_of(1)), uuid_of(1), false);
    ASSERT_TRUE(succeeded(inactive));
    auto snapshot = add_snapshot(*inactive, uuid_of(1), {"snap", kExtent}, uuid_of(2));
    ASSERT_TRUE(succeeded(snapshot));
    EXPECT_FALSE(model::find_volume(*snapshot, uuid_of(2))->active);
}

TEST(SnapshotChanges, RefusesBadRequests)
{
    const auto pool = with_snapshot();
    EXPECT_TRUE(fails_with(add_snapshot(pool, uuid_of(1), {"snap", kExtent}, uuid_of(3)), ErrorCode::AlreadyExists));
    EXPECT_TRUE(fails_with(add_snapshot(pool, uuid_of(1), {"bad/name", kExtent}, uuid_of(3)),
                           ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(add_snapshot(pool, uuid_of(1), {"s", 0}, uuid_of(3)), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(add_snapshot(pool, uuid_of(1), {"s", kExtent, 6144}, uuid_of(3)), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(add_snapshot(pool, uuid_of(1), {"s", kExtent, 2048}, uuid_of(3)), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(add_snapshot(pool, uuid_of(1), {"s", kExtent, 1024 * 1024}, uuid_of(3)),
                           ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(add_snapshot(pool, uuid_of(1), {"s", 100 * kExtent}, uuid_of(3)), ErrorCode::NoSpace));
    EXPECT_TRUE(fails_with(add_snapshot(pool, uuid_of(9), {"s", kExtent}, uuid_of(3)), ErrorCode::NotFound));
    EXPECT_TRUE(fails_with(add_snapshot(pool, uuid_of(2), {"s", kExtent}, uuid_of(3)), ErrorCode::NotSupported))
        << "a snapshot of a snapshot";
}

TEST(SnapshotChanges, MergeStartsNowOrIsPendingWhileHeldOpen)
{
    const auto pool = with_snapshot();
    auto now = request_snapshot_merge(pool, uuid_of(2), false);
    ASSERT_TRUE(succeeded(now));
    EXPECT_EQ(snapshot_of(*now).merge, SnapshotMergeState::Merging);
    auto later = request_snapshot_merge(pool, uuid_of(2), true);
    ASSERT_TRUE(succeeded(later));
    EXPECT_EQ(snapshot_of(*later).merge, SnapshotMergeState::Pending);
    auto inactive = request_snapshot_merge(*set_active(pool, uuid_of(1), false), uuid_of(2), false);
    ASSERT_TRUE(succeeded(inactive));
    EXPECT_EQ(snapshot_of(*inactive).merge, SnapshotMergeState::Pending) << "an inactive origin defers the merge";
}

TEST(SnapshotChanges, OneMergeIntoAnOriginAtATime)
{
    auto pool = with_snapshot();
    auto second = add_snapshot(pool, uuid_of(1), {"snap2", kExtent}, uuid_of(3));
    ASSERT_TRUE(succeeded(second));
    auto merging = request_snapshot_merge(*second, uuid_of(2), true);
    ASSERT_TRUE(succeeded(merging));
    EXPECT_TRUE(fails_with(request_snapshot_merge(*merging, uuid_of(2), false), ErrorCode::Busy));
    EXPECT_TRUE(fails_with(request_snapshot_merge(*merging, uuid_of(3), false), ErrorCode::Busy));
    EXPECT_TRUE(fails_with(add_snapshot(*merging, uuid_of(1), {"snap3", kExtent}, uuid_of(4)), ErrorCode::Busy));
    EXPECT_TRUE(fails_with(request_snapshot_merge(*merging, uuid_of(1), false), ErrorCode::InvalidArgument))
        << "the origin is no snapshot";
}

TEST(SnapshotChanges, APendingMergeStartsOnlyWithAnActiveOrigin)
{
    auto pending = request_snapshot_merge(with_snapshot(), uuid_of(2), true);
    ASSERT_TRUE(succeeded(pending));
    auto started = start_pending_merge(*pending, uuid_of(2));
    ASSERT_TRUE(succeeded(started));
    EXPECT_EQ(snapshot_of(*started).merge, SnapshotMergeState::Merging);
    EXPECT_TRUE(fails_with(start_pending_merge(*started, uuid_of(2)), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(start_pending_merge(*set_active(*pending, uuid_of(1), false), uuid_of(2)),
                           ErrorCode::InvalidArgument));
}

TEST(SnapshotChanges, AFinishedMergeRemovesTheSnapshotAndFreesItsCow)
{
    const auto pool = with_snapshot();
    auto merging = request_snapshot_merge(pool, uuid_of(2), false);
    ASSERT_TRUE(succeeded(merging));
    EXPECT_TRUE(fails_with(finish_snapshot_merge(pool, uuid_of(2)), ErrorCode::InvalidArgument))
        << "a snapshot that is not merging";
    auto finished = finish_snapshot_merge(*merging, uuid_of(2));
    ASSERT_TRUE(succeeded(finished));
    EXPECT_EQ(model::find_volume(*finished, uuid_of(2)), nullptr);
    EXPECT_EQ(*model::find_volume(*finished, uuid_of(1)), *model::find_volume(pool, uuid_of(1)));
    // 30 extents, 2 of them the origin's: the other 28 are free only once the COW's is.
    EXPECT_TRUE(fails_with(add_linear_volume(*merging, {"reuse", 28 * kExtent}, uuid_of(5)), ErrorCode::NoSpace));
    EXPECT_TRUE(succeeded(add_linear_volume(*finished, {"reuse", 28 * kExtent}, uuid_of(5))))
        << "the COW's extent is not free again";
}

TEST(SnapshotChanges, AMergingSnapshotCannotBeRemovedButAPendingOneCan)
{
    const auto pool = with_snapshot();
    EXPECT_TRUE(fails_with(remove_volume(*request_snapshot_merge(pool, uuid_of(2), false), uuid_of(2)), ErrorCode::Busy));
    auto removed = remove_volume(*request_snapshot_merge(pool, uuid_of(2), true), uuid_of(2));
    ASSERT_TRUE(succeeded(removed));
    EXPECT_EQ(model::find_volume(*removed, uuid_of(2)), nullptr);
    EXPECT_TRUE(fails_with(remove_volume(pool, uuid_of(1)), ErrorCode::InUse)) << "an origin with a snapshot";
}

}  // namespace
}  // namespace volumes::engine
