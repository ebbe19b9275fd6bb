#include <gtest/gtest.h>

#include "pool_fixture.hpp"
#include "service/planner/plan_transaction.hpp"

namespace volumes::planner {
namespace {

using namespace testing;

// Stack a (253:2) -> b (253:1) -> c (253:0), c on sdb.
constexpr std::uint64_t length = 409600;

std::vector<DesiredDevice> stack_abc()
{
    return {
        desired("a", linear(dm(1), 0, length), {"b"}),
        desired("b", linear(dm(0), 0, length), {"c"}),
        desired("c", linear(sdb, 2048, length)),
    };
}

// The seed case (kernel-targets.md §4.1, "a removed layer keeps its old live table"): b leaves
// the middle of the stack. It gets its error table in the same preload as a's new one, which
// goes live right after a has resumed on c, and is removed after that, so b's old mapping onto
// c never serves I/O next to a's new one. b itself is not suspended: a's old table may still write to
// b while it is torn down (md does, for raid), and that write would wait for b's resume.
TEST(PlanLayerRemoval, MiddleLayerGetsErrorAndGoesAfterItsParentResumes)
{
    const DesiredGraph a_on_c{{
        desired("a", linear(dm(0), 0, length), {"c"}),
        desired("c", linear(sdb, 2048, length)),
    }};
    EXPECT_EQ(render(plan_transaction(live_state(stack_abc()), a_on_c, prefix)),
              "load VOLUMES-P1-a: 0 409600 linear 253:0 0\n"
              "load-error VOLUMES-P1-b 409600\n"
              "suspend VOLUMES-P1-a flush skip-lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-a\n"
              "resume VOLUMES-P1-b as internal\n"
              "remove VOLUMES-P1-b\n"
              "wait-for-udev\n");
}

// Listing order does not decide stacking: with c first and a last, b still leaves after a.
TEST(PlanLayerRemoval, OrderFollowsTheStackingNotTheListing)
{
    auto live = live_state(stack_abc());
    std::swap(live.devices[0], live.devices[2]);
    const DesiredGraph a_on_c{{
        desired("c", linear(sdb, 2048, length)),
        desired("a", linear(dm(0), 0, length), {"c"}),
    }};
    EXPECT_EQ(render(plan_transaction(live, a_on_c, prefix)),
              "load VOLUMES-P1-a: 0 409600 linear 253:0 0\n"
              "load-error VOLUMES-P1-b 409600\n"
              "suspend VOLUMES-P1-a flush skip-lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-a\n"
              "resume VOLUMES-P1-b as internal\n"
              "remove VOLUMES-P1-b\n"
              "wait-for-udev\n");
}

// b found suspended (left so by something else) would block a's resume: it goes onto its error
// table first.
TEST(PlanLayerRemoval, ASuspendedLeavingLayerIsResumedBeforeItsParent)
{
    auto live = live_state(stack_abc());
    live.devices[1].suspended = true;
    const DesiredGraph a_on_c{{
        desired("a", linear(dm(0), 0, length), {"c"}),
        desired("c", linear(sdb, 2048, length)),
    }};
    EXPECT_EQ(render(plan_transaction(live, a_on_c, prefix)),
              "load VOLUMES-P1-a: 0 409600 linear 253:0 0\n"
              "load-error VOLUMES-P1-b 409600\n"
              "suspend VOLUMES-P1-a flush skip-lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-b as internal\n"
              "resume VOLUMES-P1-a\n"
              "remove VOLUMES-P1-b\n"
              "wait-for-udev\n");
}

}  // namespace
}  // namespace volumes::planner
