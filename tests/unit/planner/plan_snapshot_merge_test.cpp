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
              "suspend VOLUMES-P1-snap flush lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-base\n"
              "resume VOLUMES-P1-snap\n"
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

}  // namespace
}  // namespace volumes::planner
