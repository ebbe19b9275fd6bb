#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "graph_fixture.hpp"

namespace volumes::graph {
namespace {

using namespace testing;

// Three extents of m1 from extent 2, then one of m2 from extent 0.
model::Pool pool_with_linear_over_two_members()
{
    auto pool = empty_pool();
    pool.volumes.push_back(volume(1, "lv0", model::LinearLayout{{run(m1(), 2, 3), run(m2(), 0, 1)}}));
    return pool;
}

TEST(DeriveLinear, OneSegmentPerRunLaidEndToEnd)
{
    const auto derived = derive_graph(pool_with_linear_over_two_members(), placements(), {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_EQ(render(derived), "volumes-p1-lv0: 0 24576 linear 8:16 18432 | 24576 8192 linear 8:32 2048\n");
    EXPECT_EQ(uuids_of(derived->graph), std::vector<std::string>{dev_uuid(1)});
    EXPECT_EQ(derived->graph.devices[0].suspend, (planner::SuspendMode{.no_flush = false, .skip_lockfs = true}));
    EXPECT_TRUE(derived->unresolved.empty());
}

TEST(DeriveLinear, DataStartOfEachMemberCounts)
{
    auto members = placements();
    members[m2()].data_start = 8 << 20;
    const auto derived = derive_graph(pool_with_linear_over_two_members(), members, {});
    EXPECT_EQ(render(derived), "volumes-p1-lv0: 0 24576 linear 8:16 18432 | 24576 8192 linear 8:32 16384\n");
}

TEST(DeriveLinear, DashesInNamesAreDoubled)
{
    auto pool = pool_with_linear_over_two_members();
    pool.name = "big-pool";
    pool.volumes[0].name = "home-lv";
    const auto derived = derive_graph(pool, placements(), {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_EQ(derived->graph.devices.at(0).name, "volumes-big--pool-home--lv");
}

TEST(DeriveLinear, VolumesInPoolOrder)
{
    auto pool = empty_pool();
    pool.volumes.push_back(volume(2, "second", model::LinearLayout{{run(m2(), 4, 1)}}));
    pool.volumes.push_back(volume(1, "first", model::LinearLayout{{run(m1(), 0, 1)}}));
    EXPECT_EQ(render(derive_graph(pool, placements(), {})),
              "volumes-p1-second: 0 8192 linear 8:32 34816\n"
              "volumes-p1-first: 0 8192 linear 8:16 2048\n");
}

TEST(DeriveLinear, InactiveVolumeHasNoDevices)
{
    auto pool = pool_with_linear_over_two_members();
    pool.volumes[0].active = false;
    pool.volumes.push_back(volume(2, "other", model::LinearLayout{{run(m2(), 4, 1)}}));
    EXPECT_EQ(render(derive_graph(pool, placements(), {})), "volumes-p1-other: 0 8192 linear 8:32 34816\n");
}

TEST(DeriveLinear, EmptyPoolHasNoDevices)
{
    const auto derived = derive_graph(empty_pool(), placements(), {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_TRUE(derived->graph.devices.empty());
    EXPECT_TRUE(derived->unresolved.empty());
}

TEST(DeriveLinear, VolumeOnAMissingMemberGetsNoDeviceAndTheReasonNamesTheMember)
{
    auto members = placements();
    members.erase(m2());
    const auto derived = derive_graph(pool_with_linear_over_two_members(), members, {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_TRUE(derived->graph.devices.empty());
    ASSERT_EQ(derived->unavailable.size(), 1u);
    EXPECT_NE(derived->unavailable.begin()->second.find(m2().to_string()), std::string::npos);
}

TEST(DeriveLinear, MissingPlacementOfAnInactiveVolumeDoesNotMatter)
{
    auto pool = pool_with_linear_over_two_members();
    pool.volumes[0].active = false;
    EXPECT_TRUE(volumes::testing::succeeded(derive_graph(pool, {}, {})));
}

TEST(DeriveLinear, DataStartNotOnASectorIsRefused)
{
    auto members = placements();
    members[m1()].data_start = 1000;
    EXPECT_TRUE(volumes::testing::fails_with(derive_graph(pool_with_linear_over_two_members(), members, {}),
                                             model::ErrorCode::InvalidArgument));
}

// A kmod builder's refusal comes back as InvalidArgument with its message.
TEST(DeriveLinear, EmptyExtentMapIsRefusedByTheBuilder)
{
    auto pool = empty_pool();
    pool.volumes.push_back(volume(1, "lv0", model::LinearLayout{}));
    const auto derived = derive_graph(pool, placements(), {});
    ASSERT_TRUE(volumes::testing::fails_with(derived, model::ErrorCode::InvalidArgument));
    EXPECT_NE(derived.error().message.find("volumes-p1-lv0"), std::string::npos) << derived.error().message;
    EXPECT_NE(derived.error().message.find("at least one segment"), std::string::npos) << derived.error().message;
}

}  // namespace
}  // namespace volumes::graph
