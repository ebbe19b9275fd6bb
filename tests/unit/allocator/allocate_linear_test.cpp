#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_builder.hpp"
#include "service/allocator/extent_allocator.hpp"

namespace volumes::allocator::testing {
namespace {

using volumes::testing::fails_with;
using volumes::testing::succeeded;

TEST(AllocateLinear, ZeroExtentsIsRefused)
{
    EXPECT_TRUE(fails_with(allocate_linear(pool_of({10}), 0), model::ErrorCode::InvalidArgument));
}

TEST(AllocateLinear, TakesTheMemberWithTheMostFreeExtents)
{
    const auto map = allocate_linear(pool_of({10, 30, 20}), 5);
    ASSERT_TRUE(succeeded(map));
    EXPECT_EQ(*map, (ExtentMap{run(2, 0, 5)}));
}

TEST(AllocateLinear, TiesGoToTheEarlierMember)
{
    const auto map = allocate_linear(pool_of({10, 20, 20}), 5);
    ASSERT_TRUE(succeeded(map));
    EXPECT_EQ(*map, (ExtentMap{run(2, 0, 5)}));
}

TEST(AllocateLinear, FreeExtentsDecideNotMemberSize)
{
    auto pool = pool_of({30, 20});
    add_linear(pool, {run(1, 0, 15)});
    const auto map = allocate_linear(pool, 5);
    ASSERT_TRUE(succeeded(map));
    EXPECT_EQ(*map, (ExtentMap{run(2, 0, 5)}));
}

TEST(AllocateLinear, SpansMembersMostFreeFirst)
{
    const auto map = allocate_linear(pool_of({10, 30, 20}), 55);
    ASSERT_TRUE(succeeded(map));
    EXPECT_EQ(*map, (ExtentMap{run(2, 0, 30), run(3, 0, 20), run(1, 0, 5)}));
}

TEST(AllocateLinear, EveryFreeExtentCanBeTaken)
{
    auto pool = pool_of({10, 10});
    add_linear(pool, {run(1, 4, 2)});
    const auto map = allocate_linear(pool, 18);
    ASSERT_TRUE(succeeded(map));
    EXPECT_EQ(*map, (ExtentMap{run(2, 0, 10), run(1, 0, 4), run(1, 6, 4)}));
}

TEST(AllocateLinear, AMembersRunsAscendAndGapsStay)
{
    auto pool = pool_of({20});
    add_linear(pool, {run(1, 3, 2)});
    add_linear(pool, {run(1, 10, 5)});
    const auto map = allocate_linear(pool, 10);
    ASSERT_TRUE(succeeded(map));
    EXPECT_EQ(*map, (ExtentMap{run(1, 0, 3), run(1, 5, 5), run(1, 15, 2)}));
}

TEST(AllocateLinear, AvoidedMemberIsLeftOutWhenOthersSuffice)
{
    const auto map = allocate_linear(pool_of({10, 30, 20}), 25, {m(2)});
    ASSERT_TRUE(succeeded(map));
    EXPECT_EQ(*map, (ExtentMap{run(3, 0, 20), run(1, 0, 5)}));
}

TEST(AllocateLinear, AvoidedMemberIsTheLastResort)
{
    const auto map = allocate_linear(pool_of({10, 30, 20}), 35, {m(2)});
    ASSERT_TRUE(succeeded(map));
    EXPECT_EQ(*map, (ExtentMap{run(3, 0, 20), run(1, 0, 10), run(2, 0, 5)}));
}

TEST(AllocateLinear, AvoidingEveryMemberStillAllocates)
{
    const auto map = allocate_linear(pool_of({10, 30}), 35, {m(1), m(2)});
    ASSERT_TRUE(succeeded(map));
    EXPECT_EQ(*map, (ExtentMap{run(2, 0, 30), run(1, 0, 5)}));
}

TEST(AllocateLinear, AvoidingAnUnknownMemberChangesNothing)
{
    const auto map = allocate_linear(pool_of({10, 30}), 5, {m(9)});
    ASSERT_TRUE(succeeded(map));
    EXPECT_EQ(*map, (ExtentMap{run(2, 0, 5)}));
}

TEST(AllocateLinear, NoSpaceNamesWhatWasAskedAndWhatIsFree)
{
    auto pool = pool_of({10, 20});
    add_linear(pool, {run(2, 0, 5)});
    const auto map = allocate_linear(pool, 26);
    ASSERT_TRUE(fails_with(map, model::ErrorCode::NoSpace));
    EXPECT_NE(map.error().message.find("26"), std::string::npos) << map.error().message;
    EXPECT_NE(map.error().message.find("25"), std::string::npos) << map.error().message;
}

TEST(AllocateLinear, NoSpaceInAPoolWithoutMembers)
{
    EXPECT_TRUE(fails_with(allocate_linear(pool_of({}), 1), model::ErrorCode::NoSpace));
}

}  // namespace
}  // namespace volumes::allocator::testing
