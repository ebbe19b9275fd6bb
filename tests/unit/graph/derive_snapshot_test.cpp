#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "graph_fixture.hpp"

namespace volumes::graph {
namespace {

using namespace testing;
using model::SnapshotMergeState;

// Origin "lv0" (volume 1) with snapshot "snap" (volume 2), its cow at extent 0 of m2.
model::Pool pool_with_snapshot(SnapshotMergeState merge = SnapshotMergeState::None)
{
    auto pool = empty_pool();
    pool.volumes.push_back(volume(1, "lv0", origin_linear()));
    pool.volumes.push_back(volume(2, "snap", snapshot_of(1, 0, merge)));
    return pool;
}

DeviceNumbers snapshot_numbers()
{
    return numbered({dev_uuid(1, "real"), dev_uuid(2, "cow"), dev_uuid(3, "cow")});
}

constexpr std::string_view origin_with_snapshot =
    "volumes-p1-lv0_real: 0 131072 linear 8:16 2048\n"
    "volumes-p1-lv0 lockfs <- volumes-p1-lv0_real: 0 131072 snapshot-origin 253:0\n"
    "volumes-p1-snap_cow: 0 8192 linear 8:32 2048\n"
    "volumes-p1-snap lockfs <- volumes-p1-lv0_real, volumes-p1-snap_cow: 0 131072 snapshot 253:0 253:1 P 8\n";

TEST(DeriveSnapshot, OriginTableMovesToRealUnderSnapshotOrigin)
{
    const auto derived = derive_graph(pool_with_snapshot(), placements(), snapshot_numbers());
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_EQ(render(derived), origin_with_snapshot);
    EXPECT_EQ(uuids_of(derived->graph),
              (std::vector<std::string>{dev_uuid(1, "real"), dev_uuid(1), dev_uuid(2, "cow"), dev_uuid(2)}));
    EXPECT_EQ(derived->graph.devices[1].suspend, (planner::SuspendMode{.no_flush = false, .skip_lockfs = false}));
    EXPECT_EQ(derived->graph.devices[3].suspend, (planner::SuspendMode{.no_flush = false, .skip_lockfs = false}));
    EXPECT_TRUE(derived->unresolved.empty());
}

TEST(DeriveSnapshot, PendingAndFailedMergesKeepTheSnapshotDevice)
{
    EXPECT_EQ(render(derive_graph(pool_with_snapshot(SnapshotMergeState::Pending), placements(), snapshot_numbers())),
              origin_with_snapshot);
    EXPECT_EQ(render(derive_graph(pool_with_snapshot(SnapshotMergeState::Failed), placements(), snapshot_numbers())),
              origin_with_snapshot);
}

TEST(DeriveSnapshot, SnapshotListedBeforeItsOriginStillComesAfter)
{
    auto pool = pool_with_snapshot();
    std::swap(pool.volumes[0], pool.volumes[1]);
    EXPECT_EQ(render(derive_graph(pool, placements(), snapshot_numbers())), origin_with_snapshot);
}

TEST(DeriveSnapshot, InactiveSnapshotLeavesTheOriginPlain)
{
    auto pool = pool_with_snapshot();
    pool.volumes[1].active = false;
    EXPECT_EQ(render(derive_graph(pool, placements(), snapshot_numbers())),
              "volumes-p1-lv0: 0 131072 linear 8:16 2048\n");
}

TEST(DeriveSnapshot, InactiveOriginAndSnapshotHaveNoDevices)
{
    auto pool = pool_with_snapshot();
    pool.volumes[0].active = false;
    pool.volumes[1].active = false;
    const auto derived = derive_graph(pool, placements(), {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_TRUE(derived->graph.devices.empty());
}

TEST(DeriveSnapshot, ActiveSnapshotOfAnInactiveOriginIsRefused)
{
    auto pool = pool_with_snapshot();
    pool.volumes[0].active = false;
    EXPECT_TRUE(volumes::testing::fails_with(derive_graph(pool, placements(), snapshot_numbers()),
                                             model::ErrorCode::InvalidArgument));
}

TEST(DeriveSnapshot, SnapshotOfAMissingOriginIsRefused)
{
    auto pool = pool_with_snapshot();
    pool.volumes.erase(pool.volumes.begin());
    EXPECT_TRUE(volumes::testing::fails_with(derive_graph(pool, placements(), snapshot_numbers()),
                                             model::ErrorCode::InvalidArgument));
}

TEST(DeriveSnapshot, RaidOriginKeepsItsSubDevicesUnderTheRealDevice)
{
    auto pool = empty_pool();
    pool.volumes.push_back(volume(1, "lv1", two_leg_raid1()));
    pool.volumes.push_back(volume(2, "snap", snapshot_of(1, 300)));
    const auto numbers = numbered({dev_uuid(1, "rmeta_0"), dev_uuid(1, "rimage_0"), dev_uuid(1, "rmeta_1"),
                                   dev_uuid(1, "rimage_1"), dev_uuid(1, "real"), dev_uuid(2, "cow")});
    EXPECT_EQ(render(derive_graph(pool, placements(), numbers)),
              "volumes-p1-lv1_rmeta_0: 0 8192 linear 8:16 2048\n"
              "volumes-p1-lv1_rimage_0: 0 2097152 linear 8:16 10240\n"
              "volumes-p1-lv1_rmeta_1: 0 8192 linear 8:32 2048\n"
              "volumes-p1-lv1_rimage_1: 0 2097152 linear 8:32 10240\n"
              "volumes-p1-lv1_real <- volumes-p1-lv1_rmeta_0, volumes-p1-lv1_rimage_0, volumes-p1-lv1_rmeta_1, "
              "volumes-p1-lv1_rimage_1: 0 2097152 raid raid1 3 0 region_size 1024 2 253:0 253:1 253:2 253:3\n"
              "volumes-p1-lv1 lockfs <- volumes-p1-lv1_real: 0 2097152 snapshot-origin 253:4\n"
              "volumes-p1-snap_cow: 0 8192 linear 8:32 2459648\n"
              "volumes-p1-snap lockfs <- volumes-p1-lv1_real, volumes-p1-snap_cow: "
              "0 2097152 snapshot 253:4 253:5 P 8\n");
}

// kernel-targets.md §2.4: the origin takes the cow over with snapshot-merge; the merging
// snapshot has no device of its own.
TEST(DeriveSnapshot, MergingSnapshotBecomesTheOriginsSnapshotMerge)
{
    EXPECT_EQ(render(derive_graph(pool_with_snapshot(SnapshotMergeState::Merging), placements(), snapshot_numbers())),
              "volumes-p1-lv0_real: 0 131072 linear 8:16 2048\n"
              "volumes-p1-snap_cow: 0 8192 linear 8:32 2048\n"
              "volumes-p1-lv0 lockfs <- volumes-p1-lv0_real, volumes-p1-snap_cow: "
              "0 131072 snapshot-merge 253:0 253:1 P 8\n");
}

TEST(DeriveSnapshot, MergingSnapshotNeedsNoActiveFlagOfItsOwn)
{
    auto pool = pool_with_snapshot(SnapshotMergeState::Merging);
    pool.volumes[1].active = false;
    const auto active = derive_graph(pool_with_snapshot(SnapshotMergeState::Merging), placements(), snapshot_numbers());
    ASSERT_TRUE(volumes::testing::succeeded(active));
    EXPECT_EQ(render(derive_graph(pool, placements(), snapshot_numbers())), render(active));
}

TEST(DeriveSnapshot, OtherSnapshotsKeepTheirDevicesWhileOneMerges)
{
    auto pool = pool_with_snapshot(SnapshotMergeState::Merging);
    pool.volumes.push_back(volume(3, "snap2", snapshot_of(1, 1)));
    EXPECT_EQ(render(derive_graph(pool, placements(), snapshot_numbers())),
              "volumes-p1-lv0_real: 0 131072 linear 8:16 2048\n"
              "volumes-p1-snap_cow: 0 8192 linear 8:32 2048\n"
              "volumes-p1-lv0 lockfs <- volumes-p1-lv0_real, volumes-p1-snap_cow: "
              "0 131072 snapshot-merge 253:0 253:1 P 8\n"
              "volumes-p1-snap2_cow: 0 8192 linear 8:32 10240\n"
              "volumes-p1-snap2 lockfs <- volumes-p1-lv0_real, volumes-p1-snap2_cow: "
              "0 131072 snapshot 253:0 253:2 P 8\n");
}

TEST(DeriveSnapshot, TwoMergingSnapshotsOfOneOriginAreRefused)
{
    auto pool = pool_with_snapshot(SnapshotMergeState::Merging);
    pool.volumes.push_back(volume(3, "snap2", snapshot_of(1, 1, SnapshotMergeState::Merging)));
    EXPECT_TRUE(volumes::testing::fails_with(derive_graph(pool, placements(), snapshot_numbers()),
                                             model::ErrorCode::InvalidArgument));
}

// The real device is listed once though two tables stack on it; the two stand-ins differ, as
// the snapshot builder refuses one device as both origin and cow.
TEST(DeriveSnapshot, UnresolvedRealAndCowAreListedOnce)
{
    const auto derived = derive_graph(pool_with_snapshot(), placements(), {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_EQ(render(derived),
              "volumes-p1-lv0_real: 0 131072 linear 8:16 2048\n"
              "volumes-p1-lv0 lockfs <- volumes-p1-lv0_real: 0 131072 snapshot-origin 0:0\n"
              "volumes-p1-snap_cow: 0 8192 linear 8:32 2048\n"
              "volumes-p1-snap lockfs <- volumes-p1-lv0_real, volumes-p1-snap_cow: 0 131072 snapshot 0:0 0:1 P 8\n");
    EXPECT_EQ(derived->unresolved, (std::vector<std::string>{dev_uuid(1, "real"), dev_uuid(2, "cow")}));
}

TEST(DeriveSnapshot, OnlyTheNewCowUnresolved)
{
    const auto derived = derive_graph(pool_with_snapshot(), placements(), numbered({dev_uuid(1, "real")}));
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_EQ(kmod::to_string(derived->graph.devices.back().table), "0 131072 snapshot 253:0 0:0 P 8");
    EXPECT_EQ(derived->unresolved, std::vector<std::string>{dev_uuid(2, "cow")});
}

TEST(DeriveSnapshot, ChunkSizeTheBuilderRefusesIsReported)
{
    auto pool = pool_with_snapshot();
    std::get<model::SnapshotLayout>(pool.volumes[1].layout).chunk_size = 512;
    const auto derived = derive_graph(pool, placements(), snapshot_numbers());
    ASSERT_TRUE(volumes::testing::fails_with(derived, model::ErrorCode::InvalidArgument));
    EXPECT_NE(derived.error().message.find("chunk size"), std::string::npos) << derived.error().message;
}

}  // namespace
}  // namespace volumes::graph
