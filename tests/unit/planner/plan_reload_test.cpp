#include <gtest/gtest.h>

#include "pool_fixture.hpp"
#include "raid1_fixture.hpp"
#include "service/planner/plan_transaction.hpp"

namespace volumes::planner {
namespace {

using namespace testing;

TEST(PlanNoChange, SameGraphOnlyCommits)
{
    auto devices = raid1_set();
    devices.push_back(desired("lv0", linear(sdb, 2107392, 204800)));
    EXPECT_EQ(render(plan_transaction(live_state(devices), DesiredGraph{devices}, prefix)), "commit-metadata\n");
}

TEST(PlanNoChange, EmptyPoolOnlyCommits)
{
    EXPECT_EQ(render(plan_transaction({}, {}, prefix)), "commit-metadata\n");
}

// rmeta_0 moves to other sectors: the raid1 above it must be suspended first and resumed last.
TEST(PlanReload, ChangedLegSuspendsTheRaidAboveItFirst)
{
    const auto before = raid1_set();
    auto after = before;
    after[1].table = linear(sdb, 4196352, rmeta_length);
    EXPECT_EQ(render(plan_transaction(live_state(before), DesiredGraph{after}, prefix)),
              "load VOLUMES-P1-lv1_rmeta_0: 0 8192 linear 8:16 4196352\n"
              "suspend VOLUMES-P1-lv1 flush skip-lockfs\n"
              "suspend VOLUMES-P1-lv1_rmeta_0 flush skip-lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv1_rmeta_0\n"
              "resume VOLUMES-P1-lv1\n"
              "wait-for-udev\n");
}

TEST(PlanReload, SuspendsWithTheDesiredMode)
{
    const auto before = raid1_set();
    auto after = before;
    after[0].suspend = SuspendMode{.no_flush = true, .skip_lockfs = true};
    after[1].table = linear(sdb, 4196352, rmeta_length);
    after[1].suspend = SuspendMode{.no_flush = false, .skip_lockfs = false};
    EXPECT_EQ(render(plan_transaction(live_state(before), DesiredGraph{after}, prefix)),
              "load VOLUMES-P1-lv1_rmeta_0: 0 8192 linear 8:16 4196352\n"
              "suspend VOLUMES-P1-lv1 no-flush skip-lockfs\n"
              "suspend VOLUMES-P1-lv1_rmeta_0 flush lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv1_rmeta_0\n"
              "resume VOLUMES-P1-lv1\n"
              "wait-for-udev\n");
}

TEST(PlanReload, ReadOnlyChangeReloadsTheSameTable)
{
    const auto lv0 = desired("lv0", linear(sdb, 2048, 204800));
    auto read_only = lv0;
    read_only.read_only = true;
    EXPECT_EQ(render(plan_transaction(live_state({lv0}), DesiredGraph{{read_only}}, prefix)),
              "load VOLUMES-P1-lv0 read-only: 0 204800 linear 8:16 2048\n"
              "suspend VOLUMES-P1-lv0 flush skip-lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv0\n"
              "wait-for-udev\n");
}

TEST(PlanReload, MultiLineTableComparedLineByLine)
{
    kmod::Table two_segments = linear(sdb, 2048, 100);
    two_segments.push_back(kmod::TableLine{100, 50, "linear", "8:32 2048"});
    auto moved = two_segments;
    moved[1].params = "8:32 4096";
    const auto before = desired("lv0", two_segments);
    const auto after = desired("lv0", moved);
    EXPECT_EQ(render(plan_transaction(live_state({before}), DesiredGraph{{before}}, prefix)), "commit-metadata\n");
    EXPECT_EQ(render(plan_transaction(live_state({before}), DesiredGraph{{after}}, prefix)),
              "load VOLUMES-P1-lv0: 0 100 linear 8:16 2048 | 100 50 linear 8:32 4096\n"
              "suspend VOLUMES-P1-lv0 flush skip-lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv0\n"
              "wait-for-udev\n");
}

// The raid1 grows: its images go live larger before its table loads (dm-raid checks their
// sizes then), without suspending it; the raid is suspended and resumed on its larger table.
TEST(PlanReload, ImagesThatGrowUnderARaidGoLiveBeforeItsTableLoads)
{
    const auto before = raid1_set();
    auto after = before;
    kmod::Raid1Table raid;
    raid.length = 2 * raid1_length;
    raid.region_size = 1024;
    raid.legs = {leg(0, 1), leg(2, 3)};
    after[0].table = table(kmod::raid1_table_line(raid));
    after[2].table = linear(sdb, 10240, 2 * raid1_length);  // the image's run continues
    after[4].table = linear(sdc, 10240, raid1_length);
    after[4].table.push_back(kmod::TableLine{raid1_length, raid1_length, "linear", "8:32 8398848"});
    EXPECT_EQ(render(plan_transaction(live_state(before), DesiredGraph{after}, prefix)),
              "load VOLUMES-P1-lv1_rimage_0: 0 4194304 linear 8:16 10240\n"
              "resume-new-child VOLUMES-P1-lv1_rimage_0 grown\n"
              "load VOLUMES-P1-lv1_rimage_1: 0 2097152 linear 8:32 10240 | 2097152 2097152 linear 8:32 8398848\n"
              "resume-new-child VOLUMES-P1-lv1_rimage_1 grown\n"
              "load VOLUMES-P1-lv1: 0 4194304 raid raid1 3 0 region_size 1024 2 253:0 253:1 253:2 253:3\n"
              "suspend VOLUMES-P1-lv1 flush skip-lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv1\n"
              "wait-for-udev\n");
    // Outside a raid a larger table reloads as any other.
    const auto lv0 = desired("lv0", linear(sdb, 2048, 100));
    const auto larger = desired("lv0", linear(sdb, 2048, 200));
    EXPECT_EQ(render(plan_transaction(live_state({lv0}), DesiredGraph{{larger}}, prefix)),
              "load VOLUMES-P1-lv0: 0 200 linear 8:16 2048\n"
              "suspend VOLUMES-P1-lv0 flush skip-lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv0\n"
              "wait-for-udev\n");
}

// A leg that moves is no grow: the raid is suspended before it reloads, as for any change.
TEST(PlanReload, AnImageWhoseMappingChangesIsNoGrow)
{
    const auto before = raid1_set();
    auto after = before;
    after[2].table = linear(sdb, 20480, 2 * raid1_length);
    EXPECT_EQ(render(plan_transaction(live_state(before), DesiredGraph{after}, prefix)),
              "load VOLUMES-P1-lv1_rimage_0: 0 4194304 linear 8:16 20480\n"
              "suspend VOLUMES-P1-lv1 flush skip-lockfs\n"
              "suspend VOLUMES-P1-lv1_rimage_0 flush skip-lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv1_rimage_0\n"
              "resume VOLUMES-P1-lv1\n"
              "wait-for-udev\n");
}

}  // namespace
}  // namespace volumes::planner
