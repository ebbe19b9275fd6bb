#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_builder.hpp"
#include "service/allocator/extent_allocator.hpp"
#include "service/engine/autoextend_changes.hpp"
#include "service/engine/snapshot_changes.hpp"
#include "service/engine/thin_changes.hpp"
#include "service/engine/volume_changes.hpp"
#include "service/model/pool_checks.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {
namespace {

using volumes::testing::fails_with;
using volumes::testing::succeeded;
using namespace testing;

constexpr std::uint64_t kMetadata = 2 * 1024 * 1024;

const model::ThinPoolLayout& thin_pool_of(const model::Pool& pool, const char* name)
{
    return std::get<model::ThinPoolLayout>(model::find_volume(pool, name)->layout);
}

const model::SnapshotLayout& snapshot_of(const model::Pool& pool, const char* name)
{
    return std::get<model::SnapshotLayout>(model::find_volume(pool, name)->layout);
}

// A thin pool "tp" (uuid 1) of `data_extents` data extents and one metadata extent in a pool
// of one member with `extents` extents.
model::Pool pool_with_thin_pool(std::uint64_t data_extents, std::uint64_t extents = 40)
{
    return *add_thin_pool(empty_pool(1, extents), {"tp", data_extents * kExtent, kMetadata}, uuid_of(1));
}

// A linear origin "o" (uuid 2) with a CoW snapshot "s" (uuid 3) of `cow_extents` extents.
model::Pool pool_with_snapshot(std::uint64_t cow_extents, std::uint64_t extents = 40)
{
    auto pool = *add_linear_volume(empty_pool(1, extents), {"o", 4 * kExtent}, uuid_of(2));
    return *add_snapshot(pool, uuid_of(2), {"s", cow_extents * kExtent}, uuid_of(3));
}

TEST(AutoextendChanges, BelowTheDefaultThresholdNothingGrows)
{
    const auto pool = pool_with_thin_pool(10);
    // 79 %: the default threshold is 80.
    const auto plan = plan_autoextend(pool, {{uuid_of(1), AutoextendPart::Data, 79, 100}});
    ASSERT_TRUE(succeeded(plan));
    EXPECT_TRUE(plan->grown.empty());
    EXPECT_TRUE(plan->shortfalls.empty());
    EXPECT_EQ(plan->next, pool);
}

TEST(AutoextendChanges, ThinDataAtTheDefaultThresholdGrowsByTwentyPercentRoundedUpToExtents)
{
    const auto pool = pool_with_thin_pool(10);
    const auto plan = plan_autoextend(pool, {{uuid_of(1), AutoextendPart::Data, 80, 100}});
    ASSERT_TRUE(succeeded(plan));
    ASSERT_EQ(plan->grown.size(), 1u);
    EXPECT_EQ(plan->grown[0].name, "tp");
    EXPECT_EQ(plan->grown[0].part, AutoextendPart::Data);
    EXPECT_EQ(plan->grown[0].used_percent, 80u);
    EXPECT_EQ(plan->grown[0].from_bytes, 10 * kExtent);
    EXPECT_EQ(plan->grown[0].to_bytes, 12 * kExtent);
    EXPECT_EQ(model::extent_count(thin_pool_of(plan->next, "tp").data), 12u);
    EXPECT_EQ(model::extent_count(thin_pool_of(plan->next, "tp").meta), 1u);
    EXPECT_TRUE(plan->shortfalls.empty());
    EXPECT_TRUE(succeeded(model::check_pool(plan->next)));

    // 20 % of 11 extents is 2.2: three extents.
    const auto eleven = pool_with_thin_pool(11);
    const auto rounded = plan_autoextend(eleven, {{uuid_of(1), AutoextendPart::Data, 9, 10}});
    ASSERT_TRUE(succeeded(rounded));
    ASSERT_EQ(rounded->grown.size(), 1u);
    EXPECT_EQ(rounded->grown[0].to_bytes, 14 * kExtent);
}

TEST(AutoextendChanges, ASmallPartGrowsByAtLeastOneExtent)
{
    const auto pool = pool_with_thin_pool(2);
    const auto plan = plan_autoextend(pool, {{uuid_of(1), AutoextendPart::Data, 100, 100}});
    ASSERT_TRUE(succeeded(plan));
    ASSERT_EQ(plan->grown.size(), 1u);
    EXPECT_EQ(plan->grown[0].to_bytes, 3 * kExtent);  // 20 % of 2 is 0.4: one extent
}

TEST(AutoextendChanges, ThinMetadataIsWatchedAndGrownSeparatelyFromData)
{
    const auto pool = pool_with_thin_pool(10);
    const auto plan = plan_autoextend(pool, {{uuid_of(1), AutoextendPart::Data, 10, 100},
                                             {uuid_of(1), AutoextendPart::Metadata, 95, 100}});
    ASSERT_TRUE(succeeded(plan));
    ASSERT_EQ(plan->grown.size(), 1u);
    EXPECT_EQ(plan->grown[0].part, AutoextendPart::Metadata);
    EXPECT_EQ(plan->grown[0].used_percent, 95u);
    EXPECT_EQ(model::extent_count(thin_pool_of(plan->next, "tp").meta), 2u);
    EXPECT_EQ(model::extent_count(thin_pool_of(plan->next, "tp").data), 10u);
    EXPECT_TRUE(succeeded(model::check_pool(plan->next)));
}

TEST(AutoextendChanges, ThinMetadataAtDmThinsMostIsAShortfall)
{
    // 16 GiB of metadata in 4 MiB extents is 4096 extents.
    auto pool = *add_thin_pool(empty_pool(1, 5000), {"tp", kExtent, kMaxThinMetadataSize}, uuid_of(1));
    const auto plan = plan_autoextend(pool, {{uuid_of(1), AutoextendPart::Metadata, 99, 100}});
    ASSERT_TRUE(succeeded(plan));
    EXPECT_TRUE(plan->grown.empty());
    ASSERT_EQ(plan->shortfalls.size(), 1u);
    EXPECT_EQ(plan->shortfalls[0].part, AutoextendPart::Metadata);
    EXPECT_NE(plan->shortfalls[0].message.find("most"), std::string::npos) << plan->shortfalls[0].message;
    EXPECT_EQ(plan->next, pool);
}

TEST(AutoextendChanges, ACowPastItsThresholdGrows)
{
    const auto pool = pool_with_snapshot(5);
    const auto plan = plan_autoextend(pool, {{uuid_of(3), AutoextendPart::Cow, 900, 1000}});
    ASSERT_TRUE(succeeded(plan));
    ASSERT_EQ(plan->grown.size(), 1u);
    EXPECT_EQ(plan->grown[0].name, "s");
    EXPECT_EQ(plan->grown[0].part, AutoextendPart::Cow);
    EXPECT_EQ(model::extent_count(snapshot_of(plan->next, "s").cow), 6u);
    EXPECT_TRUE(succeeded(model::check_pool(plan->next)));
}

TEST(AutoextendChanges, ASnapshotBeingMergedNeverGrows)
{
    auto pool = pool_with_snapshot(5);
    std::get<model::SnapshotLayout>(model::find_volume(pool, uuid_of(3))->layout).merge =
        model::SnapshotMergeState::Merging;
    const auto plan = plan_autoextend(pool, {{uuid_of(3), AutoextendPart::Cow, 99, 100}});
    ASSERT_TRUE(succeeded(plan));
    EXPECT_TRUE(plan->grown.empty());
    EXPECT_TRUE(plan->shortfalls.empty());
}

TEST(AutoextendChanges, WithoutFreeExtentsNothingGrowsAndAShortfallSaysSo)
{
    // 1 metadata + 9 data extents fill the 10 of the one member.
    const auto pool = pool_with_thin_pool(9, 10);
    ASSERT_EQ(allocator::free_extent_count(pool), 0u);
    const auto plan = plan_autoextend(pool, {{uuid_of(1), AutoextendPart::Data, 95, 100}});
    ASSERT_TRUE(succeeded(plan));
    EXPECT_TRUE(plan->grown.empty());
    ASSERT_EQ(plan->shortfalls.size(), 1u);
    EXPECT_EQ(plan->shortfalls[0].name, "tp");
    EXPECT_EQ(plan->shortfalls[0].used_percent, 95u);
    EXPECT_NE(plan->shortfalls[0].message.find("no free extents"), std::string::npos) << plan->shortfalls[0].message;
    EXPECT_EQ(plan->next, pool);
}

TEST(AutoextendChanges, FewerFreeExtentsThanTheStepGrowWhatIsFreeAndWarn)
{
    // 20 extents of data, a step of 4; 1 + 20 + 2 free = 23.
    const auto pool = pool_with_thin_pool(20, 23);
    const auto plan = plan_autoextend(pool, {{uuid_of(1), AutoextendPart::Data, 85, 100}});
    ASSERT_TRUE(succeeded(plan));
    ASSERT_EQ(plan->grown.size(), 1u);
    EXPECT_EQ(plan->grown[0].to_bytes, 22 * kExtent);
    ASSERT_EQ(plan->shortfalls.size(), 1u);
    EXPECT_NE(plan->shortfalls[0].message.find("only 2 of 4"), std::string::npos) << plan->shortfalls[0].message;
    EXPECT_EQ(allocator::free_extent_count(plan->next), 0u);
}

TEST(AutoextendChanges, LaterPartsSeeTheExtentsEarlierOnesTook)
{
    // tp: 1 + 10; s: origin 4 + cow 5; 20 of 22 used, 2 free. tp's step of 2 takes both.
    auto pool = *add_thin_pool(empty_pool(1, 22), {"tp", 10 * kExtent, kMetadata}, uuid_of(1));
    pool = *add_linear_volume(pool, {"o", 4 * kExtent}, uuid_of(2));
    pool = *add_snapshot(pool, uuid_of(2), {"s", 5 * kExtent}, uuid_of(3));
    const auto plan = plan_autoextend(pool, {{uuid_of(1), AutoextendPart::Data, 90, 100},
                                             {uuid_of(3), AutoextendPart::Cow, 90, 100}});
    ASSERT_TRUE(succeeded(plan));
    ASSERT_EQ(plan->grown.size(), 1u);
    EXPECT_EQ(plan->grown[0].name, "tp");
    ASSERT_EQ(plan->shortfalls.size(), 1u);
    EXPECT_EQ(plan->shortfalls[0].name, "s");
    EXPECT_TRUE(succeeded(model::check_pool(plan->next)));
}

TEST(AutoextendChanges, AVolumesOwnPolicyOverridesThePoolsAndThresholdHundredIsOff)
{
    auto pool = pool_with_thin_pool(10);
    pool = *with_pool_autoextend(pool, false, {60, 50});
    // The pool's 60 % applies.
    auto plan = plan_autoextend(pool, {{uuid_of(1), AutoextendPart::Data, 60, 100}});
    ASSERT_TRUE(succeeded(plan));
    ASSERT_EQ(plan->grown.size(), 1u);
    EXPECT_EQ(plan->grown[0].to_bytes, 15 * kExtent);

    // The thin pool's own 100 % is off, even when full.
    pool = *with_volume_autoextend(pool, uuid_of(1), model::AutoextendPolicy{100, 20});
    plan = plan_autoextend(pool, {{uuid_of(1), AutoextendPart::Data, 100, 100}});
    ASSERT_TRUE(succeeded(plan));
    EXPECT_TRUE(plan->grown.empty());
    EXPECT_TRUE(plan->shortfalls.empty());

    // Inheriting again: the pool's 60/50.
    pool = *with_volume_autoextend(pool, uuid_of(1), std::nullopt);
    EXPECT_FALSE(thin_pool_of(pool, "tp").autoextend.has_value());
    plan = plan_autoextend(pool, {{uuid_of(1), AutoextendPart::Data, 70, 100}});
    ASSERT_TRUE(succeeded(plan));
    EXPECT_EQ(plan->grown.size(), 1u);
}

TEST(AutoextendChanges, ThePoolsSnapshotDefaultIsSeparateFromItsThinPoolDefault)
{
    auto pool = pool_with_snapshot(5);
    pool = *with_pool_autoextend(pool, false, {100, 20});  // thin pools: off
    auto plan = plan_autoextend(pool, {{uuid_of(3), AutoextendPart::Cow, 85, 100}});
    ASSERT_TRUE(succeeded(plan));
    EXPECT_EQ(plan->grown.size(), 1u) << "the snapshot default (80) still applies";
    pool = *with_pool_autoextend(pool, true, {90, 20});
    plan = plan_autoextend(pool, {{uuid_of(3), AutoextendPart::Cow, 85, 100}});
    ASSERT_TRUE(succeeded(plan));
    EXPECT_TRUE(plan->grown.empty());
}

TEST(AutoextendChanges, UsagesOfGoneOrOtherVolumesAreSkipped)
{
    const auto pool = pool_with_snapshot(5);
    const auto plan = plan_autoextend(pool, {{uuid_of(9), AutoextendPart::Data, 99, 100},
                                             {uuid_of(2), AutoextendPart::Cow, 99, 100},
                                             {uuid_of(3), AutoextendPart::Data, 99, 100},
                                             {uuid_of(3), AutoextendPart::Cow, 0, 0}});
    ASSERT_TRUE(succeeded(plan));
    EXPECT_TRUE(plan->grown.empty());
    EXPECT_TRUE(plan->shortfalls.empty());
}

TEST(AutoextendChanges, BadPoliciesAreRefusedAndChangeNothing)
{
    const auto pool = pool_with_snapshot(5);
    for (const model::AutoextendPolicy bad : {model::AutoextendPolicy{49, 20}, model::AutoextendPolicy{101, 20},
                                              model::AutoextendPolicy{80, 0}, model::AutoextendPolicy{80, 101},
                                              model::AutoextendPolicy{0, 0}}) {
        EXPECT_TRUE(fails_with(with_pool_autoextend(pool, true, bad), ErrorCode::InvalidArgument));
        EXPECT_TRUE(fails_with(with_pool_autoextend(pool, false, bad), ErrorCode::InvalidArgument));
        EXPECT_TRUE(fails_with(with_volume_autoextend(pool, uuid_of(3), bad), ErrorCode::InvalidArgument));
    }
    // Bounds are inclusive.
    EXPECT_TRUE(succeeded(with_pool_autoextend(pool, true, {50, 1})));
    EXPECT_TRUE(succeeded(with_pool_autoextend(pool, true, {100, 100})));
    // Only thin pools and snapshots grow on their own.
    EXPECT_TRUE(fails_with(with_volume_autoextend(pool, uuid_of(2), model::AutoextendPolicy{}),
                           ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(with_volume_autoextend(pool, uuid_of(9), std::nullopt), ErrorCode::NotFound));
}

TEST(AutoextendChanges, AGrowthMovesTheLowWaterWithTheData)
{
    // 10 extents of 4 MiB: 640 blocks of 64 KiB, 128 free at the default 80.
    const auto pool = pool_with_thin_pool(10);
    EXPECT_EQ(thin_pool_of(pool, "tp").low_water_blocks, 128u);
    const auto plan = plan_autoextend(pool, {{uuid_of(1), AutoextendPart::Data, 80, 100}});
    ASSERT_TRUE(succeeded(plan));
    ASSERT_EQ(plan->grown.size(), 1u);
    EXPECT_EQ(thin_pool_of(plan->next, "tp").low_water_blocks, 153u) << "768 blocks leave 153.6 free";

    // Metadata alone leaves it.
    const auto meta = plan_autoextend(pool, {{uuid_of(1), AutoextendPart::Metadata, 90, 100}});
    ASSERT_TRUE(succeeded(meta));
    ASSERT_EQ(meta->grown.size(), 1u);
    EXPECT_EQ(thin_pool_of(meta->next, "tp").low_water_blocks, 128u);
}

TEST(AutoextendChanges, SettingAPolicyMovesTheLowWater)
{
    auto pool = pool_with_thin_pool(10);  // 640 blocks
    pool = *with_pool_autoextend(pool, false, {60, 50});
    EXPECT_EQ(thin_pool_of(pool, "tp").low_water_blocks, 256u) << "the pool's default applies";
    pool = *with_pool_autoextend(pool, true, {95, 50});
    EXPECT_EQ(thin_pool_of(pool, "tp").low_water_blocks, 256u) << "the snapshot default does not count";

    pool = *with_volume_autoextend(pool, uuid_of(1), model::AutoextendPolicy{90, 20});
    EXPECT_EQ(thin_pool_of(pool, "tp").low_water_blocks, 64u) << "its own";
    pool = *with_pool_autoextend(pool, false, {50, 50});
    EXPECT_EQ(thin_pool_of(pool, "tp").low_water_blocks, 64u) << "its own still applies";

    // Off keeps what it had; inheriting the pool's 50 again derives from that.
    pool = *with_volume_autoextend(pool, uuid_of(1), model::AutoextendPolicy{100, 20});
    EXPECT_EQ(thin_pool_of(pool, "tp").low_water_blocks, 64u);
    pool = *with_volume_autoextend(pool, uuid_of(1), std::nullopt);
    EXPECT_EQ(thin_pool_of(pool, "tp").low_water_blocks, 320u);
}

TEST(AutoextendChanges, ThePoolsDefaultMovesOnlyItsThinPoolsLowWater)
{
    // A second thin pool "tq" (uuid 2) with its own policy, and a snapshot: neither moves.
    auto pool = *add_thin_pool(pool_with_thin_pool(10), {"tq", 5 * kExtent, kMetadata}, uuid_of(2));
    pool = *with_volume_autoextend(pool, uuid_of(2), model::AutoextendPolicy{90, 20});
    pool = *add_linear_volume(pool, {"o", kExtent}, uuid_of(3));
    pool = *add_snapshot(pool, uuid_of(3), {"s", kExtent}, uuid_of(4));
    const auto before = pool;
    pool = *with_pool_autoextend(pool, false, {70, 20});
    EXPECT_EQ(thin_pool_of(pool, "tp").low_water_blocks, 192u);
    EXPECT_EQ(thin_pool_of(pool, "tq").low_water_blocks, 32u) << "320 blocks at its own 90";
    auto expected = before;
    expected.thin_pool_autoextend = model::AutoextendPolicy{70, 20};
    std::get<model::ThinPoolLayout>(model::find_volume(expected, uuid_of(1))->layout).low_water_blocks = 192;
    EXPECT_EQ(pool, expected);
}

TEST(AutoextendChanges, ARefusedPolicyLeavesTheLowWater)
{
    const auto pool = pool_with_thin_pool(10);
    EXPECT_TRUE(fails_with(with_pool_autoextend(pool, false, {40, 20}), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(with_volume_autoextend(pool, uuid_of(1), model::AutoextendPolicy{101, 20}),
                           ErrorCode::InvalidArgument));
}

}  // namespace
}  // namespace volumes::engine
