#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "graph_fixture.hpp"

namespace volumes::graph {
namespace {

using namespace testing;

model::Pool pool_with_raid1()
{
    auto pool = empty_pool();
    pool.volumes.push_back(volume(1, "lv1", two_leg_raid1()));
    return pool;
}

// Slot 1 split off as the read-only volume "split" (volume 2).
model::Pool pool_with_tracked_slot_1()
{
    auto pool = pool_with_raid1();
    std::get<model::Raid1Layout>(pool.volumes[0].layout).legs[1].tracked_image = volume_uuid(2);
    pool.volumes.push_back(volume(2, "split", model::TrackedImageLayout{volume_uuid(1), 1}));
    return pool;
}

DeviceNumbers raid1_numbers()
{
    return numbered({dev_uuid(1, "rmeta_0"), dev_uuid(1, "rimage_0"), dev_uuid(1, "rmeta_1"), dev_uuid(1, "rimage_1")});
}

TEST(DeriveRaid1, SubDevicesPerSlotThenTheArray)
{
    const auto derived = derive_graph(pool_with_raid1(), placements(), raid1_numbers());
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_EQ(render(derived),
              "volumes-p1-lv1_rmeta_0: 0 8192 linear 8:16 2048\n"
              "volumes-p1-lv1_rimage_0: 0 2097152 linear 8:16 10240\n"
              "volumes-p1-lv1_rmeta_1: 0 8192 linear 8:32 2048\n"
              "volumes-p1-lv1_rimage_1: 0 2097152 linear 8:32 10240\n"
              "volumes-p1-lv1 <- volumes-p1-lv1_rmeta_0, volumes-p1-lv1_rimage_0, volumes-p1-lv1_rmeta_1, "
              "volumes-p1-lv1_rimage_1: 0 2097152 raid raid1 3 0 region_size 1024 2 253:0 253:1 253:2 253:3\n");
    EXPECT_EQ(uuids_of(derived->graph),
              (std::vector<std::string>{
                  "VOLUMES-11111111-2222-4333-8444-555555555555-00000000-0000-4000-8000-000000000001-rmeta_0",
                  "VOLUMES-11111111-2222-4333-8444-555555555555-00000000-0000-4000-8000-000000000001-rimage_0",
                  "VOLUMES-11111111-2222-4333-8444-555555555555-00000000-0000-4000-8000-000000000001-rmeta_1",
                  "VOLUMES-11111111-2222-4333-8444-555555555555-00000000-0000-4000-8000-000000000001-rimage_1",
                  "VOLUMES-11111111-2222-4333-8444-555555555555-00000000-0000-4000-8000-000000000001",
              }));
    for (const auto& device : derived->graph.devices)
        EXPECT_EQ(device.suspend, planner::SuspendMode{}) << device.name;
    EXPECT_TRUE(derived->unresolved.empty());
}

TEST(DeriveRaid1, TrackedSlotIsDashDashAndTheImageIsReadOnly)
{
    const auto derived = derive_graph(pool_with_tracked_slot_1(), placements(), raid1_numbers());
    EXPECT_EQ(render(derived),
              "volumes-p1-lv1_rmeta_0: 0 8192 linear 8:16 2048\n"
              "volumes-p1-lv1_rimage_0: 0 2097152 linear 8:16 10240\n"
              "volumes-p1-lv1 <- volumes-p1-lv1_rmeta_0, volumes-p1-lv1_rimage_0: "
              "0 2097152 raid raid1 3 0 region_size 1024 2 253:0 253:1 - -\n"
              "volumes-p1-split read-only: 0 2097152 linear 8:32 10240\n");
    ASSERT_TRUE(derived.has_value());
    EXPECT_EQ(derived->graph.devices.back().uuid, dev_uuid(2));
}

TEST(DeriveRaid1, TrackedSlot0)
{
    auto pool = pool_with_raid1();
    std::get<model::Raid1Layout>(pool.volumes[0].layout).legs[0].tracked_image = volume_uuid(2);
    pool.volumes.push_back(volume(2, "split", model::TrackedImageLayout{volume_uuid(1), 0}));
    EXPECT_EQ(render(derive_graph(pool, placements(), raid1_numbers())),
              "volumes-p1-lv1_rmeta_1: 0 8192 linear 8:32 2048\n"
              "volumes-p1-lv1_rimage_1: 0 2097152 linear 8:32 10240\n"
              "volumes-p1-lv1 <- volumes-p1-lv1_rmeta_1, volumes-p1-lv1_rimage_1: "
              "0 2097152 raid raid1 3 0 region_size 1024 2 - - 253:2 253:3\n"
              "volumes-p1-split read-only: 0 2097152 linear 8:16 10240\n");
}

TEST(DeriveRaid1, InactiveArrayKeepsItsTrackedImage)
{
    auto pool = pool_with_tracked_slot_1();
    pool.volumes[0].active = false;
    EXPECT_EQ(render(derive_graph(pool, placements(), {})), "volumes-p1-split read-only: 0 2097152 linear 8:32 10240\n");
}

TEST(DeriveRaid1, InactiveTrackedImageStillLeavesItsSlotDashDash)
{
    auto pool = pool_with_tracked_slot_1();
    pool.volumes[1].active = false;
    EXPECT_EQ(render(derive_graph(pool, placements(), raid1_numbers())),
              "volumes-p1-lv1_rmeta_0: 0 8192 linear 8:16 2048\n"
              "volumes-p1-lv1_rimage_0: 0 2097152 linear 8:16 10240\n"
              "volumes-p1-lv1 <- volumes-p1-lv1_rmeta_0, volumes-p1-lv1_rimage_0: "
              "0 2097152 raid raid1 3 0 region_size 1024 2 253:0 253:1 - -\n");
}

TEST(DeriveRaid1, InactiveArrayHasNoDevices)
{
    auto pool = pool_with_raid1();
    pool.volumes[0].active = false;
    const auto derived = derive_graph(pool, placements(), {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_TRUE(derived->graph.devices.empty());
}

// The array would still map the extents the image maps read-only.
TEST(DeriveRaid1, TrackedImageOfASlotThatDoesNotTrackItIsRefused)
{
    auto pool = pool_with_raid1();
    pool.volumes.push_back(volume(2, "split", model::TrackedImageLayout{volume_uuid(1), 1}));
    EXPECT_TRUE(volumes::testing::fails_with(derive_graph(pool, placements(), raid1_numbers()),
                                             model::ErrorCode::InvalidArgument));
}

TEST(DeriveRaid1, TrackedImageOfAMissingSlotIsRefused)
{
    auto pool = pool_with_tracked_slot_1();
    std::get<model::TrackedImageLayout>(pool.volumes[1].layout).slot = 2;
    EXPECT_TRUE(volumes::testing::fails_with(derive_graph(pool, placements(), raid1_numbers()),
                                             model::ErrorCode::InvalidArgument));
}

TEST(DeriveRaid1, UnresolvedSubDevicesAreListedAndStandIn)
{
    const auto derived = derive_graph(pool_with_raid1(), placements(), {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_EQ(kmod::to_string(derived->graph.devices.back().table),
              "0 2097152 raid raid1 3 0 region_size 1024 2 0:0 0:1 0:2 0:3");
    EXPECT_EQ(derived->unresolved, (std::vector<std::string>{dev_uuid(1, "rmeta_0"), dev_uuid(1, "rimage_0"),
                                                             dev_uuid(1, "rmeta_1"), dev_uuid(1, "rimage_1")}));
}

TEST(DeriveRaid1, OneUnresolvedSubDeviceIs0Colon0)
{
    auto numbers = raid1_numbers();
    numbers.erase(dev_uuid(1, "rimage_1"));
    const auto derived = derive_graph(pool_with_raid1(), placements(), numbers);
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_EQ(kmod::to_string(derived->graph.devices.back().table),
              "0 2097152 raid raid1 3 0 region_size 1024 2 253:0 253:1 253:2 0:0");
    EXPECT_EQ(derived->unresolved, std::vector<std::string>{dev_uuid(1, "rimage_1")});
}

TEST(DeriveRaid1, LegOnAMissingMemberIsDashDash)
{
    auto members = placements();
    members.erase(m2());
    const auto derived = derive_graph(pool_with_raid1(), members, raid1_numbers());
    EXPECT_EQ(render(derived),
              "volumes-p1-lv1_rmeta_0: 0 8192 linear 8:16 2048\n"
              "volumes-p1-lv1_rimage_0: 0 2097152 linear 8:16 10240\n"
              "volumes-p1-lv1 <- volumes-p1-lv1_rmeta_0, volumes-p1-lv1_rimage_0: "
              "0 2097152 raid raid1 3 0 region_size 1024 2 253:0 253:1 - -\n");
    ASSERT_TRUE(derived.has_value());
    EXPECT_TRUE(derived->unavailable.empty());
}

TEST(DeriveRaid1, LegOnAFailedMemberIsDashDashThoughPresent)
{
    auto pool = pool_with_raid1();
    pool.members[0].failed = true;
    const auto derived = derive_graph(pool, placements(), raid1_numbers());
    EXPECT_EQ(render(derived),
              "volumes-p1-lv1_rmeta_1: 0 8192 linear 8:32 2048\n"
              "volumes-p1-lv1_rimage_1: 0 2097152 linear 8:32 10240\n"
              "volumes-p1-lv1 <- volumes-p1-lv1_rmeta_1, volumes-p1-lv1_rimage_1: "
              "0 2097152 raid raid1 3 0 region_size 1024 2 - - 253:2 253:3\n");
}

TEST(DeriveRaid1, LegsOnFailedMembersStillRunWhenNoOtherLegCan)
{
    auto pool = pool_with_raid1();
    pool.members[0].failed = true;
    auto members = placements();
    members.erase(m2());
    const auto derived = derive_graph(pool, members, raid1_numbers());
    EXPECT_EQ(render(derived),
              "volumes-p1-lv1_rmeta_0: 0 8192 linear 8:16 2048\n"
              "volumes-p1-lv1_rimage_0: 0 2097152 linear 8:16 10240\n"
              "volumes-p1-lv1 <- volumes-p1-lv1_rmeta_0, volumes-p1-lv1_rimage_0: "
              "0 2097152 raid raid1 3 0 region_size 1024 2 253:0 253:1 - -\n");
}

TEST(DeriveRaid1, ARebuildingLegLoadsWithRebuild)
{
    auto pool = pool_with_raid1();
    std::get<model::Raid1Layout>(pool.volumes[0].layout).legs[1].rebuilding = true;
    EXPECT_EQ(render(derive_graph(pool, placements(), raid1_numbers())),
              "volumes-p1-lv1_rmeta_0: 0 8192 linear 8:16 2048\n"
              "volumes-p1-lv1_rimage_0: 0 2097152 linear 8:16 10240\n"
              "volumes-p1-lv1_rmeta_1: 0 8192 linear 8:32 2048\n"
              "volumes-p1-lv1_rimage_1: 0 2097152 linear 8:32 10240\n"
              "volumes-p1-lv1 <- volumes-p1-lv1_rmeta_0, volumes-p1-lv1_rimage_0, volumes-p1-lv1_rmeta_1, "
              "volumes-p1-lv1_rimage_1: 0 2097152 raid raid1 5 0 rebuild 1 region_size 1024 2 253:0 253:1 253:2 "
              "253:3\n");
}

TEST(DeriveRaid1, ARebuildingLegOnAFailedMemberIsDashDashWithoutRebuild)
{
    auto pool = pool_with_raid1();
    std::get<model::Raid1Layout>(pool.volumes[0].layout).legs[0].rebuilding = true;
    pool.members[0].failed = true;
    EXPECT_EQ(render(derive_graph(pool, placements(), raid1_numbers())),
              "volumes-p1-lv1_rmeta_1: 0 8192 linear 8:32 2048\n"
              "volumes-p1-lv1_rimage_1: 0 2097152 linear 8:32 10240\n"
              "volumes-p1-lv1 <- volumes-p1-lv1_rmeta_1, volumes-p1-lv1_rimage_1: "
              "0 2097152 raid raid1 3 0 region_size 1024 2 - - 253:2 253:3\n");
}

TEST(DeriveRaid1, ARebuildingLegThatIsTheOnlyOneRunningLoadsWithoutRebuild)
{
    auto pool = pool_with_raid1();
    std::get<model::Raid1Layout>(pool.volumes[0].layout).legs[1].rebuilding = true;
    pool.members[0].failed = true;
    auto members = placements();
    members.erase(m1());
    EXPECT_EQ(render(derive_graph(pool, members, raid1_numbers())),
              "volumes-p1-lv1_rmeta_1: 0 8192 linear 8:32 2048\n"
              "volumes-p1-lv1_rimage_1: 0 2097152 linear 8:32 10240\n"
              "volumes-p1-lv1 <- volumes-p1-lv1_rmeta_1, volumes-p1-lv1_rimage_1: "
              "0 2097152 raid raid1 3 0 region_size 1024 2 - - 253:2 253:3\n");
}

TEST(DeriveRaid1, ArrayWithEveryMemberMissingHasNoDevicesAndSaysWhy)
{
    const auto derived = derive_graph(pool_with_raid1(), {}, {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_TRUE(derived->graph.devices.empty());
    ASSERT_EQ(derived->unavailable.size(), 1u);
    EXPECT_NE(derived->unavailable.at(volume_uuid(1)).find("none of its images can run"), std::string::npos);
}

TEST(DeriveRaid1, RegionSizeTheBuilderRefusesIsReported)
{
    auto pool = pool_with_raid1();
    std::get<model::Raid1Layout>(pool.volumes[0].layout).region_size = 3 << 10;
    EXPECT_TRUE(volumes::testing::fails_with(derive_graph(pool, placements(), raid1_numbers()),
                                             model::ErrorCode::InvalidArgument));
}

}  // namespace
}  // namespace volumes::graph
