#include <gtest/gtest.h>

#include "pool_fixture.hpp"
#include "raid1_fixture.hpp"
#include "service/planner/plan_transaction.hpp"

namespace volumes::planner {
namespace {

using namespace testing;

TEST(PlanCreate, NewLinearVolume)
{
    const DesiredGraph graph{{desired("lv0", linear(sdb, 2048, 204800))}};
    EXPECT_EQ(render(plan_transaction({}, graph, prefix)),
              "create volumes-p1-lv0 VOLUMES-P1-lv0\n"
              "load VOLUMES-P1-lv0: 0 204800 linear 8:16 2048\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv0 awaited\n"
              "wait-for-udev\n");
}

TEST(PlanCreate, NewVolumeLeavesTheOthersAlone)
{
    const auto lv0 = desired("lv0", linear(sdb, 2048, 204800));
    const auto lv2 = desired("lv2", linear(sdc, 2048, 409600));
    EXPECT_EQ(render(plan_transaction(live_state({lv0}), DesiredGraph{{lv0, lv2}}, prefix)),
              "create volumes-p1-lv2 VOLUMES-P1-lv2\n"
              "load VOLUMES-P1-lv2: 0 409600 linear 8:32 2048\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv2 awaited\n"
              "wait-for-udev\n");
}

TEST(PlanCreate, NewReadOnlyVolumeIsCreatedAndLoadedReadOnly)
{
    auto lv0 = desired("lv0", linear(sdb, 2048, 204800));
    lv0.read_only = true;
    EXPECT_EQ(render(plan_transaction({}, DesiredGraph{{lv0}}, prefix)),
              "create volumes-p1-lv0 VOLUMES-P1-lv0 read-only\n"
              "load VOLUMES-P1-lv0 read-only: 0 204800 linear 8:16 2048\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv0 awaited\n"
              "wait-for-udev\n");
}

TEST(PlanCreate, NewRaid1CreatesAndLoadsItsLegsBeforeTheTop)
{
    // The legs go live before the array's table is loaded: dm-raid checks its components'
    // sizes at load, and a device without a live table has none.
    EXPECT_EQ(render(plan_transaction({}, DesiredGraph{raid1_set()}, prefix)),
              "create volumes-p1-lv1_rmeta_0 VOLUMES-P1-lv1_rmeta_0\n"
              "load VOLUMES-P1-lv1_rmeta_0: 0 8192 linear 8:16 2048\n"
              "resume-new-child VOLUMES-P1-lv1_rmeta_0 awaited\n"
              "create volumes-p1-lv1_rimage_0 VOLUMES-P1-lv1_rimage_0\n"
              "load VOLUMES-P1-lv1_rimage_0: 0 2097152 linear 8:16 10240\n"
              "resume-new-child VOLUMES-P1-lv1_rimage_0 awaited\n"
              "create volumes-p1-lv1_rmeta_1 VOLUMES-P1-lv1_rmeta_1\n"
              "load VOLUMES-P1-lv1_rmeta_1: 0 8192 linear 8:32 2048\n"
              "resume-new-child VOLUMES-P1-lv1_rmeta_1 awaited\n"
              "create volumes-p1-lv1_rimage_1 VOLUMES-P1-lv1_rimage_1\n"
              "load VOLUMES-P1-lv1_rimage_1: 0 2097152 linear 8:32 10240\n"
              "resume-new-child VOLUMES-P1-lv1_rimage_1 awaited\n"
              "create volumes-p1-lv1 VOLUMES-P1-lv1\n"
              "load VOLUMES-P1-lv1: 0 2097152 raid raid1 3 0 region_size 1024 2 253:0 253:1 253:2 253:3\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv1 awaited\n"
              "wait-for-udev\n");
}

}  // namespace
}  // namespace volumes::planner
