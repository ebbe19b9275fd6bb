#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "graph_fixture.hpp"

namespace volumes::graph {
namespace {

using namespace testing;

// lv0: three extents of m1 from extent 2, then one of m2 from extent 0; the m1 run being moved
// to extents 5..7 of m2.
model::Pool pool_moving_lv0()
{
    auto pool = empty_pool();
    pool.volumes.push_back(volume(1, "lv0", model::LinearLayout{{run(m1(), 2, 3), run(m2(), 0, 1)}}));
    pool.extent_move = model::ExtentMove{m1(), true, true, 1024, {{volume_uuid(1), run(m1(), 2, 3), {run(m2(), 5, 3)}}}};
    return pool;
}

TEST(DeriveExtentMove, TheMovedRunGoesThroughARaid1OfTheRunAndItsDestination)
{
    const auto derived = derive_graph(pool_moving_lv0(), placements(), {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_EQ(render(derived),
              "volumes-p1-lv0_pvmove0_from: 0 24576 linear 8:16 18432\n"
              "volumes-p1-lv0_pvmove0_to: 0 24576 linear 8:32 43008\n"
              "volumes-p1-lv0_pvmove0 <- volumes-p1-lv0_pvmove0_from, volumes-p1-lv0_pvmove0_to: "
              "0 24576 raid raid1 7 0 rebuild 1 max_recovery_rate 1024 write_mostly 1 2 - 0:0 - 0:1\n"
              "volumes-p1-lv0 <- volumes-p1-lv0_pvmove0: 0 24576 linear 0:2 0 | 24576 8192 linear 8:32 2048\n");
    const auto& devices = derived->graph.devices;
    ASSERT_EQ(devices.size(), 4u);
    EXPECT_EQ(devices[2].children, (std::vector<std::string>{dev_uuid(1, "pvmove0_from"), dev_uuid(1, "pvmove0_to")}));
    EXPECT_EQ(devices[3].children, std::vector<std::string>{dev_uuid(1, "pvmove0")});
    EXPECT_EQ(devices[0].udev_identity, kmod::UdevIdentity::Internal);
    EXPECT_EQ(devices[2].udev_identity, kmod::UdevIdentity::Internal);
}

TEST(DeriveExtentMove, BeforeTheCopiesStartTheRaid1HasNoRebuild)
{
    auto pool = pool_moving_lv0();
    pool.extent_move->copying = false;
    pool.extent_move->max_rate_kibs.reset();
    const auto derived = derive_graph(pool, placements(), {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_EQ(derived->graph.devices.at(2).name, "volumes-p1-lv0_pvmove0");
    EXPECT_EQ(kmod::to_string(derived->graph.devices.at(2).table),
              "0 24576 raid raid1 3 0 write_mostly 1 2 - 0:0 - 0:1");
}

TEST(DeriveExtentMove, WithoutTheRecordTheVolumeMapsItsMembersAgain)
{
    auto pool = pool_moving_lv0();
    pool.extent_move.reset();
    const auto derived = derive_graph(pool, placements(), {});
    EXPECT_EQ(render(derived), "volumes-p1-lv0: 0 24576 linear 8:16 18432 | 24576 8192 linear 8:32 2048\n");
}

}  // namespace
}  // namespace volumes::graph
