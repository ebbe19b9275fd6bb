#include <map>
#include <string>

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "graph_fixture.hpp"
#include "service/graph/udev_identity.hpp"
#include "service/model/names.hpp"

namespace volumes::graph {
namespace {

using namespace testing;
using kmod::UdevIdentity;

std::map<std::string, UdevIdentity> identities(const model::Result<DerivedGraph>& derived)
{
    std::map<std::string, UdevIdentity> by_name;
    for (const auto& device : derived->graph.devices)
        by_name.emplace(device.name, device.udev_identity);
    return by_name;
}

// Raid1 "r" (1) with slot 1 split off as "split" (2), which leaves no rmeta_1 or rimage_1; linear "lin" (3) with CoW snapshot
// "snap" (4); thin pool "tp" (5) with thin "thin" (6) and its thin snapshot "tsnap" (7).
model::Pool pool_of_every_kind()
{
    auto pool = empty_pool();
    auto raid = two_leg_raid1();
    raid.legs[1].tracked_image = volume_uuid(2);
    pool.volumes.push_back(volume(1, "r", raid));
    pool.volumes.push_back(volume(2, "split", model::TrackedImageLayout{volume_uuid(1), 1}));
    pool.volumes.push_back(volume(3, "lin", model::LinearLayout{{run(m1(), 300, 16)}}));
    pool.volumes.push_back(volume(4, "snap", snapshot_of(3, 300)));
    model::ThinPoolLayout thin_pool;
    thin_pool.meta = {run(m1(), 400, 1)};
    thin_pool.data = {run(m2(), 400, 4)};
    thin_pool.block_size = 64 << 10;
    thin_pool.next_thin_id = 3;
    pool.volumes.push_back(volume(5, "tp", thin_pool));
    pool.volumes.push_back(volume(6, "thin", model::ThinLayout{volume_uuid(5), 1, std::nullopt, 1 << 30}));
    pool.volumes.push_back(volume(7, "tsnap", model::ThinLayout{volume_uuid(5), 2, 1u, 1 << 30}));
    return pool;
}

TEST(DeriveUdevIdentity, SubVolumesAndThinPoolsAreInternalCopiesLowPriorityTheRestVisible)
{
    const auto derived = derive_graph(pool_of_every_kind(), placements(), {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    const std::map<std::string, UdevIdentity> expected{
        {"volumes-p1-r_rmeta_0", UdevIdentity::Internal},  {"volumes-p1-r_rimage_0", UdevIdentity::Internal},
        {"volumes-p1-r", UdevIdentity::Visible},
        {"volumes-p1-split", UdevIdentity::LowPriority},   {"volumes-p1-lin_real", UdevIdentity::Internal},
        {"volumes-p1-lin", UdevIdentity::Visible},         {"volumes-p1-snap_cow", UdevIdentity::Internal},
        {"volumes-p1-snap", UdevIdentity::LowPriority},    {"volumes-p1-tp_tmeta", UdevIdentity::Internal},
        {"volumes-p1-tp_tdata", UdevIdentity::Internal},   {"volumes-p1-tp", UdevIdentity::Internal},
        {"volumes-p1-thin", UdevIdentity::Visible},        {"volumes-p1-tsnap", UdevIdentity::LowPriority},
    };
    EXPECT_EQ(identities(derived), expected);
}

// A merging snapshot has no device; its cow hangs under the origin's snapshot-merge.
TEST(DeriveUdevIdentity, MergingSnapshotsCowIsInternalUnderAVisibleOrigin)
{
    auto pool = empty_pool();
    pool.volumes.push_back(volume(3, "lin", origin_linear()));
    pool.volumes.push_back(volume(4, "snap", snapshot_of(3, 300, model::SnapshotMergeState::Merging)));
    const auto derived = derive_graph(pool, placements(), {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    const std::map<std::string, UdevIdentity> expected{
        {"volumes-p1-lin_real", UdevIdentity::Internal},
        {"volumes-p1-snap_cow", UdevIdentity::Internal},
        {"volumes-p1-lin", UdevIdentity::Visible},
    };
    EXPECT_EQ(identities(derived), expected);
}

TEST(DeriveUdevIdentity, ARoleMakesAnyVolumeInternal)
{
    const auto linear = volume(3, "lin", origin_linear());
    EXPECT_EQ(udev_identity(linear), UdevIdentity::Visible);
    EXPECT_EQ(udev_identity(linear, model::role::real), UdevIdentity::Internal);
}

}  // namespace
}  // namespace volumes::graph
