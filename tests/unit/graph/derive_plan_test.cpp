#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "graph_fixture.hpp"
#include "service/planner/plan_transaction.hpp"

// The derived graphs as the planner takes them: from nothing, and from the previous graph of
// the same pool once it is live.
namespace volumes::graph {
namespace {

using namespace testing;
using model::SnapshotMergeState;

// A device the caller created for `unresolved` before deriving again: no table yet.
planner::LiveDevice created(const planner::DesiredGraph& graph, const std::string& uuid)
{
    planner::LiveDevice device;
    device.uuid = uuid;
    for (const auto& desired : graph.devices)
        if (desired.uuid == uuid)
            device.name = desired.name;
    return device;
}

std::vector<std::string> steps(const planner::Plan& plan)
{
    std::vector<std::string> lines;
    for (const auto& step : plan.steps)
        lines.push_back(planner::to_string(step));
    return lines;
}

::testing::AssertionResult has_step(const planner::Result<planner::Plan>& plan, const std::string& step)
{
    if (!plan)
        return ::testing::AssertionFailure() << "no plan: " << plan.error().message;
    const auto lines = steps(*plan);
    if (std::find(lines.begin(), lines.end(), step) == lines.end())
        return ::testing::AssertionFailure() << "no step \"" << step << "\" in\n" << planner::to_string(*plan);
    return ::testing::AssertionSuccess();
}

std::size_t create_count(const planner::Plan& plan)
{
    return static_cast<std::size_t>(std::count_if(plan.steps.begin(), plan.steps.end(), [](const planner::Step& step) {
        return std::holds_alternative<planner::Create>(step);
    }));
}

model::Pool raid1_pool()
{
    auto pool = empty_pool();
    pool.volumes.push_back(volume(1, "lv1", two_leg_raid1()));
    return pool;
}

model::Pool raid1_tracked_pool()
{
    auto pool = raid1_pool();
    std::get<model::Raid1Layout>(pool.volumes[0].layout).legs[1].tracked_image = volume_uuid(2);
    pool.volumes.push_back(volume(2, "split", model::TrackedImageLayout{volume_uuid(1), 1}));
    return pool;
}

model::Pool origin_pool()
{
    auto pool = empty_pool();
    pool.volumes.push_back(volume(1, "lv0", origin_linear()));
    return pool;
}

model::Pool snapshot_pool(SnapshotMergeState merge)
{
    auto pool = origin_pool();
    pool.volumes.push_back(volume(2, "snap", snapshot_of(1, 0, merge)));
    return pool;
}

model::Pool thin_pool()
{
    auto pool = empty_pool();
    model::ThinPoolLayout layout;
    layout.meta = {run(m1(), 0, 1)};
    layout.data = {run(m2(), 0, 4)};
    layout.block_size = 64 << 10;
    layout.next_thin_id = 1;
    pool.volumes.push_back(volume(1, "tp", layout));
    pool.volumes.push_back(volume(2, "thin1", model::ThinLayout{volume_uuid(1), 0, std::nullopt, 1 << 30}));
    return pool;
}

model::Pool linear_pool()
{
    auto pool = empty_pool();
    pool.volumes.push_back(volume(1, "lv0", model::LinearLayout{{run(m1(), 2, 3), run(m2(), 0, 1)}}));
    return pool;
}

// Every device any of these pools has, numbered.
DeviceNumbers all_numbers()
{
    return numbered({dev_uuid(1, "rmeta_0"), dev_uuid(1, "rimage_0"), dev_uuid(1, "rmeta_1"), dev_uuid(1, "rimage_1"),
                     dev_uuid(1), dev_uuid(2), dev_uuid(1, "real"), dev_uuid(2, "cow"), dev_uuid(1, "tmeta"),
                     dev_uuid(1, "tdata")});
}

model::Result<DerivedGraph> derive(const model::Pool& pool, const DeviceNumbers& numbers = all_numbers())
{
    return derive_graph(pool, placements(), numbers);
}

TEST(DerivePlan, EveryGraphIsPlannedFromNothing)
{
    const std::vector<std::pair<std::string, model::Pool>> pools{
        {"linear", linear_pool()},
        {"raid1", raid1_pool()},
        {"raid1 tracked", raid1_tracked_pool()},
        {"snapshot", snapshot_pool(SnapshotMergeState::None)},
        {"merging snapshot", snapshot_pool(SnapshotMergeState::Merging)},
        {"thin", thin_pool()},
    };
    for (const auto& [what, pool] : pools) {
        for (const auto& numbers : {all_numbers(), DeviceNumbers{}}) {
            const auto derived = derive(pool, numbers);
            ASSERT_TRUE(volumes::testing::succeeded(derived)) << what;
            const auto plan = planner::plan_transaction({}, derived->graph, prefix());
            ASSERT_TRUE(plan.has_value()) << what << ": " << plan.error().message << "\n" << render(derived->graph);
            EXPECT_EQ(create_count(*plan), derived->graph.devices.size()) << what;
        }
    }
}

// kernel-targets.md §1.4: the array reloads with "- -", the image comes up read-only, and the
// old rmeta_1 and rimage_1 leave on error tables.
TEST(DerivePlan, Raid1SplitFromTheLiveArray)
{
    const auto before = derive(raid1_pool());
    const auto after = derive(raid1_tracked_pool());
    ASSERT_TRUE(volumes::testing::succeeded(before));
    ASSERT_TRUE(volumes::testing::succeeded(after));
    EXPECT_TRUE(after->unresolved.empty());

    const auto plan = planner::plan_transaction(live_state_of(before->graph), after->graph, prefix());
    EXPECT_TRUE(has_step(plan, "load " + dev_uuid(1) + ": 0 2097152 raid raid1 3 0 region_size 1024 2 253:0 253:1 - -"));
    EXPECT_TRUE(has_step(plan, "create volumes-p1-split " + dev_uuid(2) + " read-only"));
    EXPECT_TRUE(has_step(plan, "load " + dev_uuid(2) + " read-only: 0 2097152 linear 8:32 10240"));
    EXPECT_TRUE(has_step(plan, "load-error " + dev_uuid(1, "rmeta_1") + " 8192"));
    EXPECT_TRUE(has_step(plan, "load-error " + dev_uuid(1, "rimage_1") + " 2097152"));
    EXPECT_TRUE(has_step(plan, "remove " + dev_uuid(1, "rmeta_1")));
    EXPECT_TRUE(has_step(plan, "remove " + dev_uuid(1, "rimage_1")));
}

// kernel-targets.md §1.5, as the caller runs it: derive, create what is unresolved, derive
// again with the new numbers, plan from the live devices.
TEST(DerivePlan, Raid1MergeBackCreatesTheSubDevicesFirst)
{
    const auto split = derive(raid1_tracked_pool());
    ASSERT_TRUE(volumes::testing::succeeded(split));
    auto live = live_state_of(split->graph);

    auto numbers = all_numbers();
    numbers.erase(dev_uuid(1, "rmeta_1"));
    numbers.erase(dev_uuid(1, "rimage_1"));
    const auto first = derive(raid1_pool(), numbers);
    ASSERT_TRUE(volumes::testing::succeeded(first));
    EXPECT_EQ(first->unresolved, (std::vector<std::string>{dev_uuid(1, "rmeta_1"), dev_uuid(1, "rimage_1")}));
    const auto first_plan = planner::plan_transaction(live, first->graph, prefix());
    EXPECT_TRUE(has_step(first_plan, "create volumes-p1-lv1_rmeta_1 " + dev_uuid(1, "rmeta_1")));
    EXPECT_TRUE(has_step(first_plan, "create volumes-p1-lv1_rimage_1 " + dev_uuid(1, "rimage_1")));

    for (const auto& uuid : first->unresolved)
        live.devices.push_back(created(first->graph, uuid));
    const auto merged = derive(raid1_pool());
    ASSERT_TRUE(volumes::testing::succeeded(merged));
    EXPECT_TRUE(merged->unresolved.empty());
    const auto plan = planner::plan_transaction(live, merged->graph, prefix());
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(create_count(*plan), 0u) << planner::to_string(*plan);
    EXPECT_TRUE(has_step(plan, "load " + dev_uuid(1, "rimage_1") + ": 0 2097152 linear 8:32 10240"));
    EXPECT_TRUE(
        has_step(plan, "load " + dev_uuid(1) + ": 0 2097152 raid raid1 3 0 region_size 1024 2 253:0 253:1 253:2 253:3"));
    EXPECT_TRUE(has_step(plan, "load-error " + dev_uuid(2) + " 2097152"));
    EXPECT_TRUE(has_step(plan, "remove " + dev_uuid(2)));
}

TEST(DerivePlan, SnapshotOfALiveOrigin)
{
    const auto before = derive(origin_pool());
    const auto after = derive(snapshot_pool(SnapshotMergeState::None));
    ASSERT_TRUE(volumes::testing::succeeded(before));
    ASSERT_TRUE(volumes::testing::succeeded(after));
    const auto plan = planner::plan_transaction(live_state_of(before->graph), after->graph, prefix());
    EXPECT_TRUE(has_step(plan, "create volumes-p1-lv0_real " + dev_uuid(1, "real")));
    EXPECT_TRUE(has_step(plan, "load " + dev_uuid(1) + ": 0 131072 snapshot-origin 253:6"));
    EXPECT_TRUE(has_step(plan, "suspend " + dev_uuid(1) + " flush lockfs"));
    // The snapshot goes live while its origin is still suspended (planner "quiesced").
    ASSERT_TRUE(plan.has_value());
    const auto lines = steps(*plan);
    const auto snapshot_resume = std::find(lines.begin(), lines.end(), "resume " + dev_uuid(2) + " as low-priority awaited");
    const auto origin_resume = std::find(lines.begin(), lines.end(), "resume " + dev_uuid(1));
    ASSERT_NE(snapshot_resume, lines.end()) << planner::to_string(*plan);
    EXPECT_LT(snapshot_resume, origin_resume) << planner::to_string(*plan);
}

// kernel-targets.md §2.4: the origin takes the cow over; the snapshot leaves on an error table.
TEST(DerivePlan, SnapshotMergeStartsFromTheLiveSnapshot)
{
    const auto before = derive(snapshot_pool(SnapshotMergeState::Pending));
    const auto after = derive(snapshot_pool(SnapshotMergeState::Merging));
    ASSERT_TRUE(volumes::testing::succeeded(before));
    ASSERT_TRUE(volumes::testing::succeeded(after));
    const auto plan = planner::plan_transaction(live_state_of(before->graph), after->graph, prefix());
    EXPECT_TRUE(has_step(plan, "load " + dev_uuid(1) + ": 0 131072 snapshot-merge 253:6 253:7 P 8"));
    EXPECT_TRUE(has_step(plan, "load-error " + dev_uuid(2) + " 131072"));
    EXPECT_TRUE(has_step(plan, "remove " + dev_uuid(2)));
}

// Once merged the snapshot leaves the model and the origin maps its extents again.
TEST(DerivePlan, FinishedMergeLeavesThePlainOrigin)
{
    const auto before = derive(snapshot_pool(SnapshotMergeState::Merging));
    const auto after = derive(origin_pool());
    ASSERT_TRUE(volumes::testing::succeeded(before));
    ASSERT_TRUE(volumes::testing::succeeded(after));
    const auto plan = planner::plan_transaction(live_state_of(before->graph), after->graph, prefix());
    EXPECT_TRUE(has_step(plan, "load " + dev_uuid(1) + ": 0 131072 linear 8:16 2048"));
    EXPECT_TRUE(has_step(plan, "remove " + dev_uuid(1, "real")));
    EXPECT_TRUE(has_step(plan, "remove " + dev_uuid(2, "cow")));
}

TEST(DerivePlan, UnchangedGraphPlansOnlyTheCommit)
{
    const auto derived = derive(thin_pool());
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    const auto plan = planner::plan_transaction(live_state_of(derived->graph), derived->graph, prefix());
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(planner::to_string(*plan), "commit-metadata\n");
}

}  // namespace
}  // namespace volumes::graph
