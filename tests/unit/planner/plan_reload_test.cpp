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

}  // namespace
}  // namespace volumes::planner
