#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "graph_fixture.hpp"
#include "service/graph/change_scope.hpp"
#include "service/planner/plan_transaction.hpp"

// A change's scope: what it reads and plans. The plan made over the scope alone must be the
// plan made over the whole pool, for every kind of change.
namespace volumes::graph {
namespace {

using namespace testing;

model::LinearLayout linear_at(std::uint64_t start)
{
    return model::LinearLayout{{run(m1(), start, 1)}};
}

// Linear volumes 11, 12, 13 ("a", "b", "c") at extents 100, 101, 102 of m1: bystanders.
model::Pool with_bystanders(model::Pool pool)
{
    for (unsigned n = 11; n <= 13; ++n)
        pool.volumes.push_back(volume(n, std::string(1, static_cast<char>('a' + n - 11)), linear_at(89 + n)));
    return pool;
}

model::ThinPoolLayout thin_pool_layout(std::uint64_t data_extents = 4)
{
    model::ThinPoolLayout layout;
    layout.meta = {run(m1(), 0, 1)};
    layout.data = {run(m2(), 0, data_extents)};
    layout.block_size = 64 << 10;
    layout.low_water_blocks = 16;
    layout.next_thin_id = 4;
    return layout;
}

model::Volume thin(unsigned n, std::string name, std::uint32_t id)
{
    return volume(n, std::move(name), model::ThinLayout{volume_uuid(1), id, std::nullopt, 1 << 30});
}

// 253:<index> for every device of both models, in a fixed order.
DeviceNumbers numbers_for(const model::Pool& before, const model::Pool& after)
{
    std::vector<std::string> uuids;
    for (const auto* pool : {&before, &after}) {
        auto derived = derive_graph(*pool, placements(), {});
        for (const auto& device : derived->graph.devices)
            if (std::find(uuids.begin(), uuids.end(), device.uuid) == uuids.end())
                uuids.push_back(device.uuid);
    }
    return numbered(uuids);
}

// The plans over the whole pool and over the scope, with `before` live, rendered.
struct Plans {
    std::string whole;
    std::string scoped;
    ChangeScope scope;
};

Plans plans(const model::Pool& before, const model::Pool& after)
{
    const auto numbers = numbers_for(before, after);
    const auto live = live_state_of(derive_graph(before, placements(), numbers)->graph, numbers);
    auto desired = derive_graph(after, placements(), numbers);
    EXPECT_TRUE(volumes::testing::succeeded(desired));
    auto whole = planner::plan_transaction(live, desired->graph, prefix());
    EXPECT_TRUE(whole) << "the whole-pool plan: " << whole.error().message;

    auto scope = change_scope(before, after, placements());
    EXPECT_TRUE(volumes::testing::succeeded(scope));
    planner::LiveState scoped_live;
    for (const auto& device : live.devices)
        if (scope->devices.contains(device.uuid))
            scoped_live.devices.push_back(device);
    // As the engine does: only the scope's volumes derived, then cut to its devices.
    auto scoped_desired = derive_graph(scoped_pool(after, *scope), placements(), numbers);
    EXPECT_TRUE(volumes::testing::succeeded(scoped_desired));
    auto scoped = planner::plan_transaction(scoped_live, within(std::move(*scoped_desired), *scope).graph, prefix());
    const auto rendered = [](const planner::Result<planner::Plan>& plan) {
        return plan ? planner::to_string(*plan) : "refused: " + plan.error().message;
    };
    return {rendered(whole), rendered(scoped), std::move(*scope)};
}

std::vector<std::string> sorted(const std::set<std::string>& uuids)
{
    return {uuids.begin(), uuids.end()};
}

TEST(ChangeScope, ANewLinearVolumeIsItsOwnScope)
{
    const auto before = with_bystanders(empty_pool());
    auto after = before;
    after.volumes.push_back(volume(1, "new", linear_at(0)));
    const auto planned = plans(before, after);
    EXPECT_EQ(sorted(planned.scope.devices), std::vector<std::string>{dev_uuid(1)});
    EXPECT_EQ(planned.scope.volumes, std::set<model::Uuid>{volume_uuid(1)}) << "the bystanders were derived";
    EXPECT_TRUE(planned.scope.stacked_on.empty());
    EXPECT_EQ(planned.scope.new_names, std::vector<std::string>{"volumes-p1-new"});
    EXPECT_EQ(planned.scoped, planned.whole);
    EXPECT_NE(planned.whole.find("create volumes-p1-new"), std::string::npos) << planned.whole;
}

TEST(ChangeScope, ARemovedVolumeIsItsOwnScopeAndTakesNoName)
{
    const auto before = with_bystanders(empty_pool());
    auto after = before;
    after.volumes.erase(after.volumes.begin() + 1);
    const auto planned = plans(before, after);
    EXPECT_EQ(sorted(planned.scope.devices), std::vector<std::string>{dev_uuid(12)});
    EXPECT_TRUE(planned.scope.new_names.empty());
    EXPECT_EQ(planned.scoped, planned.whole);
}

TEST(ChangeScope, NothingChangedIsAnEmptyScope)
{
    const auto pool = with_bystanders(empty_pool());
    const auto planned = plans(pool, pool);
    EXPECT_TRUE(planned.scope.devices.empty());
    EXPECT_TRUE(planned.scope.stacked_on.empty());
    EXPECT_EQ(planned.scoped, planned.whole);
}

TEST(ChangeScope, ASnapshotTakesItsOriginAndItsNewDevices)
{
    auto before = with_bystanders(empty_pool());
    before.volumes.push_back(volume(1, "lv0", origin_linear()));
    auto after = before;
    after.volumes.push_back(volume(2, "snap", snapshot_of(1, 0)));
    const auto planned = plans(before, after);
    EXPECT_EQ(sorted(planned.scope.devices),
              (std::vector<std::string>{dev_uuid(1), dev_uuid(1, "real"), dev_uuid(2), dev_uuid(2, "cow")}));
    EXPECT_EQ(planned.scope.volumes, (std::set<model::Uuid>{volume_uuid(1), volume_uuid(2)}));
    EXPECT_EQ(planned.scoped, planned.whole);
}

TEST(ChangeScope, ASnapshotRemovedPutsTheOriginBack)
{
    auto before = with_bystanders(empty_pool());
    before.volumes.push_back(volume(1, "lv0", origin_linear()));
    before.volumes.push_back(volume(2, "snap", snapshot_of(1, 0)));
    auto after = before;
    after.volumes.pop_back();
    EXPECT_EQ(plans(before, after).scoped, plans(before, after).whole);
}

// The origin's devices depend on every snapshot it has: with only the removed one derived,
// the origin would look plain and be reloaded under the other snapshot.
TEST(ChangeScope, ARemovedSnapshotKeepsTheOriginsOtherSnapshot)
{
    auto before = with_bystanders(empty_pool());
    before.volumes.push_back(volume(1, "lv0", origin_linear()));
    before.volumes.push_back(volume(2, "snap", snapshot_of(1, 0)));
    before.volumes.push_back(volume(3, "snap2", snapshot_of(1, 1)));
    auto after = before;
    after.volumes.pop_back();
    const auto planned = plans(before, after);
    // The origin keeps its table.
    EXPECT_EQ(sorted(planned.scope.devices), (std::vector<std::string>{dev_uuid(1), dev_uuid(3), dev_uuid(3, "cow")}));
    EXPECT_NE(planned.whole.find("remove " + dev_uuid(3, "cow")), std::string::npos) << planned.whole;
    EXPECT_EQ(planned.whole.find("load " + dev_uuid(1) + ":"), std::string::npos) << planned.whole;
    EXPECT_EQ(planned.scoped, planned.whole);
}

TEST(ChangeScope, ANewThinVolumeStacksOnALiveThinPoolOutsideTheScope)
{
    auto before = with_bystanders(empty_pool());
    before.volumes.push_back(volume(1, "tp", thin_pool_layout()));
    before.volumes.push_back(thin(2, "thin1", 3));
    auto after = before;
    after.volumes.push_back(thin(3, "thin2", 4));
    const auto planned = plans(before, after);
    EXPECT_EQ(sorted(planned.scope.devices), std::vector<std::string>{dev_uuid(3)});
    EXPECT_EQ(sorted(planned.scope.stacked_on), std::vector<std::string>{dev_uuid(1)});
    // The pool and its other thin volume are derived (they stack together), not compared equal.
    EXPECT_EQ(planned.scope.volumes, (std::set<model::Uuid>{volume_uuid(1), volume_uuid(2), volume_uuid(3)}));
    EXPECT_EQ(planned.scoped, planned.whole);
}

TEST(ChangeScope, AGrownThinPoolTakesEveryThinVolumeOnIt)
{
    auto before = with_bystanders(empty_pool());
    before.volumes.push_back(volume(1, "tp", thin_pool_layout()));
    before.volumes.push_back(thin(2, "thin1", 3));
    auto after = before;
    after.volumes[3] = volume(1, "tp", thin_pool_layout(8));
    const auto planned = plans(before, after);
    EXPECT_EQ(sorted(planned.scope.devices), (std::vector<std::string>{dev_uuid(1), dev_uuid(1, "tdata"), dev_uuid(2)}));
    EXPECT_EQ(sorted(planned.scope.stacked_on), std::vector<std::string>{dev_uuid(1, "tmeta")});
    EXPECT_EQ(planned.scoped, planned.whole);
}

TEST(ChangeScope, ARemovedRaid1TakesItsLegs)
{
    auto before = with_bystanders(empty_pool());
    before.volumes.push_back(volume(1, "lv1", two_leg_raid1()));
    auto after = before;
    after.volumes.pop_back();
    const auto planned = plans(before, after);
    EXPECT_EQ(planned.scope.devices.size(), 5u);
    EXPECT_EQ(planned.scoped, planned.whole);
}

TEST(ChangeScope, ARenamedOriginTakesItsNewNamesAndItsSnapshot)
{
    auto before = with_bystanders(empty_pool());
    before.volumes.push_back(volume(1, "lv0", origin_linear()));
    before.volumes.push_back(volume(2, "snap", snapshot_of(1, 0)));
    auto after = before;
    after.volumes[3].name = "root";
    const auto planned = plans(before, after);
    EXPECT_EQ(planned.scope.new_names, (std::vector<std::string>{"volumes-p1-root", "volumes-p1-root_real"}));
    EXPECT_TRUE(planned.scope.devices.contains(dev_uuid(2)));
    EXPECT_EQ(planned.scoped, planned.whole);
}

TEST(ChangeScope, APoolDefaultChangedComparesEveryVolume)
{
    auto before = with_bystanders(empty_pool());
    before.volumes.push_back(volume(1, "tp", thin_pool_layout()));
    auto after = before;
    after.thin_pool_autoextend = model::AutoextendPolicy{90, 10};
    after.volumes[3] = volume(1, "tp", [] {
        auto layout = thin_pool_layout();
        layout.low_water_blocks = 3;
        return layout;
    }());
    const auto planned = plans(before, after);
    EXPECT_TRUE(planned.scope.volumes.empty());
    EXPECT_EQ(sorted(planned.scope.devices), std::vector<std::string>{dev_uuid(1)});
    EXPECT_EQ(planned.scoped, planned.whole);
}

TEST(ChangeScope, WithinKeepsTheScopesDevicesAndNamesWhatTheyStackOn)
{
    auto before = empty_pool();
    before.volumes.push_back(volume(1, "tp", thin_pool_layout()));
    auto after = before;
    after.volumes.push_back(thin(2, "thin1", 3));
    auto scope = change_scope(before, after, placements());
    ASSERT_TRUE(volumes::testing::succeeded(scope));
    auto derived = derive_graph(after, placements(), {});
    ASSERT_TRUE(volumes::testing::succeeded(derived));
    const auto kept = within(std::move(*derived), *scope);
    EXPECT_EQ(uuids_of(kept.graph), std::vector<std::string>{dev_uuid(2)});
    EXPECT_EQ(kept.graph.outside, std::vector<std::string>{dev_uuid(1)});
    // thin1's table names the thin pool, unresolved here; the pool's own children are not kept.
    EXPECT_EQ(kept.unresolved, std::vector<std::string>{dev_uuid(1)});
}

}  // namespace
}  // namespace volumes::graph
