#include <string>

#include <gtest/gtest.h>

#include "pool_fixture.hpp"
#include "service/planner/plan_transaction.hpp"

namespace volumes::planner {
namespace {

using namespace testing;

// Passes when planning fails with `code` and a message naming `mentions`.
::testing::AssertionResult refused(const Result<Plan>& plan, ErrorCode code, std::string_view mentions)
{
    if (plan.has_value())
        return ::testing::AssertionFailure() << "planned, expected " << to_string(code) << ":\n" << render(plan);
    if (plan.error().code != code)
        return ::testing::AssertionFailure() << render(plan) << ", expected " << to_string(code);
    if (plan.error().message.find(mentions) == std::string::npos)
        return ::testing::AssertionFailure() << render(plan) << ", expected a mention of " << mentions;
    return ::testing::AssertionSuccess();
}

DesiredDevice lv0()
{
    return desired("lv0", linear(sdb, 2048, 204800));
}

TEST(PlanRefusal, Cycle)
{
    const DesiredGraph graph{{
        desired("a", linear(dm(1), 0, 100), {"b"}),
        desired("b", linear(dm(0), 0, 100), {"a"}),
    }};
    EXPECT_TRUE(refused(plan_transaction({}, graph, prefix), ErrorCode::Cycle,
                        "volumes-p1-a -> volumes-p1-b -> volumes-p1-a"));
}

TEST(PlanRefusal, CycleBelowAnotherDeviceNamesOnlyTheCycle)
{
    const DesiredGraph graph{{
        desired("top", linear(dm(1), 0, 100), {"a"}),
        desired("a", linear(dm(2), 0, 100), {"b"}),
        desired("b", linear(dm(1), 0, 100), {"a"}),
    }};
    EXPECT_TRUE(refused(plan_transaction({}, graph, prefix), ErrorCode::Cycle,
                        "cycle: volumes-p1-a -> volumes-p1-b -> volumes-p1-a"));
}

TEST(PlanRefusal, DeviceOnItself)
{
    const DesiredGraph graph{{desired("a", linear(dm(0), 0, 100), {"a"})}};
    EXPECT_TRUE(refused(plan_transaction({}, graph, prefix), ErrorCode::Cycle, "volumes-p1-a -> volumes-p1-a"));
}

TEST(PlanRefusal, CycleInTheLiveGraph)
{
    const LiveState live_pool{{live("a", linear(dm(1), 0, 100), {"b"}), live("b", linear(dm(0), 0, 100), {"a"})}};
    EXPECT_TRUE(refused(plan_transaction(live_pool, {}, prefix), ErrorCode::Cycle, "live graph"));
}

TEST(PlanRefusal, UnknownChild)
{
    const DesiredGraph graph{{desired("top", linear(dm(7), 0, 100), {"ghost"})}};
    EXPECT_TRUE(refused(plan_transaction({}, graph, prefix), ErrorCode::UnknownChild, "VOLUMES-P1-ghost"));
}

// A plan over part of the pool: the child exists outside it and keeps its table.
TEST(PlanRefusal, ChildOutsideThePlanIsNotUnknown)
{
    DesiredGraph graph{{desired("top", linear(dm(7), 0, 100), {"below"})}};
    graph.outside = {"VOLUMES-P1-below"};
    const auto plan = plan_transaction({}, graph, prefix);
    ASSERT_TRUE(plan.has_value()) << render(plan);
    EXPECT_EQ(to_string(plan->steps.front()), "create volumes-p1-top VOLUMES-P1-top");
}

// Listed outside but live in the plan's LiveState: it is the plan's, and leaving.
TEST(PlanRefusal, LiveChildListedOutsideStillLeaves)
{
    const LiveState live_pool{{live("b", linear(sdb, 2048, 100))}};
    DesiredGraph graph{{desired("a", linear(dm(0), 0, 100), {"b"})}};
    graph.outside = {"VOLUMES-P1-b"};
    EXPECT_TRUE(refused(plan_transaction(live_pool, graph, prefix), ErrorCode::LeavingChild, "VOLUMES-P1-b"));
}

TEST(PlanRefusal, ChildThatLeavesTheGraph)
{
    const LiveState live_pool{{live("b", linear(sdb, 2048, 100))}};
    const DesiredGraph graph{{desired("a", linear(dm(0), 0, 100), {"b"})}};
    EXPECT_TRUE(refused(plan_transaction(live_pool, graph, prefix), ErrorCode::LeavingChild, "VOLUMES-P1-b"));
}

// The caller dropped b from a's children but a's table, unchanged, still maps b.
TEST(PlanRefusal, UnchangedTableOnALeavingDevice)
{
    const auto a = desired("a", linear(dm(0), 0, 100), {"b"});
    const auto b = desired("b", linear(sdb, 2048, 100));
    auto a_without_b = a;
    a_without_b.children.clear();
    EXPECT_TRUE(refused(plan_transaction(live_state({a, b}), DesiredGraph{{a_without_b}}, prefix),
                        ErrorCode::LeavingChild, "volumes-p1-b"));
}

TEST(PlanRefusal, UuidOfAnotherPool)
{
    auto foreign = lv0();
    foreign.uuid = "VOLUMES-P2-lv0";
    EXPECT_TRUE(refused(plan_transaction({}, DesiredGraph{{foreign}}, prefix), ErrorCode::ForeignDevice,
                        "VOLUMES-P2-lv0"));
}

TEST(PlanRefusal, UuidOfAnotherProgram)
{
    auto foreign = lv0();
    foreign.uuid = "LVM-abcdef";
    EXPECT_TRUE(refused(plan_transaction({}, DesiredGraph{{foreign}}, prefix), ErrorCode::ForeignDevice, "LVM-abcdef"));
}

TEST(PlanRefusal, UuidThatIsOnlyThePrefix)
{
    auto foreign = lv0();
    foreign.uuid = std::string(prefix);
    EXPECT_TRUE(refused(plan_transaction({}, DesiredGraph{{foreign}}, prefix), ErrorCode::ForeignDevice, "VOLUMES-P1"));
}

TEST(PlanRefusal, EmptyPrefix)
{
    EXPECT_TRUE(refused(plan_transaction({}, DesiredGraph{{lv0()}}, ""), ErrorCode::InvalidPrefix, "prefix"));
}

TEST(PlanRefusal, DuplicateUuid)
{
    auto twin = desired("lv9", linear(sdc, 2048, 100));
    twin.uuid = lv0().uuid;
    EXPECT_TRUE(refused(plan_transaction({}, DesiredGraph{{lv0(), twin}}, prefix), ErrorCode::DuplicateUuid,
                        "VOLUMES-P1-lv0"));
}

TEST(PlanRefusal, DuplicateName)
{
    auto twin = desired("lv9", linear(sdc, 2048, 100));
    twin.name = lv0().name;
    EXPECT_TRUE(refused(plan_transaction({}, DesiredGraph{{lv0(), twin}}, prefix), ErrorCode::DuplicateName,
                        "volumes-p1-lv0"));
}

TEST(PlanRefusal, DuplicateLiveUuid)
{
    const LiveState live_pool{{live("lv0", linear(sdb, 2048, 100)), live("lv0", linear(sdb, 2048, 100))}};
    EXPECT_TRUE(refused(plan_transaction(live_pool, {}, prefix), ErrorCode::DuplicateUuid, "VOLUMES-P1-lv0"));
}

// Create would fail: the name is taken, here by a device of another program.
TEST(PlanRefusal, NameHeldByAnotherLiveDevice)
{
    LiveDevice squatter;
    squatter.name = "volumes-p1-lv0";
    squatter.uuid = "CRYPT-LUKS2-1234";
    squatter.table = linear(sdc, 0, 100);
    EXPECT_TRUE(refused(plan_transaction(LiveState{{squatter}}, DesiredGraph{{lv0()}}, prefix),
                        ErrorCode::DuplicateName, "CRYPT-LUKS2-1234"));
}

TEST(PlanRefusal, EmptyTable)
{
    const DesiredGraph graph{{desired("lv0", {})}};
    EXPECT_TRUE(refused(plan_transaction({}, graph, prefix), ErrorCode::InvalidTable, "empty table"));
}

TEST(PlanRefusal, ZeroLengthLine)
{
    const DesiredGraph graph{{desired("lv0", {kmod::TableLine{0, 0, "linear", "8:16 0"}})}};
    EXPECT_TRUE(refused(plan_transaction({}, graph, prefix), ErrorCode::InvalidTable, "zero length"));
}

TEST(PlanRefusal, GapInTable)
{
    auto gap = linear(sdb, 2048, 100);
    gap.push_back(kmod::TableLine{200, 100, "linear", "8:32 0"});
    EXPECT_TRUE(refused(plan_transaction({}, DesiredGraph{{desired("lv0", gap)}}, prefix), ErrorCode::InvalidTable,
                        "starts at sector 200, expected 100"));
}

TEST(PlanRefusal, MountedVolumeCannotLeave)
{
    auto live_pool = live_state({lv0()});
    live_pool.devices[0].open_count = 1;
    EXPECT_TRUE(refused(plan_transaction(live_pool, {}, prefix), ErrorCode::Busy, "volumes-p1-lv0"));
}

// Something outside the pool (a dm-crypt device, say) stacked on a leaving layer.
TEST(PlanRefusal, LeavingLayerOpenBeyondItsParent)
{
    const auto a = desired("a", linear(dm(0), 0, 100), {"b"});
    const auto b = desired("b", linear(sdb, 2048, 100));
    auto live_pool = live_state({a, b});
    live_pool.devices[1].open_count = 2;
    const DesiredGraph a_alone{{desired("a", linear(sdb, 2048, 100))}};
    EXPECT_TRUE(refused(plan_transaction(live_pool, a_alone, prefix), ErrorCode::Busy, "open 2 time(s)"));
}

}  // namespace
}  // namespace volumes::planner
