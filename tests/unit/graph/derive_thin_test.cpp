#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "graph_fixture.hpp"

namespace volumes::graph {
namespace {

using namespace testing;

// Thin pool "tp" (volume 1): tmeta one extent of m1, tdata four extents of m2, 64 KiB blocks;
// thin volume "thin1" (volume 2), 1 GiB, thin id 3.
model::ThinPoolLayout thin_pool_layout()
{
    model::ThinPoolLayout layout;
    layout.meta = {run(m1(), 0, 1)};
    layout.data = {run(m2(), 0, 4)};
    layout.block_size = 64 << 10;
    layout.low_water_blocks = 16;
    layout.error_if_no_space = true;
    layout.next_thin_id = 4;
    return layout;
}

model::Volume thin1()
{
    return volume(2, "thin1", model::ThinLayout{volume_uuid(1), 3, std::nullopt, 1 << 30});
}

model::Pool pool_with_thin()
{
    auto pool = empty_pool();
    pool.volumes.push_back(volume(1, "tp", thin_pool_layout()));
    pool.volumes.push_back(thin1());
    return pool;
}

DeviceNumbers thin_numbers()
{
    return numbered({dev_uuid(1, "tmeta"), dev_uuid(1, "tdata"), dev_uuid(1)});
}

constexpr std::string_view pool_and_thin =
    "volumes-p1-tp_tmeta: 0 8192 linear 8:16 2048\n"
    "volumes-p1-tp_tdata: 0 32768 linear 8:32 2048\n"
    "volumes-p1-tp no-flush <- volumes-p1-tp_tmeta, volumes-p1-tp_tdata: "
    "0 32768 thin-pool 253:0 253:1 128 16 1 error_if_no_space\n"
    "volumes-p1-thin1 no-flush <- volumes-p1-tp: 0 2097152 thin 253:2 3\n";

TEST(DeriveThin, PoolOverTmetaAndTdataThenThin)
{
    const auto derived = derive_graph(pool_with_thin(), placements(), thin_numbers());
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_EQ(render(derived), pool_and_thin);
    EXPECT_EQ(uuids_of(derived->graph),
              (std::vector<std::string>{dev_uuid(1, "tmeta"), dev_uuid(1, "tdata"), dev_uuid(1), dev_uuid(2)}));
    EXPECT_EQ(derived->graph.devices[0].suspend, planner::SuspendMode{});
    EXPECT_EQ(derived->graph.devices[2].suspend, (planner::SuspendMode{.no_flush = true, .skip_lockfs = true}));
    EXPECT_TRUE(derived->unresolved.empty());
}

TEST(DeriveThin, ThinListedBeforeItsPoolStillComesAfter)
{
    auto pool = pool_with_thin();
    std::swap(pool.volumes[0], pool.volumes[1]);
    EXPECT_EQ(render(derive_graph(pool, placements(), thin_numbers())), pool_and_thin);
}

TEST(DeriveThin, QueueIfNoSpaceHasNoFeature)
{
    auto pool = pool_with_thin();
    std::get<model::ThinPoolLayout>(pool.volumes[0].layout).error_if_no_space = false;
    const auto derived = derive_graph(pool, placements(), thin_numbers());
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_EQ(kmod::to_string(derived->graph.devices.at(2).table), "0 32768 thin-pool 253:0 253:1 128 16 0");
}

TEST(DeriveThin, InactiveThinLeavesThePool)
{
    auto pool = pool_with_thin();
    pool.volumes[1].active = false;
    EXPECT_EQ(render(derive_graph(pool, placements(), thin_numbers())),
              "volumes-p1-tp_tmeta: 0 8192 linear 8:16 2048\n"
              "volumes-p1-tp_tdata: 0 32768 linear 8:32 2048\n"
              "volumes-p1-tp no-flush <- volumes-p1-tp_tmeta, volumes-p1-tp_tdata: "
              "0 32768 thin-pool 253:0 253:1 128 16 1 error_if_no_space\n");
}

TEST(DeriveThin, ActiveThinOfAnInactivePoolIsRefused)
{
    auto pool = pool_with_thin();
    pool.volumes[0].active = false;
    EXPECT_TRUE(volumes::testing::fails_with(derive_graph(pool, placements(), thin_numbers()),
                                             model::ErrorCode::InvalidArgument));
}

TEST(DeriveThin, InactivePoolAndThinHaveNoDevices)
{
    auto pool = pool_with_thin();
    pool.volumes[0].active = false;
    pool.volumes[1].active = false;
    const auto derived = derive_graph(pool, placements(), {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_TRUE(derived->graph.devices.empty());
}

TEST(DeriveThin, ThinOfAVolumeThatIsNotAThinPoolIsRefused)
{
    auto pool = empty_pool();
    pool.volumes.push_back(volume(1, "lv0", origin_linear()));
    pool.volumes.push_back(thin1());
    EXPECT_TRUE(volumes::testing::fails_with(derive_graph(pool, placements(), {}), model::ErrorCode::InvalidArgument));
}

// The stand-ins for tmeta and tdata differ, as thin-pool refuses one device as both.
TEST(DeriveThin, UnresolvedTmetaTdataAndPool)
{
    const auto derived = derive_graph(pool_with_thin(), placements(), {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_EQ(kmod::to_string(derived->graph.devices.at(2).table),
              "0 32768 thin-pool 0:0 0:1 128 16 1 error_if_no_space");
    EXPECT_EQ(kmod::to_string(derived->graph.devices.at(3).table), "0 2097152 thin 0:2 3");
    EXPECT_EQ(derived->unresolved, (std::vector<std::string>{dev_uuid(1, "tmeta"), dev_uuid(1, "tdata"), dev_uuid(1)}));
}

TEST(DeriveThin, BlockSizeTheBuilderRefusesIsReported)
{
    auto pool = pool_with_thin();
    std::get<model::ThinPoolLayout>(pool.volumes[0].layout).block_size = 4096;
    EXPECT_TRUE(volumes::testing::fails_with(derive_graph(pool, placements(), thin_numbers()),
                                             model::ErrorCode::InvalidArgument));
}

}  // namespace
}  // namespace volumes::graph
