#include <gtest/gtest.h>

#include "pool_fixture.hpp"
#include "raid1_fixture.hpp"
#include "service/planner/plan_transaction.hpp"

namespace volumes::planner {
namespace {

using namespace testing;

// Removing volume lv1, a raid1 with its four legs, while lv0 stays: every leaving device gets
// an error table, all are suspended top-down, resumed bottom-up on error, then removed top
// first. lv0 is never touched.
TEST(PlanStackRemoval, WholeRaid1StackLeaves)
{
    const auto lv0 = desired("lv0", linear(sdb, 2107392, 204800));
    std::vector<DesiredDevice> before{lv0};
    for (auto& device : raid1_set())
        before.push_back(device);
    EXPECT_EQ(render(plan_transaction(live_state(before), DesiredGraph{{lv0}}, prefix)),
              "load-error VOLUMES-P1-lv1_rmeta_0 8192\n"
              "load-error VOLUMES-P1-lv1_rimage_0 2097152\n"
              "load-error VOLUMES-P1-lv1_rmeta_1 8192\n"
              "load-error VOLUMES-P1-lv1_rimage_1 2097152\n"
              "load-error VOLUMES-P1-lv1 2097152\n"
              "suspend VOLUMES-P1-lv1 flush lockfs as udev knows it\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv1 as internal\n"
              "resume VOLUMES-P1-lv1_rmeta_0 as internal\n"
              "resume VOLUMES-P1-lv1_rimage_0 as internal\n"
              "resume VOLUMES-P1-lv1_rmeta_1 as internal\n"
              "resume VOLUMES-P1-lv1_rimage_1 as internal\n"
              "remove VOLUMES-P1-lv1\n"
              "remove VOLUMES-P1-lv1_rmeta_0\n"
              "remove VOLUMES-P1-lv1_rimage_0\n"
              "remove VOLUMES-P1-lv1_rmeta_1\n"
              "remove VOLUMES-P1-lv1_rimage_1\n"
              "wait-for-udev\n");
}

TEST(PlanStackRemoval, RefusedWhileTheTopIsMounted)
{
    auto live = live_state(raid1_set());
    live.devices[0].open_count = 1;
    const auto plan = plan_transaction(live, {}, prefix);
    ASSERT_FALSE(plan.has_value()) << render(plan);
    EXPECT_EQ(plan.error().code, ErrorCode::Busy) << plan.error().message;
    EXPECT_NE(plan.error().message.find("volumes-p1-lv1 "), std::string::npos) << plan.error().message;
}

}  // namespace
}  // namespace volumes::planner
