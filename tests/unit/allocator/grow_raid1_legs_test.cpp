#include <string>

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_builder.hpp"
#include "service/allocator/extent_allocator.hpp"

namespace volumes::allocator::testing {
namespace {

using volumes::testing::fails_with;
using volumes::testing::succeeded;

TEST(GrowRaid1Legs, EachLegGrowsOnItsOwnMemberJoiningTheRunAfterItsEnd)
{
    auto pool = pool_of({10, 10, 10});
    // Leg 0 on m1 (0-2), a linear volume after it on m1 (3), leg 1 on m2 (0-2).
    const std::vector<model::Raid1Leg> legs{leg(run(1, 0, 1), run(1, 1, 2)), leg(run(2, 0, 1), run(2, 1, 2))};
    add_volume(pool, raid1(legs));
    add_linear(pool, {run(1, 3, 1)});
    add_linear(pool, {run(3, 0, 10)});

    const auto grown = grow_raid1_legs(pool, legs, 3);
    ASSERT_TRUE(succeeded(grown));
    ASSERT_EQ(grown->size(), 2u);
    EXPECT_EQ((*grown)[0], (ExtentMap{run(1, 1, 2), run(1, 4, 3)})) << "leg 0 stays on m1, past the linear volume";
    EXPECT_EQ((*grown)[1], (ExtentMap{run(2, 1, 5)})) << "leg 1 continues its run on m2";
}

TEST(GrowRaid1Legs, NoSpaceNamesEveryLegThatLacksRoomOnItsMemberAndByHowMuch)
{
    auto pool = pool_of({5, 10, 40});
    const std::vector<model::Raid1Leg> legs{leg(run(1, 0, 1), run(1, 1, 2)), leg(run(2, 0, 1), run(2, 1, 2))};
    add_volume(pool, raid1(legs));
    // m1 has 2 free, m2 7, m3 40: the free space of m3 does not help, legs stay on their members.
    const auto refused = grow_raid1_legs(pool, legs, 4);
    ASSERT_TRUE(fails_with(refused, model::ErrorCode::NoSpace));
    const auto& message = refused.error().message;
    EXPECT_NE(message.find("leg 0 needs 4 more extents on member " + m(1).to_string() + ", which has 2 free (2 short)"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find("leg 1"), std::string::npos) << message;
    EXPECT_TRUE(succeeded(grow_raid1_legs(pool, legs, 2)));
    EXPECT_TRUE(fails_with(grow_raid1_legs(pool, legs, 0), model::ErrorCode::InvalidArgument));
}

}  // namespace
}  // namespace volumes::allocator::testing
