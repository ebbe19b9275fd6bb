// Killed at every fault point: finishing a merge (the origin back to its plain stack), and
// taking a snapshot of a raid1 origin (its array's table moves to <origin>_real). Start-up
// reconciliation either rolls back or completes each one.
#include <gtest/gtest.h>

#include "snapshot_fault_support.hpp"

namespace volumes::engine {
namespace {

using namespace fault_test;

// Finishing a merge (the origin back to its plain stack, the snapshot and its COW gone) killed
// at every fault point: start-up either keeps the finished merge (still Merging, nothing left
// to copy) or completes the finish; the origin holds the snapshot's data either way.
TEST(SnapshotFinishFaults, AKillWhileFinishingAMergeLeavesTheOriginWithTheMergedData)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    std::string origin_path, origin_name, prefix;
    std::uint64_t free_before_snapshot = 0;
    const auto merge_and_wait = [&](Engine& engine) {
        auto merge = engine.merge_snapshot("crash", "snap");
        if (!merge || *merge != Engine::MergeStart::Started)
            throw std::runtime_error("the merge did not start");
        test::wait_until_merge_finished(engine, "crash", "snap");
    };
    {
        auto engine = start_engine();
        auto pool = engine->create_pool("crash", {a.path(), b.path()});
        ASSERT_TRUE(pool) << pool.error().message;
        prefix = model::dm_uuid_prefix(pool->uuid);
        auto origin = engine->create_linear_volume("crash", {"base", origin_bytes});
        ASSERT_TRUE(origin) << origin.error().message;
        origin_path = origin->device_path;
        origin_name = origin->dm_name;
        test::write_pattern(origin_path, 0, origin_bytes, old_seed);
        free_before_snapshot = engine->pool("crash")->free;
        snapshot_and_rewrite(*engine, origin_path);
        merge_and_wait(*engine);
    }

    int finished = 0;
    for (const auto point : executor::fault_points) {
        SCOPED_TRACE(std::string("fault point ") + std::string(point));
        ASSERT_EQ(in_child_killed_at(Call::Finish, point), SIGKILL) << "the child was not killed at " << point;

        auto engine = start_engine();
        auto pool = engine->pool("crash");
        ASSERT_TRUE(pool) << pool.error().message;
        expect_no_problems(*pool);
        // Fatal: a failed reconciliation may leave devices suspended, and reading them would hang.
        ASSERT_NO_FATAL_FAILURE(test::assert_kernel_matches_metadata(*engine, "crash"));
        test::expect_no_shared_sub_devices(prefix);
        EXPECT_TRUE(test::holds_pattern(origin_path, 0, origin_bytes, old_seed)) << "the origin lost the merged data";
        const auto tables = test::live_tables(prefix);
        ASSERT_TRUE(tables.contains(origin_name));
        const auto snapshot = engine->volume("crash", "snap");
        EXPECT_EQ(!snapshot.has_value(), committed_before_kill(point))
            << (snapshot ? "a committed finish was lost" : "the finish survived a crash before its commit");
        if (snapshot) {
            EXPECT_EQ(test::merge_state(*engine, "crash", "snap"), SnapshotMergeState::Merging);
            EXPECT_EQ(tables.at(origin_name).front().target_type, "snapshot-merge");
            auto usage = engine->snapshot_usage("crash", "snap");
            ASSERT_TRUE(usage) << usage.error().message;
            ASSERT_TRUE(usage->has_value());
            EXPECT_TRUE((*usage)->merge_finished);
            continue;
        }
        ++finished;
        EXPECT_EQ(tables.at(origin_name).front().target_type, "linear");
        EXPECT_EQ(test::snapshot_layers(prefix), std::vector<std::string>{});
        EXPECT_EQ(pool->free, free_before_snapshot);
        snapshot_and_rewrite(*engine, origin_path);
        merge_and_wait(*engine);
    }
    // The points at and after the commit: member-committed, committed, resumed, renamed, removed.
    EXPECT_EQ(finished, 5);
}



void expect_raid_synced(const std::string& dm_name)
{
    const auto status = test::raid_status_of(dm_name);
    EXPECT_EQ(kmod::health_string(status.health), "AA") << dm_name;
    EXPECT_TRUE(status.is_synced()) << dm_name << ": " << status.in_sync_sectors << " of " << status.total_sectors;
}

// Taking a snapshot of a raid1 origin moves the array's table from the origin's device to a
// new <origin>_real: for a moment two dm-raid tables are loaded over the same legs. Killed at
// every point, start-up either drops the snapshot or completes it; the array stays in sync
// and keeps its data, and it still loads cleanly from its superblocks afterwards.
TEST(SnapshotCreateFaults, AKillWhileSnapshottingARaid1OriginIsRepaired)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    std::string origin_path, origin_name, prefix;
    {
        auto engine = start_engine();
        auto pool = engine->create_pool("crash", {a.path(), b.path()});
        ASSERT_TRUE(pool) << pool.error().message;
        prefix = model::dm_uuid_prefix(pool->uuid);
        auto origin = engine->create_raid1_volume("crash", {"base", origin_bytes, 2});
        ASSERT_TRUE(origin) << origin.error().message;
        origin_path = origin->device_path;
        origin_name = origin->dm_name;
        test::wait_until_raid_synced(origin_name, 0);
        test::write_pattern(origin_path, 0, origin_bytes, old_seed);
    }
    const auto snapshot_name = model::dm_name("crash", "snap");

    int created = 0;
    for (const auto point : executor::fault_points) {
        SCOPED_TRACE(std::string("fault point ") + std::string(point));
        ASSERT_EQ(in_child_killed_at(Call::Create, point), SIGKILL) << "the child was not killed at " << point;

        auto engine = start_engine();
        auto pool = engine->pool("crash");
        ASSERT_TRUE(pool) << pool.error().message;
        expect_no_problems(*pool);
        // Fatal: a failed reconciliation may leave devices suspended, and reading them would hang.
        ASSERT_NO_FATAL_FAILURE(test::assert_kernel_matches_metadata(*engine, "crash"));
        test::expect_no_shared_sub_devices(prefix);
        EXPECT_TRUE(test::holds_pattern(origin_path, 0, origin_bytes, old_seed)) << "the origin lost data";
        const auto snapshot = engine->volume("crash", "snap");
        EXPECT_EQ(snapshot.has_value(), committed_before_kill(point))
            << (snapshot ? "the snapshot survived a crash before its commit" : "a committed snapshot was lost");
        if (!snapshot) {
            EXPECT_EQ(test::snapshot_layers(prefix), std::vector<std::string>{});
            EXPECT_FALSE(test::dm_device_exists(snapshot_name));
            expect_raid_synced(origin_name);
            continue;
        }
        ++created;
        EXPECT_TRUE(test::holds_pattern(snapshot->device_path, 0, origin_bytes, old_seed)) << "the snapshot differs";
        expect_raid_synced(origin_name + "_real");
        // The snapshot works: a write to the origin does not reach it.
        test::write_pattern(origin_path, 0, mib, new_seed);
        EXPECT_TRUE(test::holds_pattern(snapshot->device_path, 0, mib, old_seed));
        test::write_pattern(origin_path, 0, mib, old_seed);
        auto removed = engine->remove_volume("crash", "snap");
        ASSERT_TRUE(removed) << removed.error().message;
        EXPECT_EQ(test::snapshot_layers(prefix), std::vector<std::string>{});
        expect_raid_synced(origin_name);
    }
    // The points at and after the commit: member-committed, committed, resumed, renamed, removed.
    EXPECT_EQ(created, 5);

    // The array loads from its superblocks alone, in sync, with its data.
    auto engine = start_engine();
    ASSERT_TRUE(engine->deactivate("crash", "base"));
    ASSERT_TRUE(engine->activate("crash", "base"));
    expect_raid_synced(origin_name);
    EXPECT_TRUE(test::holds_pattern(origin_path, 0, origin_bytes, old_seed));
    EXPECT_EQ(test::digest("/dev/mapper/" + origin_name + "_rimage_0", 0, origin_bytes),
              test::digest("/dev/mapper/" + origin_name + "_rimage_1", 0, origin_bytes))
        << "the legs differ";
}


}  // namespace
}  // namespace volumes::engine
