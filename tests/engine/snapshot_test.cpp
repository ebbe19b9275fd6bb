// CoW snapshots against the kernel: create (snapshot-origin over <origin>_real, snapshot over
// _real and _cow), merge now (snapshot-merge, kernel-targets.md §2.4), merge deferred while the
// origin is open (§2.5) and started at activation or at start-up, finish, and an overflowed
// snapshot that cannot be merged.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "live_table_checks.hpp"
#include "open_device.hpp"
#include "pool_cleanup.hpp"
#include "service/model/names.hpp"
#include "snapshot_support.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/loop_device.hpp"
#include "tests/kernel/support/raid_waiter.hpp"

namespace volumes::engine {
namespace {

using model::SnapshotMergeState;
using test::LoopDevice;
using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;
constexpr std::uint64_t origin_bytes = 16 * mib;
constexpr std::uint64_t old_seed = 61;
constexpr std::uint64_t new_seed = 62;
// The part of the origin rewritten after the snapshot.
constexpr std::uint64_t changed_offset = 4 * mib;
constexpr std::uint64_t changed_bytes = 4 * mib;

// The origin as it reads after the rewrite: old data around the changed range.
void expect_origin_rewritten(const std::string& path)
{
    EXPECT_TRUE(test::holds_pattern(path, 0, changed_offset, old_seed));
    EXPECT_TRUE(test::holds_pattern(path, changed_offset, changed_bytes, new_seed)) << "the rewrite did not land";
    EXPECT_TRUE(test::holds_pattern(path, changed_offset + changed_bytes,
                                    origin_bytes - changed_offset - changed_bytes, old_seed));
}

// The merge of `snapshot` into `origin` has started: snapshot-merge on the origin, no snapshot
// device; it is waited for and finished, after which the origin is plain again with the old
// data and the pool's space is back to `free_before_snapshot`.
// With `write_while_merging`, 1 MiB of a third pattern is written to the origin during the
// merge; it must survive the merge.
constexpr std::uint64_t merge_write_seed = 63;
constexpr std::uint64_t merge_write_offset = 12 * mib;
void finish_merge(Engine& engine, const std::string& pool, const VolumeSummary& origin, const VolumeSummary& snapshot,
                  const std::string& prefix, std::uint64_t free_before_snapshot, const std::string& plain_target,
                  bool write_while_merging = false)
{
    EXPECT_EQ(test::merge_state(engine, pool, snapshot.name), SnapshotMergeState::Merging);
    EXPECT_FALSE(test::dm_device_exists(snapshot.dm_name)) << "the merging snapshot's device is still there";
    {
        const auto tables = test::live_tables(prefix);
        ASSERT_TRUE(tables.contains(origin.dm_name));
        const auto& table = tables.at(origin.dm_name);
        ASSERT_EQ(table.size(), 1u);
        EXPECT_EQ(table.front().target_type, "snapshot-merge");
        EXPECT_EQ(table.front().params, test::dm_number(origin.dm_name + "_real") + " " +
                                            test::dm_number(snapshot.dm_name + "_cow") + " P 8");
    }
    test::expect_no_shared_sub_devices(prefix);
    test::expect_kernel_matches_metadata(engine, pool);
    // Reads during the merge see the snapshot's data.
    EXPECT_TRUE(test::holds_pattern(origin.device_path, 0, origin_bytes, old_seed))
        << "the merging origin does not read the snapshot's data";
    if (write_while_merging)
        test::write_pattern(origin.device_path, merge_write_offset, mib, merge_write_seed);

    test::wait_until_merge_finished(engine, pool, snapshot.name);
    auto finished = engine.finish_snapshot_merge(pool, snapshot.name);
    ASSERT_TRUE(finished) << finished.error().message;

    EXPECT_FALSE(engine.volume(pool, snapshot.name)) << "the merged snapshot is still in the model";
    const auto tables = test::live_tables(prefix);
    ASSERT_TRUE(tables.contains(origin.dm_name));
    ASSERT_EQ(tables.at(origin.dm_name).size(), 1u);
    EXPECT_EQ(tables.at(origin.dm_name).front().target_type, plain_target);
    EXPECT_EQ(test::snapshot_layers(prefix), std::vector<std::string>{}) << "a _real or _cow device remains";
    EXPECT_FALSE(test::dm_device_exists(snapshot.dm_name));
    test::expect_no_shared_sub_devices(prefix);
    test::expect_kernel_matches_metadata(engine, pool);
    if (write_while_merging) {
        EXPECT_TRUE(test::holds_pattern(origin.device_path, 0, merge_write_offset, old_seed))
            << "the origin does not hold the snapshot's data after the merge";
        EXPECT_TRUE(test::holds_pattern(origin.device_path, merge_write_offset, mib, merge_write_seed))
            << "a write during the merge was lost";
        EXPECT_TRUE(test::holds_pattern(origin.device_path, merge_write_offset + mib,
                                        origin_bytes - merge_write_offset - mib, old_seed))
            << "the origin does not hold the snapshot's data after the merge";
    } else {
        EXPECT_TRUE(test::holds_pattern(origin.device_path, 0, origin_bytes, old_seed))
            << "the origin does not hold the snapshot's data after the merge";
    }
    auto summary = engine.pool(pool);
    ASSERT_TRUE(summary);
    EXPECT_EQ(summary->free, free_before_snapshot) << "the COW's extents were not given back";
}

struct SnapshotSetup {
    VolumeSummary origin;
    VolumeSummary snapshot;
    std::string prefix;
    std::uint64_t free_before_snapshot = 0;
};

// A linear origin filled with the old pattern and a snapshot of it, then part of the origin
// rewritten with the new pattern.
SnapshotSetup linear_origin_with_snapshot(Engine& engine, const std::vector<std::string>& devices,
                                          std::uint64_t cow_bytes = 8 * mib)
{
    SnapshotSetup setup;
    auto pool = engine.create_pool("snaps", devices);
    if (!pool)
        throw std::runtime_error("create_pool: " + pool.error().message);
    setup.prefix = model::dm_uuid_prefix(pool->uuid);
    auto origin = engine.create_linear_volume("snaps", {"base", origin_bytes});
    if (!origin)
        throw std::runtime_error("create_linear_volume: " + origin.error().message);
    setup.origin = *origin;
    test::write_pattern(origin->device_path, 0, origin_bytes, old_seed);
    setup.free_before_snapshot = engine.pool("snaps")->free;
    auto snapshot = engine.create_snapshot("snaps", "base", {"snap", cow_bytes});
    if (!snapshot)
        throw std::runtime_error("create_snapshot: " + snapshot.error().message);
    setup.snapshot = *snapshot;
    return setup;
}

TEST(Snapshot, CreateKeepsTheOldDataAndAMergeBringsItBack)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    const auto setup = linear_origin_with_snapshot(*engine, {a.path(), b.path()});
    const auto& origin = setup.origin;
    const auto& snapshot = setup.snapshot;
    EXPECT_EQ(snapshot.kind, "snapshot");
    EXPECT_EQ(snapshot.size, origin_bytes);
    EXPECT_EQ(engine->pool("snaps")->free, setup.free_before_snapshot - 8 * mib);

    // (a) lvm's layout: snapshot-origin over <origin>_real, snapshot over _real and _cow.
    {
        const auto tables = test::live_tables(setup.prefix);
        const auto real = test::dm_number(origin.dm_name + "_real");
        const auto cow = test::dm_number(snapshot.dm_name + "_cow");
        ASSERT_FALSE(real.empty()) << "no " << origin.dm_name << "_real";
        ASSERT_FALSE(cow.empty()) << "no " << snapshot.dm_name << "_cow";
        ASSERT_TRUE(tables.contains(origin.dm_name));
        ASSERT_EQ(tables.at(origin.dm_name).size(), 1u);
        EXPECT_EQ(tables.at(origin.dm_name).front().target_type, "snapshot-origin");
        EXPECT_EQ(tables.at(origin.dm_name).front().params, real);
        ASSERT_TRUE(tables.contains(snapshot.dm_name));
        ASSERT_EQ(tables.at(snapshot.dm_name).size(), 1u);
        EXPECT_EQ(tables.at(snapshot.dm_name).front().target_type, "snapshot");
        EXPECT_EQ(tables.at(snapshot.dm_name).front().params, real + " " + cow + " P 8");
        EXPECT_EQ(tables.at(origin.dm_name + "_real").front().target_type, "linear");
    }
    test::expect_no_shared_sub_devices(setup.prefix);
    test::expect_kernel_matches_metadata(*engine, "snaps");
    EXPECT_EQ(test::merge_state(*engine, "snaps", "snap"), SnapshotMergeState::None);
    EXPECT_TRUE(test::holds_pattern(snapshot.device_path, 0, origin_bytes, old_seed));

    auto usage_before = engine->snapshot_usage("snaps", "snap");
    ASSERT_TRUE(usage_before) << usage_before.error().message;
    ASSERT_TRUE(usage_before->has_value()) << "no usage for an active snapshot";
    EXPECT_EQ((*usage_before)->state, "active");
    EXPECT_EQ((*usage_before)->total_sectors, 8 * mib / 512);

    test::write_pattern(origin.device_path, changed_offset, changed_bytes, new_seed);
    expect_origin_rewritten(origin.device_path);
    EXPECT_TRUE(test::holds_pattern(snapshot.device_path, 0, origin_bytes, old_seed))
        << "a write to the origin reached the snapshot";
    auto usage_after = engine->snapshot_usage("snaps", "snap");
    ASSERT_TRUE(usage_after && usage_after->has_value());
    EXPECT_EQ((*usage_after)->state, "active");
    EXPECT_GE((*usage_after)->allocated_sectors, (*usage_before)->allocated_sectors + changed_bytes / 512)
        << "the COW did not grow by the chunks copied";
    EXPECT_FALSE((*usage_after)->merge_finished);

    // Refused while no merge runs.
    auto not_merging = engine->finish_snapshot_merge("snaps", "snap");
    ASSERT_FALSE(not_merging);
    EXPECT_EQ(not_merging.error().code, ErrorCode::InvalidArgument) << not_merging.error().message;
    auto not_a_snapshot = engine->merge_snapshot("snaps", "base");
    ASSERT_FALSE(not_a_snapshot);
    EXPECT_EQ(not_a_snapshot.error().code, ErrorCode::InvalidArgument) << not_a_snapshot.error().message;

    // (b) Merge now: nothing holds origin or snapshot open.
    auto merge = engine->merge_snapshot("snaps", "snap");
    ASSERT_TRUE(merge) << merge.error().message;
    EXPECT_EQ(*merge, Engine::MergeStart::Started);
    auto again = engine->merge_snapshot("snaps", "snap");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::Busy) << again.error().message;
    finish_merge(*engine, "snaps", origin, snapshot, setup.prefix, setup.free_before_snapshot, "linear", true);

    // The stack is plain for good: a fresh start changes nothing.
    engine.reset();
    engine = start_engine();
    test::expect_kernel_matches_metadata(*engine, "snaps");
    EXPECT_TRUE(test::holds_pattern(origin.device_path, 0, merge_write_offset, old_seed));
    EXPECT_TRUE(test::holds_pattern(origin.device_path, merge_write_offset, mib, merge_write_seed));
}

TEST(Snapshot, AMergeOfAnInactiveOriginStartsAtItsActivation)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    const auto setup = linear_origin_with_snapshot(*engine, {a.path(), b.path()});
    test::write_pattern(setup.origin.device_path, changed_offset, changed_bytes, new_seed);
    ASSERT_TRUE(engine->deactivate("snaps", "base"));
    EXPECT_FALSE(test::dm_device_exists(setup.origin.dm_name));
    EXPECT_FALSE(test::dm_device_exists(setup.snapshot.dm_name)) << "the snapshot outlived its origin's deactivation";
    EXPECT_EQ(test::live_tables(setup.prefix), (std::map<std::string, kmod::Table>{}));

    auto merge = engine->merge_snapshot("snaps", "snap");
    ASSERT_TRUE(merge) << merge.error().message;
    EXPECT_EQ(*merge, Engine::MergeStart::Pending);
    EXPECT_EQ(test::merge_state(*engine, "snaps", "snap"), SnapshotMergeState::Pending);
    EXPECT_EQ(test::live_tables(setup.prefix), (std::map<std::string, kmod::Table>{}));
    auto usage = engine->snapshot_usage("snaps", "snap");
    ASSERT_TRUE(usage) << usage.error().message;
    EXPECT_FALSE(usage->has_value()) << "usage of a snapshot without a device";

    // The COW is read back from disk by the origin's snapshot-merge.
    ASSERT_TRUE(engine->activate("snaps", "base"));
    EXPECT_EQ(test::merge_state(*engine, "snaps", "snap"), SnapshotMergeState::Merging)
        << "activation did not start the pending merge";
    finish_merge(*engine, "snaps", setup.origin, setup.snapshot, setup.prefix, setup.free_before_snapshot, "linear");
}

TEST(Snapshot, AMergeWhileTheOriginIsOpenStartsAtItsNextActivation)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    const auto setup = linear_origin_with_snapshot(*engine, {a.path(), b.path()});
    test::write_pattern(setup.origin.device_path, changed_offset, changed_bytes, new_seed);
    {
        auto held = std::make_unique<test::OpenDevice>(setup.origin.device_path);
        const auto tables_before = test::live_tables(setup.prefix);
        auto merge = engine->merge_snapshot("snaps", "snap");
        ASSERT_TRUE(merge) << merge.error().message;
        EXPECT_EQ(*merge, Engine::MergeStart::Pending);
        EXPECT_EQ(test::merge_state(*engine, "snaps", "snap"), SnapshotMergeState::Pending);
        EXPECT_EQ(test::live_tables(setup.prefix), tables_before) << "a pending merge changed the tables";
        test::expect_kernel_matches_metadata(*engine, "snaps");
        auto again = engine->merge_snapshot("snaps", "snap");
        ASSERT_FALSE(again);
        EXPECT_EQ(again.error().code, ErrorCode::Busy) << again.error().message;

        // Still open: activation leaves the merge pending.
        ASSERT_TRUE(engine->activate("snaps", "base"));
        EXPECT_EQ(test::merge_state(*engine, "snaps", "snap"), SnapshotMergeState::Pending);
        EXPECT_EQ(test::live_tables(setup.prefix), tables_before) << "activation of an open origin changed the tables";
        expect_origin_rewritten(setup.origin.device_path);
        EXPECT_TRUE(test::holds_pattern(setup.snapshot.device_path, 0, origin_bytes, old_seed));
    }
    ASSERT_TRUE(engine->activate("snaps", "base"));
    EXPECT_EQ(test::merge_state(*engine, "snaps", "snap"), SnapshotMergeState::Merging)
        << "activation of a closed origin did not start the pending merge";
    finish_merge(*engine, "snaps", setup.origin, setup.snapshot, setup.prefix, setup.free_before_snapshot, "linear");
}

TEST(Snapshot, APendingMergeStartsWhenTheEngineStarts)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    const auto setup = linear_origin_with_snapshot(*engine, {a.path(), b.path()});
    test::write_pattern(setup.origin.device_path, changed_offset, changed_bytes, new_seed);
    {
        test::OpenDevice held(setup.snapshot.device_path);
        auto merge = engine->merge_snapshot("snaps", "snap");
        ASSERT_TRUE(merge) << merge.error().message;
        EXPECT_EQ(*merge, Engine::MergeStart::Pending) << "a merge started while the snapshot was open";
    }
    // A daemon restart.
    engine.reset();
    EXPECT_TRUE(test::dm_device_exists(setup.snapshot.dm_name)) << "the pending snapshot went before the restart";
    engine = start_engine();
    auto pool = engine->pool("snaps");
    ASSERT_TRUE(pool);
    EXPECT_EQ(pool->problems, std::vector<std::string>{});
    EXPECT_EQ(test::merge_state(*engine, "snaps", "snap"), SnapshotMergeState::Merging)
        << "start-up did not start the pending merge";
    finish_merge(*engine, "snaps", setup.origin, setup.snapshot, setup.prefix, setup.free_before_snapshot, "linear");
}

TEST(Snapshot, AnOverflowedSnapshotIsInvalidAndCannotBeMerged)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    // A COW of one extent (4 MiB): 8 MiB of changes cannot fit.
    const auto setup = linear_origin_with_snapshot(*engine, {a.path(), b.path()}, 4 * mib);
    test::write_pattern(setup.origin.device_path, 0, 8 * mib, new_seed);
    EXPECT_TRUE(test::holds_pattern(setup.origin.device_path, 0, 8 * mib, new_seed))
        << "the origin lost writes when its snapshot overflowed";
    auto usage = engine->snapshot_usage("snaps", "snap");
    ASSERT_TRUE(usage) << usage.error().message;
    ASSERT_TRUE(usage->has_value());
    EXPECT_EQ((*usage)->state, "invalid");

    const auto model_before = engine->model("snaps");
    const auto tables_before = test::live_tables(setup.prefix);
    auto merge = engine->merge_snapshot("snaps", "snap");
    ASSERT_FALSE(merge) << "an invalid snapshot was merged";
    EXPECT_EQ(merge.error().code, ErrorCode::NotSupported) << merge.error().message;
    EXPECT_EQ(engine->model("snaps"), model_before) << "the refusal changed the metadata";
    EXPECT_EQ(test::live_tables(setup.prefix), tables_before) << "the refusal changed the tables";
    EXPECT_EQ(test::merge_state(*engine, "snaps", "snap"), SnapshotMergeState::None);

    // It can still be removed, and the origin is plain again with the data it was given.
    auto removed = engine->remove_volume("snaps", "snap");
    ASSERT_TRUE(removed) << removed.error().message;
    EXPECT_EQ(test::snapshot_layers(setup.prefix), std::vector<std::string>{});
    test::expect_kernel_matches_metadata(*engine, "snaps");
    EXPECT_EQ(engine->pool("snaps")->free, setup.free_before_snapshot);
    EXPECT_TRUE(test::holds_pattern(setup.origin.device_path, 0, 8 * mib, new_seed));
    EXPECT_TRUE(test::holds_pattern(setup.origin.device_path, 8 * mib, origin_bytes - 8 * mib, old_seed));
}

// dm-snapshot merges back with origin_write_extent, so the origin's other snapshots copy out
// what the merge overwrites: they keep their data through the merge, and stay on _real after.
TEST(Snapshot, AnotherSnapshotOfTheOriginKeepsItsDataThroughAMerge)
{
    constexpr std::uint64_t second_seed = 64;
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    const auto setup = linear_origin_with_snapshot(*engine, {a.path(), b.path()}, 12 * mib);
    const auto& origin = setup.origin;
    test::write_pattern(origin.device_path, changed_offset, changed_bytes, new_seed);
    // 12 MiB: the 4 MiB rewritten below, then the 4 MiB the merge writes back at [4, 8) MiB,
    // which the second snapshot must copy out too (with 8 MiB it overflows during the merge).
    auto second = engine->create_snapshot("snaps", "base", {"second", 12 * mib});
    ASSERT_TRUE(second) << second.error().message;
    test::write_pattern(origin.device_path, 8 * mib, 4 * mib, second_seed);
    test::expect_no_shared_sub_devices(setup.prefix);
    test::expect_kernel_matches_metadata(*engine, "snaps");
    // What the second snapshot holds: the first rewrite, not the second.
    const auto expect_second_intact = [&](const char* when) {
        EXPECT_TRUE(test::holds_pattern(second->device_path, 0, changed_offset, old_seed)) << when;
        EXPECT_TRUE(test::holds_pattern(second->device_path, changed_offset, changed_bytes, new_seed)) << when;
        EXPECT_TRUE(test::holds_pattern(second->device_path, 8 * mib, origin_bytes - 8 * mib, old_seed)) << when;
    };
    expect_second_intact("before the merge");
    EXPECT_TRUE(test::holds_pattern(setup.snapshot.device_path, 0, origin_bytes, old_seed));

    auto merge = engine->merge_snapshot("snaps", "snap");
    ASSERT_TRUE(merge) << merge.error().message;
    EXPECT_EQ(*merge, Engine::MergeStart::Started);
    EXPECT_EQ(test::merge_state(*engine, "snaps", "second"), SnapshotMergeState::None);
    EXPECT_TRUE(test::holds_pattern(origin.device_path, 0, origin_bytes, old_seed))
        << "the merging origin does not read the merged snapshot's data";
    expect_second_intact("during the merge");
    auto third = engine->create_snapshot("snaps", "base", {"third", 4 * mib});
    ASSERT_FALSE(third) << "a snapshot was taken of a merging origin";
    EXPECT_EQ(third.error().code, ErrorCode::Busy) << third.error().message;
    auto other_merge = engine->merge_snapshot("snaps", "second");
    ASSERT_FALSE(other_merge);
    EXPECT_EQ(other_merge.error().code, ErrorCode::Busy) << other_merge.error().message;
    test::expect_no_shared_sub_devices(setup.prefix);
    test::expect_kernel_matches_metadata(*engine, "snaps");

    test::wait_until_merge_finished(*engine, "snaps", "snap");
    auto finished = engine->finish_snapshot_merge("snaps", "snap");
    ASSERT_TRUE(finished) << finished.error().message;
    {
        const auto tables = test::live_tables(setup.prefix);
        ASSERT_TRUE(tables.contains(origin.dm_name));
        EXPECT_EQ(tables.at(origin.dm_name).front().target_type, "snapshot-origin");
        EXPECT_FALSE(tables.contains(setup.snapshot.dm_name + "_cow"));
        EXPECT_TRUE(tables.contains(second->dm_name + "_cow"));
    }
    test::expect_no_shared_sub_devices(setup.prefix);
    test::expect_kernel_matches_metadata(*engine, "snaps");
    EXPECT_TRUE(test::holds_pattern(origin.device_path, 0, origin_bytes, old_seed));
    expect_second_intact("after the merge");
    auto usage = engine->snapshot_usage("snaps", "second");
    ASSERT_TRUE(usage && usage->has_value());
    EXPECT_EQ((*usage)->state, "active");

    // Then the second one merges too, and the origin is plain again.
    merge = engine->merge_snapshot("snaps", "second");
    ASSERT_TRUE(merge) << merge.error().message;
    EXPECT_EQ(*merge, Engine::MergeStart::Started);
    test::wait_until_merge_finished(*engine, "snaps", "second");
    finished = engine->finish_snapshot_merge("snaps", "second");
    ASSERT_TRUE(finished) << finished.error().message;
    EXPECT_EQ(test::live_tables(setup.prefix).at(origin.dm_name).front().target_type, "linear");
    EXPECT_EQ(test::snapshot_layers(setup.prefix), std::vector<std::string>{});
    test::expect_kernel_matches_metadata(*engine, "snaps");
    EXPECT_TRUE(test::holds_pattern(origin.device_path, 0, changed_offset, old_seed));
    EXPECT_TRUE(test::holds_pattern(origin.device_path, changed_offset, changed_bytes, new_seed));
    EXPECT_TRUE(test::holds_pattern(origin.device_path, 8 * mib, origin_bytes - 8 * mib, old_seed));
    EXPECT_EQ(engine->pool("snaps")->free, setup.free_before_snapshot);
}

TEST(Snapshot, ARaid1OriginIsSnapshotAndMergedLikeALinearOne)
{
    LoopDevice a(64 * mib), b(64 * mib), c(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    auto pool = engine->create_pool("snaps", {a.path(), b.path(), c.path()});
    ASSERT_TRUE(pool) << pool.error().message;
    const auto prefix = model::dm_uuid_prefix(pool->uuid);
    auto origin = engine->create_raid1_volume("snaps", {"base", origin_bytes, 2});
    ASSERT_TRUE(origin) << origin.error().message;
    test::wait_until_raid_synced(origin->dm_name, 0);
    test::write_pattern(origin->device_path, 0, origin_bytes, old_seed);
    const auto free_before = engine->pool("snaps")->free;

    auto snapshot = engine->create_snapshot("snaps", "base", {"snap", 8 * mib});
    ASSERT_TRUE(snapshot) << snapshot.error().message;
    {
        const auto tables = test::live_tables(prefix);
        ASSERT_TRUE(tables.contains(origin->dm_name + "_real"));
        EXPECT_EQ(tables.at(origin->dm_name + "_real").front().target_type, "raid");
        EXPECT_EQ(tables.at(origin->dm_name).front().target_type, "snapshot-origin");
    }
    test::expect_no_shared_sub_devices(prefix);
    test::expect_kernel_matches_metadata(*engine, "snaps");
    test::write_pattern(origin->device_path, changed_offset, changed_bytes, new_seed);
    expect_origin_rewritten(origin->device_path);
    EXPECT_TRUE(test::holds_pattern(snapshot->device_path, 0, origin_bytes, old_seed));

    auto merge = engine->merge_snapshot("snaps", "snap");
    ASSERT_TRUE(merge) << merge.error().message;
    EXPECT_EQ(*merge, Engine::MergeStart::Started);
    finish_merge(*engine, "snaps", *origin, *snapshot, prefix, free_before, "raid");
    const auto status = test::raid_status_of(origin->dm_name);
    EXPECT_EQ(kmod::health_string(status.health), "AA");
    // The array moved from _real back to the origin's device without a resync.
    EXPECT_TRUE(status.is_synced()) << "the array is not in sync after the merge: " << status.in_sync_sectors
                                    << " of " << status.total_sectors;
    const auto leg0 = test::digest("/dev/mapper/" + origin->dm_name + "_rimage_0", 0, origin_bytes);
    EXPECT_EQ(test::digest("/dev/mapper/" + origin->dm_name + "_rimage_1", 0, origin_bytes), leg0)
        << "the legs differ after the merge";
}

}  // namespace
}  // namespace volumes::engine
