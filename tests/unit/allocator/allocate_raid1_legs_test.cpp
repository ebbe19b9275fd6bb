#include <string>

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_builder.hpp"
#include "service/allocator/extent_allocator.hpp"

namespace volumes::allocator::testing {
namespace {

using volumes::testing::fails_with;
using volumes::testing::succeeded;

bool mentions(const std::string& message, const std::string& text)
{
    return message.find(text) != std::string::npos;
}

TEST(AllocateRaid1Legs, ZeroLegsIsRefused)
{
    EXPECT_TRUE(fails_with(allocate_raid1_legs(pool_of({10, 10}), 0, 4), model::ErrorCode::InvalidArgument));
}

TEST(AllocateRaid1Legs, ZeroDataExtentsIsRefused)
{
    EXPECT_TRUE(fails_with(allocate_raid1_legs(pool_of({10, 10}), 2, 0), model::ErrorCode::InvalidArgument));
}

TEST(AllocateRaid1Legs, EachLegOnItsOwnMemberMetaRightBeforeData)
{
    const auto legs = allocate_raid1_legs(pool_of({10, 10}), 2, 4);
    ASSERT_TRUE(succeeded(legs));
    ASSERT_EQ(legs->size(), 2u);
    EXPECT_EQ((*legs)[0].member, m(1));
    EXPECT_EQ((*legs)[0].meta, (ExtentMap{run(1, 0, 1)}));
    EXPECT_EQ((*legs)[0].data, (ExtentMap{run(1, 1, 4)}));
    EXPECT_EQ((*legs)[1].member, m(2));
    EXPECT_EQ((*legs)[1].meta, (ExtentMap{run(2, 0, 1)}));
    EXPECT_EQ((*legs)[1].data, (ExtentMap{run(2, 1, 4)}));
}

TEST(AllocateRaid1Legs, MembersWithTheMostFreeExtentsFirst)
{
    auto pool = pool_of({20, 10, 30, 25});
    add_linear(pool, {run(4, 0, 10)});
    const auto legs = allocate_raid1_legs(pool, 3, 5);
    ASSERT_TRUE(succeeded(legs));
    ASSERT_EQ(legs->size(), 3u);
    EXPECT_EQ((*legs)[0].member, m(3));
    EXPECT_EQ((*legs)[1].member, m(1));
    EXPECT_EQ((*legs)[2].member, m(4));
    EXPECT_EQ((*legs)[2].meta, (ExtentMap{run(4, 10, 1)}));
    EXPECT_EQ((*legs)[2].data, (ExtentMap{run(4, 11, 5)}));
}

TEST(AllocateRaid1Legs, ExcludedMembersAreNeverUsed)
{
    const auto legs = allocate_raid1_legs(pool_of({30, 10, 20}), 1, 4, {m(1)});
    ASSERT_TRUE(succeeded(legs));
    ASSERT_EQ(legs->size(), 1u);
    EXPECT_EQ((*legs)[0].member, m(3));
}

TEST(AllocateRaid1Legs, MetaGoesBeforeTheFirstRunThatHoldsTheWholeLeg)
{
    auto pool = pool_of({20});
    add_linear(pool, {run(1, 2, 2)});
    add_linear(pool, {run(1, 7, 3)});
    const auto legs = allocate_raid1_legs(pool, 1, 5);
    ASSERT_TRUE(succeeded(legs));
    EXPECT_EQ((*legs)[0].meta, (ExtentMap{run(1, 10, 1)}));
    EXPECT_EQ((*legs)[0].data, (ExtentMap{run(1, 11, 5)}));
}

TEST(AllocateRaid1Legs, FragmentedMemberStillStartsDataRightAfterMeta)
{
    // Free: 0, 2-4, 6, 8-9.
    auto pool = pool_of({10});
    add_linear(pool, {run(1, 1, 1), run(1, 5, 1), run(1, 7, 1)});
    const auto legs = allocate_raid1_legs(pool, 1, 5);
    ASSERT_TRUE(succeeded(legs));
    EXPECT_EQ((*legs)[0].meta, (ExtentMap{run(1, 2, 1)}));
    EXPECT_EQ((*legs)[0].data, (ExtentMap{run(1, 3, 2), run(1, 0, 1), run(1, 6, 1), run(1, 8, 1)}));
}

TEST(AllocateRaid1Legs, SingleExtentRunsAreEnough)
{
    auto pool = pool_of({6});
    add_linear(pool, {run(1, 1, 1), run(1, 3, 1)});
    // Free: 0, 2, 4-5; the only run of two holds meta and the first data extent.
    const auto legs = allocate_raid1_legs(pool, 1, 3);
    ASSERT_TRUE(succeeded(legs));
    EXPECT_EQ((*legs)[0].meta, (ExtentMap{run(1, 4, 1)}));
    EXPECT_EQ((*legs)[0].data, (ExtentMap{run(1, 5, 1), run(1, 0, 1), run(1, 2, 1)}));
}

TEST(AllocateRaid1Legs, OnlySingleExtentRuns)
{
    auto pool = pool_of({5});
    add_linear(pool, {run(1, 1, 1), run(1, 3, 1)});
    const auto legs = allocate_raid1_legs(pool, 1, 2);
    ASSERT_TRUE(succeeded(legs));
    EXPECT_EQ((*legs)[0].meta, (ExtentMap{run(1, 0, 1)}));
    EXPECT_EQ((*legs)[0].data, (ExtentMap{run(1, 2, 1), run(1, 4, 1)}));
}

TEST(AllocateRaid1Legs, NoSpaceSaysWhatIsNeededAndWhatEachMemberHas)
{
    const auto legs = allocate_raid1_legs(pool_of({30, 28, 10}), 3, 25);
    ASSERT_TRUE(fails_with(legs, model::ErrorCode::NoSpace));
    const auto& message = legs.error().message;
    EXPECT_TRUE(mentions(message, "3 images of 25 extents")) << message;
    EXPECT_TRUE(mentions(message, "needs 3 members with 26 free extents each")) << message;
    EXPECT_TRUE(mentions(message, "2 have that many")) << message;
    EXPECT_TRUE(mentions(message, m(1).to_string() + ": 30")) << message;
    EXPECT_TRUE(mentions(message, m(2).to_string() + ": 28")) << message;
    EXPECT_TRUE(mentions(message, m(3).to_string() + ": 10")) << message;
}

TEST(AllocateRaid1Legs, NoSpaceWhenTheMetaExtentDoesNotFit)
{
    const auto legs = allocate_raid1_legs(pool_of({10, 10}), 2, 10);
    ASSERT_TRUE(fails_with(legs, model::ErrorCode::NoSpace));
    EXPECT_TRUE(mentions(legs.error().message, "0 have that many")) << legs.error().message;
}

TEST(AllocateRaid1Legs, NoSpaceWithFewerMembersThanLegs)
{
    const auto legs = allocate_raid1_legs(pool_of({100}), 2, 1);
    ASSERT_TRUE(fails_with(legs, model::ErrorCode::NoSpace));
    EXPECT_TRUE(mentions(legs.error().message, "1 has that many")) << legs.error().message;
}

TEST(AllocateRaid1Legs, NoSpaceCountsExcludedMembersOut)
{
    const auto legs = allocate_raid1_legs(pool_of({30, 30, 5}), 1, 5, {m(1), m(2)});
    ASSERT_TRUE(fails_with(legs, model::ErrorCode::NoSpace));
    const auto& message = legs.error().message;
    EXPECT_TRUE(mentions(message, "0 have that many")) << message;
    EXPECT_TRUE(mentions(message, m(3).to_string() + ": 5")) << message;
    EXPECT_FALSE(mentions(message, m(1).to_string())) << message;
    EXPECT_TRUE(mentions(message, "2 excluded members")) << message;
}

}  // namespace
}  // namespace volumes::allocator::testing
