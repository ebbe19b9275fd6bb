#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "graph_fixture.hpp"
#include "service/graph/member_availability.hpp"

namespace volumes::graph {
namespace {

using namespace testing;

MemberPlacements only_m1()
{
    auto members = placements();
    members.erase(m2());
    return members;
}

std::string reason_of(const std::map<model::Uuid, std::string>& unavailable, unsigned n)
{
    const auto found = unavailable.find(volume_uuid(n));
    return found == unavailable.end() ? std::string() : found->second;
}

TEST(MemberAvailability, LinearOnAMissingMemberCannotRunAndTheOtherCan)
{
    auto pool = empty_pool();
    pool.volumes.push_back(volume(1, "on-m1", model::LinearLayout{{run(m1(), 0, 4)}}));
    pool.volumes.push_back(volume(2, "on-both", model::LinearLayout{{run(m1(), 4, 2), run(m2(), 0, 2)}}));
    const auto unavailable = unavailable_volumes(pool, only_m1());
    EXPECT_EQ(reason_of(unavailable, 1), "");
    EXPECT_EQ(reason_of(unavailable, 2), "its extents on member " + m2().to_string() + " are missing");
}

TEST(MemberAvailability, LinearOnAFailedMemberThatIsPresentStillRuns)
{
    auto pool = empty_pool();
    pool.members[1].failed = true;
    pool.volumes.push_back(volume(1, "on-m2", model::LinearLayout{{run(m2(), 0, 4)}}));
    EXPECT_TRUE(unavailable_volumes(pool, placements()).empty());
    const auto derived = derive_graph(pool, placements(), {});
    EXPECT_EQ(render(derived), "volumes-p1-on--m2: 0 32768 linear 8:32 2048\n");
}

TEST(MemberAvailability, SnapshotOfAnOriginThatCannotRunCannotRun)
{
    auto pool = empty_pool();
    pool.volumes.push_back(volume(1, "origin", model::LinearLayout{{run(m2(), 0, 16)}}));
    pool.volumes.push_back(volume(2, "snap", model::SnapshotLayout{volume_uuid(1), {run(m1(), 0, 1)}, 4096}));
    const auto unavailable = unavailable_volumes(pool, only_m1());
    EXPECT_EQ(reason_of(unavailable, 2), "its origin 'origin' cannot run");
    const auto derived = derive_graph(pool, only_m1(), {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    EXPECT_TRUE(derived->graph.devices.empty());
}

TEST(MemberAvailability, OriginWhoseSnapshotLostItsCowCannotRunNorItsOtherSnapshots)
{
    auto pool = empty_pool();
    pool.volumes.push_back(volume(1, "origin", origin_linear()));
    pool.volumes.push_back(volume(2, "lost", snapshot_of(1, 0)));
    pool.volumes.push_back(volume(3, "kept", model::SnapshotLayout{volume_uuid(1), {run(m1(), 20, 1)}, 4096}));
    const auto unavailable = unavailable_volumes(pool, only_m1());
    EXPECT_EQ(reason_of(unavailable, 1),
              "its snapshot 'lost' cannot run: its extents on member " + m2().to_string() + " are missing");
    EXPECT_EQ(reason_of(unavailable, 3), "its origin 'origin' cannot run");
    EXPECT_EQ(unavailable.size(), 3u);
}

TEST(MemberAvailability, ThinVolumesOfAThinPoolThatCannotRunCannotRun)
{
    auto pool = empty_pool();
    model::ThinPoolLayout thin_pool;
    thin_pool.meta = {run(m1(), 0, 1)};
    thin_pool.data = {run(m2(), 0, 4)};
    thin_pool.block_size = 64 << 10;
    pool.volumes.push_back(volume(1, "tp", thin_pool));
    pool.volumes.push_back(volume(2, "thin", model::ThinLayout{volume_uuid(1), 1, std::nullopt, 8 << 20}));
    const auto unavailable = unavailable_volumes(pool, only_m1());
    EXPECT_NE(reason_of(unavailable, 1).find(m2().to_string()), std::string::npos);
    EXPECT_EQ(reason_of(unavailable, 2), "its thin pool 'tp' cannot run");
}

TEST(MemberAvailability, SplitImageNeedsOnlyItsOwnLeg)
{
    auto pool = empty_pool();
    auto raid = two_leg_raid1();
    raid.legs[1].tracked_image = volume_uuid(2);
    pool.volumes.push_back(volume(1, "array", raid));
    pool.volumes.push_back(volume(2, "image", model::TrackedImageLayout{volume_uuid(1), 1}));
    auto members = placements();
    members.erase(m1());
    const auto unavailable = unavailable_volumes(pool, members);
    EXPECT_NE(reason_of(unavailable, 1).find("none of its images can run"), std::string::npos);
    EXPECT_EQ(reason_of(unavailable, 2), "");
    EXPECT_NE(reason_of(unavailable_volumes(pool, only_m1()), 2).find(m2().to_string()), std::string::npos);
}

TEST(MemberAvailability, LegRunsOnlyWhenPlacedTrustedAndNotSplit)
{
    auto pool = empty_pool();
    auto raid = two_leg_raid1();
    EXPECT_TRUE(leg_runs(pool, placements(), raid, 0));
    EXPECT_FALSE(leg_runs(pool, only_m1(), raid, 1));
    pool.members[0].failed = true;
    EXPECT_FALSE(leg_runs(pool, placements(), raid, 0));
    EXPECT_TRUE(leg_runs(pool, only_m1(), raid, 0));  // no trusted leg is left: the failed one runs
    raid.legs[1].tracked_image = volume_uuid(2);
    EXPECT_FALSE(leg_runs(pool, placements(), raid, 1));
}

}  // namespace
}  // namespace volumes::graph
