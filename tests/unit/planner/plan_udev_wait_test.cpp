// Which resumes the caller waits for udev on (Resume::awaited): only devices that get their
// first table and are not internal. Internal layers are left to udev after the reply, and so
// are tables changed under an existing node (PlanReload.*: their resumes are not awaited).
#include <gtest/gtest.h>

#include "pool_fixture.hpp"
#include "service/planner/plan_transaction.hpp"

namespace volumes::planner {
namespace {

using namespace testing;

DesiredDevice with_identity(DesiredDevice device, kmod::UdevIdentity identity)
{
    device.udev_identity = identity;
    return device;
}

TEST(PlanUdevWait, NewInternalLayersAreNotAwaitedTheirVisibleTopIs)
{
    const auto leg = with_identity(desired("lv0_inner", linear(sdb, 2048, 204800)), kmod::UdevIdentity::Internal);
    const auto top = desired("lv0", linear(dm(0), 0, 204800), {"lv0_inner"});
    EXPECT_EQ(render(plan_transaction({}, DesiredGraph{{leg, top}}, prefix)),
              "create volumes-p1-lv0_inner VOLUMES-P1-lv0_inner\n"
              "load VOLUMES-P1-lv0_inner: 0 204800 linear 8:16 2048\n"
              "resume-new-child VOLUMES-P1-lv0_inner as internal\n"
              "create volumes-p1-lv0 VOLUMES-P1-lv0\n"
              "load VOLUMES-P1-lv0: 0 204800 linear 253:0 0\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv0 awaited\n"
              "wait-for-udev\n");
}

TEST(PlanUdevWait, ANewLowPriorityDeviceIsAwaited)
{
    const auto snapshot = with_identity(desired("snap", linear(sdc, 2048, 8192)), kmod::UdevIdentity::LowPriority);
    EXPECT_EQ(render(plan_transaction({}, DesiredGraph{{snapshot}}, prefix)),
              "create volumes-p1-snap VOLUMES-P1-snap\n"
              "load VOLUMES-P1-snap: 0 8192 linear 8:32 2048\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-snap as low-priority awaited\n"
              "wait-for-udev\n");
}

}  // namespace
}  // namespace volumes::planner
