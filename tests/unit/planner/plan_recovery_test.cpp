#include <gtest/gtest.h>

#include "pool_fixture.hpp"
#include "service/planner/plan_transaction.hpp"

// States a crash or a failed transaction leaves behind.
namespace volumes::planner {
namespace {

using namespace testing;

DesiredDevice lv0()
{
    return desired("lv0", linear(sdb, 2048, 204800));
}

// Created, never loaded: the caller ran the Create steps first to learn device numbers.
TEST(PlanRecovery, CreatedDeviceWithoutTableGetsLoadedAndResumed)
{
    const LiveState live_pool{{live("lv0", {})}};
    EXPECT_EQ(render(plan_transaction(live_pool, DesiredGraph{{lv0()}}, prefix)),
              "load VOLUMES-P1-lv0: 0 204800 linear 8:16 2048\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv0 awaited\n"
              "wait-for-udev\n");
}

TEST(PlanRecovery, StaleInactiveTableIsOverwrittenBeforeAnyResume)
{
    auto live_pool = live_state({lv0()});
    live_pool.devices[0].has_inactive_table = true;
    EXPECT_EQ(render(plan_transaction(live_pool, DesiredGraph{{lv0()}}, prefix)),
              "load VOLUMES-P1-lv0: 0 204800 linear 8:16 2048\n"
              "suspend VOLUMES-P1-lv0 flush skip-lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv0\n"
              "wait-for-udev\n");
}

TEST(PlanRecovery, SuspendedDeviceIsResumedNotSuspendedAgain)
{
    auto live_pool = live_state({lv0()});
    live_pool.devices[0].suspended = true;
    EXPECT_EQ(render(plan_transaction(live_pool, DesiredGraph{{lv0()}}, prefix)),
              "commit-metadata\n"
              "resume VOLUMES-P1-lv0\n"
              "wait-for-udev\n");
}

// A crash between suspend and commit: the device is suspended with the new table inactive.
TEST(PlanRecovery, CrashAfterSuspendReloadsAndResumesWithoutSuspendingAgain)
{
    const auto a = desired("a", linear(dm(0), 0, 100), {"b"});
    const auto b = desired("b", linear(sdb, 2048, 100));
    auto live_pool = live_state({a, b});
    for (auto& device : live_pool.devices) {
        device.suspended = true;
        device.has_inactive_table = true;
    }
    live_pool.devices[0].has_inactive_table = false;
    EXPECT_EQ(render(plan_transaction(live_pool, DesiredGraph{{a, b}}, prefix)),
              "load VOLUMES-P1-b: 0 100 linear 8:16 2048\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-b\n"
              "resume VOLUMES-P1-a\n"
              "wait-for-udev\n");
}

TEST(PlanRecovery, LeavingDeviceWithoutTableIsOnlyRemoved)
{
    auto live_pool = live_state({lv0()});
    live_pool.devices.push_back(live("lv9", {}));
    EXPECT_EQ(render(plan_transaction(live_pool, DesiredGraph{{lv0()}}, prefix)),
              "commit-metadata\n"
              "remove VOLUMES-P1-lv9\n"
              "wait-for-udev\n");
}

// Reverting a transaction that created n (253:1) and loaded a's inactive table onto it: n is
// open only through that inactive table, which the Load of a's committed table drops.
TEST(PlanRecovery, RevertDropsADeviceOnlyAStaleInactiveTableHolds)
{
    const auto a = desired("a", linear(sdb, 2048, 100));
    auto live_pool = live_state({a});
    live_pool.devices[0].has_inactive_table = true;
    auto n = live("n", {});
    n.has_inactive_table = true;
    n.open_count = 1;
    live_pool.devices.push_back(n);
    EXPECT_EQ(render(plan_transaction(live_pool, DesiredGraph{{a}}, prefix)),
              "load VOLUMES-P1-a: 0 100 linear 8:16 2048\n"
              "suspend VOLUMES-P1-a flush skip-lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-a\n"
              "remove VOLUMES-P1-n\n"
              "wait-for-udev\n");
}

TEST(PlanRecovery, DevicesOutsideThePrefixAreNeverTouched)
{
    auto live_pool = live_state({lv0()});
    LiveDevice other_pool = live("lv0", linear(sdc, 2048, 100));
    other_pool.name = "volumes-p2-lv0";
    other_pool.uuid = "VOLUMES-P2-lv0";
    other_pool.has_inactive_table = true;
    LiveDevice lvm;
    lvm.name = "vg-root";
    lvm.uuid = "LVM-abcdef";
    lvm.table = linear(sdc, 4096, 100);
    lvm.suspended = true;
    live_pool.devices.push_back(other_pool);
    live_pool.devices.push_back(lvm);
    EXPECT_EQ(render(plan_transaction(live_pool, {}, prefix)),
              "load-error VOLUMES-P1-lv0 204800\n"
              "suspend VOLUMES-P1-lv0 flush lockfs as udev knows it\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv0 as internal\n"
              "remove VOLUMES-P1-lv0\n"
              "wait-for-udev\n");
}

}  // namespace
}  // namespace volumes::planner
