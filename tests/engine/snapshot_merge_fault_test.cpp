// A snapshot merge killed at every fault point of its transaction, then start-up
// reconciliation: the merge either never started or it continues, and the origin's data is
// never a mix of the two.
#include <gtest/gtest.h>

#include "snapshot_fault_support.hpp"

namespace volumes::engine {
namespace {

using namespace fault_test;

TEST(SnapshotMergeFaults, AKillAtEveryFaultPointEitherKeepsTheSnapshotOrContinuesTheMerge)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    std::string origin_path, origin_name, snapshot_path, snapshot_name, prefix;
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
        snapshot_and_rewrite(*engine, origin_path);
        snapshot_path = "/dev/mapper/" + model::dm_name("crash", "snap");
        snapshot_name = model::dm_name("crash", "snap");
    }

    int merged = 0;
    for (const auto point : executor::fault_points) {
        SCOPED_TRACE(std::string("fault point ") + std::string(point));
        ASSERT_EQ(in_child_killed_at(Call::Merge, point), SIGKILL) << "the child was not killed at " << point;

        auto engine = start_engine();
        auto pool = engine->pool("crash");
        ASSERT_TRUE(pool) << pool.error().message;
        expect_no_problems(*pool);
        // Fatal: a failed reconciliation may leave devices suspended, and reading them would hang.
        ASSERT_NO_FATAL_FAILURE(test::assert_kernel_matches_metadata(*engine, "crash"));
        test::expect_no_shared_sub_devices(prefix);

        const auto state = test::merge_state(*engine, "crash", "snap");
        const bool old_data = test::holds_pattern(origin_path, 0, origin_bytes, old_seed);
        const bool new_data = test::holds_pattern(origin_path, 0, origin_bytes, new_seed);
        EXPECT_TRUE(old_data || new_data) << "the origin holds a mix of the old and the new data";
        if (!committed_before_kill(point)) {
            EXPECT_EQ(state, SnapshotMergeState::None)
                << "a merge killed before its commit is " << test::to_text(state);
            EXPECT_TRUE(new_data) << "the origin lost its new data";
            EXPECT_TRUE(test::dm_device_exists(snapshot_name)) << "the snapshot device is gone";
            EXPECT_TRUE(test::holds_pattern(snapshot_path, 0, origin_bytes, old_seed)) << "the snapshot lost data";
            auto usage = engine->snapshot_usage("crash", "snap");
            ASSERT_TRUE(usage) << usage.error().message;
            ASSERT_TRUE(usage->has_value());
            EXPECT_EQ((*usage)->state, "active");
            continue;
        }
        EXPECT_EQ(state, SnapshotMergeState::Merging) << "a merge killed after its commit is " << test::to_text(state);
        EXPECT_TRUE(old_data) << "the merging origin does not read the snapshot's data";
        EXPECT_FALSE(test::dm_device_exists(snapshot_name)) << "the merging snapshot's device is still there";
        test::wait_until_merge_finished(*engine, "crash", "snap");
        auto finished = engine->finish_snapshot_merge("crash", "snap");
        ASSERT_TRUE(finished) << finished.error().message;
        ++merged;
        const auto tables = test::live_tables(prefix);
        ASSERT_TRUE(tables.contains(origin_name));
        EXPECT_EQ(tables.at(origin_name).front().target_type, "linear");
        EXPECT_EQ(test::snapshot_layers(prefix), std::vector<std::string>{});
        EXPECT_TRUE(test::holds_pattern(origin_path, 0, origin_bytes, old_seed)) << "the merge lost data";
        test::expect_kernel_matches_metadata(*engine, "crash");
        snapshot_and_rewrite(*engine, origin_path);
    }
    // The points at and after the commit: member-committed, committed, resumed, renamed, removed.
    EXPECT_EQ(merged, 5);
}


}  // namespace
}  // namespace volumes::engine
