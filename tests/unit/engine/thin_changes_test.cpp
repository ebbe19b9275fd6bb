#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_builder.hpp"
#include "service/allocator/extent_allocator.hpp"
#include "service/engine/thin_changes.hpp"
#include "service/engine/volume_changes.hpp"
#include "service/model/pool_checks.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {
namespace {

using model::ThinLayout;
using model::ThinPoolLayout;
using volumes::testing::fails_with;
using volumes::testing::succeeded;
using namespace testing;

using Messages = std::vector<std::string>;

constexpr std::uint64_t MiB = 1024 * 1024;
constexpr std::uint64_t GiB = 1024 * MiB;

template <class T>
T value(Result<T> result)
{
    if (!result)
        throw std::runtime_error(result.error().message);
    return std::move(*result);
}

// Thin pool "tp" (uuid 1) with 2 data extents and 1 metadata extent, in a pool of 3 x 10 extents.
model::Pool with_thin_pool(model::Pool pool = empty_pool())
{
    return value(add_thin_pool(pool, {.name = "tp", .data_size = 2 * kExtent, .metadata_size = kMinThinMetadataSize},
                               uuid_of(1)));
}

// Thin pool "tp" (uuid 1) with thin "a" (uuid 2, thin id 0, 1 GiB) and its snapshot "a-snap" (uuid 3, id 1).
model::Pool with_thin_and_snapshot()
{
    auto pool = value(add_thin(with_thin_pool(), uuid_of(1), "a", GiB, uuid_of(2))).next;
    return value(add_thin_snapshot(pool, uuid_of(2), "a-snap", uuid_of(3))).next;
}

ThinPoolLayout& thin_pool_of(model::Pool& pool, std::uint8_t uuid = 1)
{
    return std::get<ThinPoolLayout>(model::find_volume(pool, uuid_of(uuid))->layout);
}

const ThinLayout& thin_of(const model::Pool& pool, std::uint8_t uuid)
{
    return std::get<ThinLayout>(model::find_volume(pool, uuid_of(uuid))->layout);
}

// ---- add_thin_pool

TEST(ThinChanges, AThinPoolGetsDataAndMetadataRoundedUpToWholeExtents)
{
    auto pool = add_thin_pool(empty_pool(),
                              {.name = "tp", .data_size = 2 * kExtent - 1, .metadata_size = kMinThinMetadataSize},
                              uuid_of(1));
    ASSERT_TRUE(succeeded(pool));
    EXPECT_TRUE(succeeded(model::check_pool(*pool)));
    const auto* volume = model::find_volume(*pool, uuid_of(1));
    ASSERT_NE(volume, nullptr);
    EXPECT_EQ(volume->name, "tp");
    EXPECT_TRUE(volume->active);
    const auto& layout = std::get<ThinPoolLayout>(volume->layout);
    EXPECT_EQ(model::extent_count(layout.data), 2u);
    EXPECT_EQ(model::extent_count(layout.meta), 1u);
    EXPECT_EQ(layout.block_size, kDefaultThinBlockSize);
    EXPECT_EQ(layout.low_water_blocks, 25u) << "the default threshold 80 of 128 blocks of 64 KiB leaves 25.6 free";
    EXPECT_FALSE(layout.error_if_no_space);
    EXPECT_EQ(layout.transaction_id, 0u);
    EXPECT_EQ(layout.next_thin_id, 0u);
    EXPECT_EQ(layout.held_metadata_root, std::nullopt);
    EXPECT_EQ(allocator::free_extent_count(*pool), 27u);
    ASSERT_EQ(layout.meta.size(), 1u);
    for (const auto& run : layout.data)
        EXPECT_NE(run.member, layout.meta.front().member) << "metadata on a member of its own when there is room";
}

TEST(ThinChanges, AThinPoolKeepsItsRequestedOptions)
{
    auto pool = add_thin_pool(empty_pool(), {"tp", 3 * kExtent, 5 * MiB, 128 * 1024, 7, true}, uuid_of(1));
    ASSERT_TRUE(succeeded(pool));
    EXPECT_TRUE(succeeded(model::check_pool(*pool)));
    const auto& layout = thin_pool_of(*pool);
    EXPECT_EQ(model::extent_count(layout.data), 3u);
    EXPECT_EQ(model::extent_count(layout.meta), 2u);
    EXPECT_EQ(layout.block_size, 128u * 1024);
    EXPECT_EQ(layout.low_water_blocks, 19u) << "96 blocks at the default threshold 80 leave 19 free, more than 7";
    EXPECT_TRUE(layout.error_if_no_space);
}

TEST(ThinChanges, LowWaterIsTheFreeBlocksLeftAtTheThreshold)
{
    EXPECT_EQ(low_water_at_threshold(128, 80), 25u);
    EXPECT_EQ(low_water_at_threshold(100, 80), 20u);
    EXPECT_EQ(low_water_at_threshold(100, 50), 50u);
    EXPECT_EQ(low_water_at_threshold(1000, 99), 10u);
    EXPECT_EQ(low_water_at_threshold(10, 95), 1u) << "half a block: at least one";
    EXPECT_EQ(low_water_at_threshold(1, 80), 1u);
    // Free at or below it is exactly used at or above the threshold, as plan_autoextend decides.
    for (const std::uint64_t total : {7u, 100u, 128u, 1000u, 4093u})
        for (const std::uint32_t threshold : {50u, 67u, 80u, 95u, 99u}) {
            const auto low_water = low_water_at_threshold(total, threshold);
            if (low_water == 1 && total * (100 - threshold) < 100)
                continue;  // the floor of one block
            for (std::uint64_t used = 0; used <= total; ++used)
                EXPECT_EQ(total - used <= low_water, used * 100 >= std::uint64_t{threshold} * total)
                    << total << " blocks, threshold " << threshold << ", " << used << " used";
        }
}

TEST(ThinChanges, ALowWaterMarkAboveTheDerivedOneIsKept)
{
    // 96 blocks of 128 KiB: 19 free at the default threshold.
    auto pool = add_thin_pool(empty_pool(), {"tp", 3 * kExtent, 5 * MiB, 128 * 1024, 40, false}, uuid_of(1));
    ASSERT_TRUE(succeeded(pool));
    EXPECT_EQ(thin_pool_of(*pool).low_water_blocks, 40u);
}

TEST(ThinChanges, WithAutoextendOffTheThinPoolKeepsTheGivenOrDefaultLowWater)
{
    auto off = empty_pool();
    off.thin_pool_autoextend = model::AutoextendPolicy{100, 20};
    auto given = add_thin_pool(off, {"tp", 3 * kExtent, 5 * MiB, 128 * 1024, 7, false}, uuid_of(1));
    ASSERT_TRUE(succeeded(given));
    EXPECT_EQ(thin_pool_of(*given).low_water_blocks, 7u);
    auto defaulted = add_thin_pool(
        off, {.name = "tp", .data_size = 2 * kExtent, .metadata_size = kMinThinMetadataSize}, uuid_of(1));
    ASSERT_TRUE(succeeded(defaulted));
    EXPECT_EQ(thin_pool_of(*defaulted).low_water_blocks, 12u) << "a tenth of 128 blocks";
}

TEST(ThinChanges, ThePoolsThinPoolThresholdSetsTheLowWaterAtCreation)
{
    auto pool = empty_pool();
    pool.thin_pool_autoextend = model::AutoextendPolicy{50, 20};
    auto added = add_thin_pool(pool, {.name = "tp", .data_size = 2 * kExtent, .metadata_size = kMinThinMetadataSize},
                               uuid_of(1));
    ASSERT_TRUE(succeeded(added));
    EXPECT_EQ(thin_pool_of(*added).low_water_blocks, 64u) << "half of 128 blocks";
}

TEST(ThinChanges, FollowingTheThresholdLeavesOtherVolumesAlone)
{
    auto pool = with_thin_and_snapshot();
    EXPECT_EQ(follow_autoextend_low_water(pool, uuid_of(2)), pool) << "a thin volume";
    EXPECT_EQ(follow_autoextend_low_water(pool, uuid_of(9)), pool) << "no such volume";
    EXPECT_EQ(follow_autoextend_low_water(pool, uuid_of(1)), pool) << "already follows";
}

TEST(ThinChanges, TheDefaultLowWaterMarkIsAtLeastOneBlock)
{
    auto pool = add_thin_pool(empty_pool(), {.name = "tp", .data_size = kExtent, .metadata_size = kMinThinMetadataSize,
                                             .block_size = 4 * 1024 * 1024},
                              uuid_of(1));
    ASSERT_TRUE(succeeded(pool));
    EXPECT_EQ(thin_pool_of(*pool).low_water_blocks, 1u) << "a single data block";
}

TEST(ThinChanges, AThinPoolTakesTheLargestBlockAndMetadataSizes)
{
    auto pool = add_thin_pool(empty_pool(3, 5000),
                              {.name = "tp", .data_size = GiB, .metadata_size = kMaxThinMetadataSize,
                               .block_size = 1024 * 1024 * 1024},
                              uuid_of(1));
    ASSERT_TRUE(succeeded(pool));
    EXPECT_TRUE(succeeded(model::check_pool(*pool)));
    EXPECT_EQ(model::extent_count(thin_pool_of(*pool).meta), 4096u);
    EXPECT_EQ(thin_pool_of(*pool).low_water_blocks, 1u);
}

TEST(ThinChanges, RefusesBadThinPoolRequests)
{
    const auto pool = with_thin_pool();
    const auto refused = [&](ThinPoolRequest request, ErrorCode code) {
        return fails_with(add_thin_pool(pool, request, uuid_of(9)), code);
    };
    const ThinPoolRequest good{.name = "tp2", .data_size = kExtent, .metadata_size = kMinThinMetadataSize};
    ASSERT_TRUE(succeeded(add_thin_pool(pool, good, uuid_of(9))));

    auto request = good;
    request.name = "tp";
    EXPECT_TRUE(refused(request, ErrorCode::AlreadyExists));
    request.name = "bad/name";
    EXPECT_TRUE(refused(request, ErrorCode::InvalidArgument));
    request.name = "x_tdata";
    EXPECT_TRUE(refused(request, ErrorCode::InvalidArgument));

    for (const std::uint32_t block_size : {0u, 4096u, 96u * 1024, 1024u * 1024 * 1024 + 64 * 1024, 1u << 31}) {
        request = good;
        request.block_size = block_size;
        EXPECT_TRUE(refused(request, ErrorCode::InvalidArgument)) << "block size " << block_size;
    }
    for (const std::uint64_t metadata_size : {std::uint64_t{0}, 2 * MiB - 1, 16 * GiB + 1}) {
        request = good;
        request.metadata_size = metadata_size;
        EXPECT_TRUE(refused(request, ErrorCode::InvalidArgument)) << "metadata size " << metadata_size;
    }
    request = good;
    request.data_size = 0;
    EXPECT_TRUE(refused(request, ErrorCode::InvalidArgument));
    request.data_size = kExtent;
    request.block_size = 8 * 1024 * 1024;
    EXPECT_TRUE(refused(request, ErrorCode::InvalidArgument)) << "data of one extent, smaller than one block";

    // One extent of data in 64 KiB blocks.
    const auto blocks = kExtent / (64 * 1024);
    request = good;
    request.block_size = 64 * 1024;
    for (const std::uint64_t mark : {blocks, blocks + 1, ~std::uint64_t{0}}) {
        request.low_water_blocks = mark;
        EXPECT_TRUE(refused(request, ErrorCode::InvalidArgument)) << "low-water mark " << mark << " of " << blocks;
    }
    request.low_water_blocks = blocks - 1;
    EXPECT_TRUE(succeeded(add_thin_pool(pool, request, uuid_of(9)))) << "the highest low-water mark";

    request = good;
    request.data_size = 28 * kExtent;
    EXPECT_TRUE(refused(request, ErrorCode::NoSpace)) << "27 extents are free";
    request.data_size = 26 * kExtent;
    request.metadata_size = 5 * MiB;
    EXPECT_TRUE(refused(request, ErrorCode::NoSpace)) << "1 extent left for 2 of metadata";
    request.metadata_size = 4 * MiB;
    EXPECT_TRUE(succeeded(add_thin_pool(pool, request, uuid_of(9)))) << "every free extent used";
}

// ---- add_thin

TEST(ThinChanges, AThinTakesTheNextThinIdAndAdvancesTheTransaction)
{
    const auto pool = with_thin_pool();
    auto first = add_thin(pool, uuid_of(1), "a", GiB, uuid_of(2));
    ASSERT_TRUE(succeeded(first));
    EXPECT_TRUE(succeeded(model::check_pool(first->next)));
    EXPECT_EQ(first->messages.thin_pool, uuid_of(1));
    EXPECT_EQ(first->messages.messages, (Messages{"create_thin 0", "set_transaction_id 0 1"}));
    EXPECT_EQ(thin_pool_of(first->next).transaction_id, 1u);
    EXPECT_EQ(thin_pool_of(first->next).next_thin_id, 1u);
    const auto* volume = model::find_volume(first->next, uuid_of(2));
    ASSERT_NE(volume, nullptr);
    EXPECT_EQ(volume->name, "a");
    EXPECT_TRUE(volume->active);
    EXPECT_EQ(thin_of(first->next, 2), (ThinLayout{uuid_of(1), 0, std::nullopt, GiB}));
    EXPECT_EQ(allocator::free_extent_count(first->next), allocator::free_extent_count(pool))
        << "a thin volume takes no extents";

    auto second = add_thin(first->next, uuid_of(1), "b", 512, uuid_of(3));
    ASSERT_TRUE(succeeded(second));
    EXPECT_TRUE(succeeded(model::check_pool(second->next)));
    EXPECT_EQ(second->messages.messages, (Messages{"create_thin 1", "set_transaction_id 1 2"}));
    EXPECT_EQ(thin_pool_of(second->next).transaction_id, 2u);
    EXPECT_EQ(thin_pool_of(second->next).next_thin_id, 2u);
    EXPECT_EQ(thin_of(second->next, 3), (ThinLayout{uuid_of(1), 1, std::nullopt, 512}));
}

TEST(ThinChanges, AThinActivatesItsInactivePool)
{
    auto inactive = set_active(with_thin_pool(), uuid_of(1), false);
    ASSERT_TRUE(succeeded(inactive));
    auto thin = add_thin(*inactive, uuid_of(1), "a", GiB, uuid_of(2));
    ASSERT_TRUE(succeeded(thin));
    EXPECT_TRUE(model::find_volume(thin->next, uuid_of(1))->active);
    EXPECT_TRUE(model::find_volume(thin->next, uuid_of(2))->active);
    EXPECT_TRUE(succeeded(model::check_pool(thin->next)));
}

TEST(ThinChanges, TheLastThinIdIsBelow2To24)
{
    auto pool = with_thin_pool();
    thin_pool_of(pool).next_thin_id = (1u << 24) - 1;
    auto last = add_thin(pool, uuid_of(1), "last", GiB, uuid_of(2));
    ASSERT_TRUE(succeeded(last));
    EXPECT_EQ(last->messages.messages.front(), "create_thin 16777215");
    EXPECT_EQ(thin_pool_of(last->next).next_thin_id, 1u << 24);
    EXPECT_TRUE(succeeded(model::check_pool(last->next)));
    EXPECT_TRUE(fails_with(add_thin(last->next, uuid_of(1), "more", GiB, uuid_of(3)), ErrorCode::NoSpace));
    EXPECT_TRUE(fails_with(add_thin_snapshot(last->next, uuid_of(2), "snap", uuid_of(3)), ErrorCode::NoSpace));
}

TEST(ThinChanges, RefusesBadThinRequests)
{
    auto pool = value(add_linear_volume(with_thin_pool(), {"lin", kExtent}, uuid_of(4)));
    EXPECT_TRUE(fails_with(add_thin(pool, uuid_of(9), "a", GiB, uuid_of(2)), ErrorCode::NotFound));
    EXPECT_TRUE(fails_with(add_thin(pool, uuid_of(4), "a", GiB, uuid_of(2)), ErrorCode::InvalidArgument))
        << "a linear volume is no thin pool";
    EXPECT_TRUE(fails_with(add_thin(pool, uuid_of(1), "lin", GiB, uuid_of(2)), ErrorCode::AlreadyExists));
    EXPECT_TRUE(fails_with(add_thin(pool, uuid_of(1), "tp", GiB, uuid_of(2)), ErrorCode::AlreadyExists));
    EXPECT_TRUE(fails_with(add_thin(pool, uuid_of(1), "bad/name", GiB, uuid_of(2)), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(add_thin(pool, uuid_of(1), "", GiB, uuid_of(2)), ErrorCode::InvalidArgument));
    for (const std::uint64_t size : {std::uint64_t{0}, std::uint64_t{1000}, GiB + 1})
        EXPECT_TRUE(fails_with(add_thin(pool, uuid_of(1), "a", size, uuid_of(2)), ErrorCode::InvalidArgument))
            << size;
    const auto thin = add_thin(pool, uuid_of(1), "a", GiB, uuid_of(2));
    ASSERT_TRUE(succeeded(thin));
    EXPECT_TRUE(fails_with(add_thin(thin->next, uuid_of(2), "b", GiB, uuid_of(3)), ErrorCode::InvalidArgument))
        << "a thin volume is no thin pool";
}

// ---- add_thin_snapshot

TEST(ThinChanges, AThinSnapshotTakesTheNextIdAndTheOriginsSize)
{
    const auto pool = value(add_thin(with_thin_pool(), uuid_of(1), "a", GiB, uuid_of(2))).next;
    auto snapshot = add_thin_snapshot(pool, uuid_of(2), "a-snap", uuid_of(3));
    ASSERT_TRUE(succeeded(snapshot));
    EXPECT_TRUE(succeeded(model::check_pool(snapshot->next)));
    EXPECT_EQ(snapshot->messages.thin_pool, uuid_of(1));
    EXPECT_EQ(snapshot->messages.messages, (Messages{"create_snap 1 0", "set_transaction_id 1 2"}));
    EXPECT_EQ(thin_pool_of(snapshot->next).transaction_id, 2u);
    EXPECT_EQ(thin_pool_of(snapshot->next).next_thin_id, 2u);
    EXPECT_EQ(thin_of(snapshot->next, 3), (ThinLayout{uuid_of(1), 1, 0, GiB}));
    EXPECT_EQ(model::find_volume(snapshot->next, uuid_of(3))->name, "a-snap");
    EXPECT_TRUE(model::find_volume(snapshot->next, uuid_of(3))->active);
    EXPECT_EQ(*model::find_volume(snapshot->next, uuid_of(2)), *model::find_volume(pool, uuid_of(2)));
    EXPECT_EQ(allocator::free_extent_count(snapshot->next), allocator::free_extent_count(pool));

    auto of_snapshot = add_thin_snapshot(snapshot->next, uuid_of(3), "a-snap-snap", uuid_of(4));
    ASSERT_TRUE(succeeded(of_snapshot));
    EXPECT_EQ(of_snapshot->messages.messages, (Messages{"create_snap 2 1", "set_transaction_id 2 3"}));
    EXPECT_EQ(thin_of(of_snapshot->next, 4), (ThinLayout{uuid_of(1), 2, 1, GiB}));
    EXPECT_TRUE(succeeded(model::check_pool(of_snapshot->next)));
}

TEST(ThinChanges, AThinSnapshotOfAnInactiveOriginIsInactive)
{
    const auto pool = value(add_thin(with_thin_pool(), uuid_of(1), "a", GiB, uuid_of(2))).next;
    auto snapshot = add_thin_snapshot(value(set_active(pool, uuid_of(2), false)), uuid_of(2), "s", uuid_of(3));
    ASSERT_TRUE(succeeded(snapshot));
    EXPECT_FALSE(model::find_volume(snapshot->next, uuid_of(3))->active);
    EXPECT_TRUE(succeeded(model::check_pool(snapshot->next)));
}

TEST(ThinChanges, RefusesBadThinSnapshotRequests)
{
    const auto pool = value(add_linear_volume(with_thin_and_snapshot(), {"lin", kExtent}, uuid_of(4)));
    EXPECT_TRUE(fails_with(add_thin_snapshot(pool, uuid_of(9), "s", uuid_of(5)), ErrorCode::NotFound));
    EXPECT_TRUE(fails_with(add_thin_snapshot(pool, uuid_of(1), "s", uuid_of(5)), ErrorCode::InvalidArgument))
        << "of a thin pool";
    EXPECT_TRUE(fails_with(add_thin_snapshot(pool, uuid_of(4), "s", uuid_of(5)), ErrorCode::InvalidArgument))
        << "of a linear volume";
    EXPECT_TRUE(fails_with(add_thin_snapshot(pool, uuid_of(2), "a-snap", uuid_of(5)), ErrorCode::AlreadyExists));
    EXPECT_TRUE(fails_with(add_thin_snapshot(pool, uuid_of(2), "a", uuid_of(5)), ErrorCode::AlreadyExists));
    EXPECT_TRUE(fails_with(add_thin_snapshot(pool, uuid_of(2), "bad/name", uuid_of(5)), ErrorCode::InvalidArgument));
}

// ---- remove_thin

TEST(ThinChanges, RemovingAThinDeletesItsIdAndAdvancesTheTransaction)
{
    auto pool = value(add_thin(with_thin_and_snapshot(), uuid_of(1), "b", GiB, uuid_of(4))).next;
    auto removed = remove_thin(pool, uuid_of(4));
    ASSERT_TRUE(succeeded(removed));
    EXPECT_TRUE(succeeded(model::check_pool(removed->next)));
    EXPECT_EQ(removed->messages.thin_pool, uuid_of(1));
    EXPECT_EQ(removed->messages.messages, (Messages{"delete 2", "set_transaction_id 3 4"}));
    EXPECT_EQ(model::find_volume(removed->next, uuid_of(4)), nullptr);
    EXPECT_EQ(thin_pool_of(removed->next).transaction_id, 4u);
    EXPECT_EQ(thin_pool_of(removed->next).next_thin_id, 3u) << "a deleted id is never given again";
    EXPECT_EQ(thin_of(removed->next, 3), thin_of(pool, 3));
    EXPECT_EQ(allocator::free_extent_count(removed->next), allocator::free_extent_count(pool));

    auto again = add_thin(removed->next, uuid_of(1), "b", GiB, uuid_of(4));
    ASSERT_TRUE(succeeded(again));
    EXPECT_EQ(again->messages.messages, (Messages{"create_thin 3", "set_transaction_id 4 5"}));
}

TEST(ThinChanges, RemovingAnOriginKeepsItsSnapshotsWithoutAnOrigin)
{
    auto pool = value(add_thin_snapshot(with_thin_and_snapshot(), uuid_of(2), "a-snap2", uuid_of(4))).next;
    pool = value(add_thin_snapshot(pool, uuid_of(3), "a-snap-snap", uuid_of(5))).next;
    auto removed = remove_thin(pool, uuid_of(2));
    ASSERT_TRUE(succeeded(removed));
    EXPECT_TRUE(succeeded(model::check_pool(removed->next)));
    EXPECT_EQ(removed->messages.messages, (Messages{"delete 0", "set_transaction_id 4 5"}));
    EXPECT_EQ(model::find_volume(removed->next, uuid_of(2)), nullptr);
    EXPECT_EQ(thin_of(removed->next, 3), (ThinLayout{uuid_of(1), 1, std::nullopt, GiB}));
    EXPECT_EQ(thin_of(removed->next, 4), (ThinLayout{uuid_of(1), 2, std::nullopt, GiB}));
    EXPECT_EQ(thin_of(removed->next, 5), (ThinLayout{uuid_of(1), 3, 1, GiB})) << "a snapshot of a remaining thin";
}

TEST(ThinChanges, RemovingAThinLeavesAnotherThinPoolsSnapshotsAlone)
{
    auto pool = with_thin_and_snapshot();
    pool = value(add_thin_pool(pool, {.name = "tp2", .data_size = kExtent, .metadata_size = kMinThinMetadataSize},
                               uuid_of(6)));
    pool = value(add_thin(pool, uuid_of(6), "c", GiB, uuid_of(7))).next;
    pool = value(add_thin_snapshot(pool, uuid_of(7), "c-snap", uuid_of(8))).next;
    ASSERT_EQ(thin_of(pool, 8), (ThinLayout{uuid_of(6), 1, 0, GiB}));
    auto removed = remove_thin(pool, uuid_of(2));
    ASSERT_TRUE(succeeded(removed));
    EXPECT_TRUE(succeeded(model::check_pool(removed->next)));
    EXPECT_EQ(thin_of(removed->next, 8), thin_of(pool, 8)) << "origin thin id 0 of tp2, not of tp";
    EXPECT_EQ(thin_pool_of(removed->next, 6), thin_pool_of(pool, 6));
    EXPECT_EQ(thin_pool_of(removed->next).transaction_id, thin_pool_of(pool).transaction_id + 1);
}

TEST(ThinChanges, RemoveThinRefusesWhatIsNotAThin)
{
    const auto pool = value(add_linear_volume(with_thin_and_snapshot(), {"lin", kExtent}, uuid_of(4)));
    EXPECT_TRUE(fails_with(remove_thin(pool, uuid_of(9)), ErrorCode::NotFound));
    EXPECT_TRUE(fails_with(remove_thin(pool, uuid_of(1)), ErrorCode::InvalidArgument)) << "a thin pool";
    EXPECT_TRUE(fails_with(remove_thin(pool, uuid_of(4)), ErrorCode::InvalidArgument)) << "a linear volume";
}

// ---- what volume_changes does with thin pools

TEST(ThinChanges, AThinPoolWithThinsIsInUseAndItsExtentsFreeOnceRemoved)
{
    const auto pool = with_thin_and_snapshot();
    EXPECT_TRUE(fails_with(remove_volume(pool, uuid_of(1)), ErrorCode::InUse));
    const auto one_left = value(remove_thin(pool, uuid_of(2))).next;
    EXPECT_TRUE(fails_with(remove_volume(one_left, uuid_of(1)), ErrorCode::InUse));
    const auto none_left = value(remove_thin(one_left, uuid_of(3))).next;
    auto removed = remove_volume(none_left, uuid_of(1));
    ASSERT_TRUE(succeeded(removed));
    EXPECT_TRUE(succeeded(model::check_pool(*removed)));
    EXPECT_EQ(allocator::free_extent_count(*removed), 30u);
}

TEST(ThinChanges, ActivatingAThinActivatesItsPoolAndDeactivatingThePoolItsThins)
{
    const auto inactive = value(set_active(with_thin_and_snapshot(), uuid_of(1), false));
    EXPECT_FALSE(model::find_volume(inactive, uuid_of(2))->active);
    EXPECT_FALSE(model::find_volume(inactive, uuid_of(3))->active);
    EXPECT_TRUE(succeeded(model::check_pool(inactive)));

    auto active = set_active(inactive, uuid_of(3), true);
    ASSERT_TRUE(succeeded(active));
    EXPECT_TRUE(model::find_volume(*active, uuid_of(1))->active);
    EXPECT_TRUE(model::find_volume(*active, uuid_of(3))->active);
    EXPECT_FALSE(model::find_volume(*active, uuid_of(2))->active) << "its origin thin stays as it was";
    EXPECT_TRUE(succeeded(model::check_pool(*active)));
}

}  // namespace
}  // namespace volumes::engine
