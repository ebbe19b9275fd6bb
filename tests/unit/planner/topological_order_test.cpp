#include "service/planner/topological_order.hpp"

#include <gtest/gtest.h>

namespace volumes::planner {
namespace {

using Order = std::vector<std::size_t>;

TEST(PlanTopologicalOrder, KeepsTheListingWhenNothingIsStacked)
{
    EXPECT_EQ(topological_order({{}, {}, {}}), (Order{0, 1, 2}));
}

TEST(PlanTopologicalOrder, PutsPrerequisitesFirstAndOtherwiseKeepsTheListing)
{
    // 0 after 2 and 3; 1 after 3.
    EXPECT_EQ(topological_order({{2, 3}, {3}, {}, {}}), (Order{2, 3, 0, 1}));
}

TEST(PlanTopologicalOrder, RepeatedEdgeCountsOnce)
{
    EXPECT_EQ(topological_order({{1, 1}, {}}), (Order{1, 0}));
}

TEST(PlanTopologicalOrder, LeavesOutCycleAndWhatHangsOffIt)
{
    // 0 after 1, 1 after 2, 2 after 1; 3 is free.
    const std::vector<std::vector<std::size_t>> after{{1}, {2}, {1}, {}};
    const auto order = topological_order(after);
    EXPECT_EQ(order, (Order{3}));
    EXPECT_EQ(find_cycle(after, order), (Order{1, 2}));
}

TEST(PlanTopologicalOrder, SelfLoopIsACycle)
{
    const std::vector<std::vector<std::size_t>> after{{0}};
    const auto order = topological_order(after);
    EXPECT_TRUE(order.empty());
    EXPECT_EQ(find_cycle(after, order), (Order{0}));
}

TEST(PlanTopologicalOrder, NoCycleWhenEverythingIsPlaced)
{
    const std::vector<std::vector<std::size_t>> after{{1}, {}};
    EXPECT_TRUE(find_cycle(after, topological_order(after)).empty());
}

}  // namespace
}  // namespace volumes::planner
