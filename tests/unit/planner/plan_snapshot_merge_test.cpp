#include <gtest/gtest.h>

#include "kmod/tables/snapshot_table.hpp"
#include "pool_fixture.hpp"
#include "service/planner/plan_transaction.hpp"

namespace volumes::planner {
namespace {

using namespace testing;

// lvm's layout (kernel-targets.md §2.1): base_real (253:0) on sdb, snap_cow (253:1) on sdc,
// the origin "base" (253:2) and the snapshot "snap" (253:3).
constexpr std::uint64_t origin_length = 1048576;
constexpr SuspendMode with_lockfs{.no_flush = false, .skip_lockfs = false};

kmod::SnapshotTable snapshot_of_base()
{
    kmod::SnapshotTable snapshot;
    snapshot.length = origin_length;
    snapshot.origin = dm(0);
    snapshot.cow = dm(1);
    snapshot.store = kmod::SnapshotStore::Persistent;
    snapshot.chunk_size = 8;
    return snapshot;
}

DesiredDevice base_real()
{
    return desired("base_real", linear(sdb, 2048, origin_length));
}

DesiredDevice snap_cow()
{
    return desired("snap_cow", linear(sdc, 2048, 262144));
}

std::vector<DesiredDevice> origin_with_snapshot()
{
    auto base = desired("base", table(kmod::snapshot_origin_table_line(origin_length, dm(0))), {"base_real"});
    base.suspend = with_lockfs;
    auto snap = desired("snap", table(kmod::snapshot_table_line(snapshot_of_base())), {"base_real", "snap_cow"});
    snap.suspend = with_lockfs;
    return {base_real(), snap_cow(), base, snap};
}

// kernel-targets.md §2.4: the origin's table becomes snapshot-merge and the snapshot device
// leaves with an error table. Both are suspended with lockfs before commit; the origin resumes
// first, taking the COW over from the still-suspended snapshot, which resumes on its error
// table only then and is removed.
TEST(PlanSnapshotMerge, OriginTakesOverTheCowBeforeTheSnapshotResumes)
{
    auto merging = desired("base", table(kmod::snapshot_merge_table_line(snapshot_of_base())),
                           {"base_real", "snap_cow"});
    merging.suspend = with_lockfs;
    const DesiredGraph graph{{base_real(), snap_cow(), merging}};
    EXPECT_EQ(render(plan_transaction(live_state(origin_with_snapshot()), graph, prefix)),
              "load VOLUMES-P1-base: 0 1048576 snapshot-merge 253:0 253:1 P 8\n"
              "load-error VOLUMES-P1-snap 1048576\n"
              "suspend VOLUMES-P1-base flush lockfs\n"
              "suspend VOLUMES-P1-snap flush lockfs as udev knows it\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-base\n"
              "resume VOLUMES-P1-snap as internal\n"
              "remove VOLUMES-P1-snap\n"
              "wait-for-udev\n");
}

// lvm defers the merge while the snapshot is open (§2.5); the planner refuses to error it.
TEST(PlanSnapshotMerge, RefusedWhileTheSnapshotIsMounted)
{
    auto live = live_state(origin_with_snapshot());
    live.devices[3].open_count = 1;
    auto merging = desired("base", table(kmod::snapshot_merge_table_line(snapshot_of_base())),
                           {"base_real", "snap_cow"});
    const auto plan = plan_transaction(live, DesiredGraph{{base_real(), snap_cow(), merging}}, prefix);
    ASSERT_FALSE(plan.has_value()) << render(plan);
    EXPECT_EQ(plan.error().code, ErrorCode::Busy) << plan.error().message;
}

// The origin with one snapshot, each listed as quiescing the other the way derive_graph lists
// them: the snapshot holds the origin suspended while it loads.
std::vector<DesiredDevice> origin_with_quiescing_snapshot()
{
    auto devices = origin_with_snapshot();
    devices[3].quiesced = {uuid("base")};
    return devices;
}

// A first snapshot: the origin's table moves to base_real under snapshot-origin. The snapshot
// resumes while the origin is still suspended, so no write through snapshot-origin can miss it.
TEST(PlanSnapshotCreate, SnapshotResumesBeforeItsOrigin)
{
    const LiveState before{{live("base", linear(sdb, 2048, origin_length))}};
    EXPECT_EQ(render(plan_transaction(before, DesiredGraph{origin_with_quiescing_snapshot()}, prefix)),
              "create volumes-p1-base_real VOLUMES-P1-base_real\n"
              "load VOLUMES-P1-base_real: 0 1048576 linear 8:16 2048\n"
              "resume-new-child VOLUMES-P1-base_real awaited\n"
              "create volumes-p1-snap_cow VOLUMES-P1-snap_cow\n"
              "load VOLUMES-P1-snap_cow: 0 262144 linear 8:32 2048\n"
              "resume-new-child VOLUMES-P1-snap_cow awaited\n"
              "create volumes-p1-snap VOLUMES-P1-snap\n"
              "load VOLUMES-P1-snap: 0 1048576 snapshot 253:0 253:1 P 8\n"
              "load VOLUMES-P1-base: 0 1048576 snapshot-origin 253:0\n"
              "suspend VOLUMES-P1-base flush lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-snap awaited\n"
              "resume VOLUMES-P1-base\n"
              "wait-for-udev\n");
}

// A second snapshot leaves the origin's table as it is, yet the origin is suspended around it.
TEST(PlanSnapshotCreate, ASecondSnapshotSuspendsTheUnchangedOrigin)
{
    auto second = desired("snap2", table(kmod::snapshot_table_line(snapshot_of_base())), {"base_real", "snap_cow"});
    second.suspend = with_lockfs;
    second.quiesced = {uuid("base")};
    auto graph = origin_with_quiescing_snapshot();
    const auto before = live_state(graph);
    graph.push_back(second);
    EXPECT_EQ(render(plan_transaction(before, DesiredGraph{graph}, prefix)),
              "create volumes-p1-snap2 VOLUMES-P1-snap2\n"
              "load VOLUMES-P1-snap2: 0 1048576 snapshot 253:0 253:1 P 8\n"
              "suspend VOLUMES-P1-base flush lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-snap2 awaited\n"
              "resume VOLUMES-P1-base\n"
              "wait-for-udev\n");
}

TEST(PlanSnapshotCreate, AQuiescedDeviceOutsideTheGraphIsRefused)
{
    auto graph = origin_with_quiescing_snapshot();
    graph[3].quiesced = {uuid("elsewhere")};
    const auto plan = plan_transaction(LiveState{}, DesiredGraph{graph}, prefix);
    ASSERT_FALSE(plan.has_value()) << render(plan);
    EXPECT_EQ(plan.error().code, ErrorCode::UnknownChild) << plan.error().message;
}

}  // namespace
}  // namespace volumes::planner
