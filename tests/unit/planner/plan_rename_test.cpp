#include <gtest/gtest.h>

#include "pool_fixture.hpp"
#include "raid1_fixture.hpp"
#include "service/planner/plan_transaction.hpp"

namespace volumes::planner {
namespace {

using namespace testing;

// A device whose name changes keeps its table: it is renamed in place after the commit, and
// the reply waits for udev to move its node.
TEST(PlanRename, ARenamedDeviceIsRenamedAfterTheCommitWithoutASuspend)
{
    const auto before = desired("lv0", linear(sdb, 2048, 204800));
    auto after = before;
    after.name = "volumes-p1-home";
    EXPECT_EQ(render(plan_transaction(live_state({before}), DesiredGraph{{after}}, prefix)),
              "commit-metadata\n"
              "rename VOLUMES-P1-lv0 volumes-p1-lv0 to volumes-p1-home\n"
              "wait-for-udev\n");
}

// Every device of a stack is renamed, each with its own udev identity, bottom-up.
TEST(PlanRename, EveryLayerOfARaid1IsRenamedWithItsIdentity)
{
    const auto before = raid1_set();
    auto after = before;
    for (auto& device : after) {
        device.name.replace(device.name.find("lv1"), 3, "data");
        if (device.name.find('_') != std::string::npos)
            device.udev_identity = kmod::UdevIdentity::Internal;
    }
    const auto plan = render(plan_transaction(live_state(before), DesiredGraph{after}, prefix));
    EXPECT_EQ(plan.rfind("commit-metadata\n", 0), 0u) << plan;
    for (std::size_t i = 0; i < after.size(); ++i) {
        const auto& device = after[i];
        const bool internal = device.udev_identity == kmod::UdevIdentity::Internal;
        EXPECT_NE(plan.find("rename " + device.uuid + " " + before[i].name + " to " + device.name +
                            (internal ? " as internal\n" : "\n")),
                  std::string::npos)
            << device.name << " in\n" << plan;
    }
    EXPECT_EQ(plan.find("rename VOLUMES-P1-lv1 "), plan.rfind("rename ")) << "the array goes last:\n" << plan;
    EXPECT_EQ(plan.find("suspend"), std::string::npos) << plan;
}

}  // namespace
}  // namespace volumes::planner
