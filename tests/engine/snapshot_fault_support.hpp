#pragma once

// Helpers of the snapshot fault tests (snapshot_merge_fault_test.cpp,
// snapshot_finish_fault_test.cpp): one pool "crash" with a volume "base" and its snapshot
// "snap"; a transaction run in a child process that VOLUMESD_FAULT kills at a fault point.
#include <string>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "fault_child.hpp"
#include "live_table_checks.hpp"
#include "pool_cleanup.hpp"
#include "service/executor/fault_point.hpp"
#include "service/model/names.hpp"
#include "snapshot_support.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/loop_device.hpp"
#include "tests/kernel/support/raid_waiter.hpp"

namespace volumes::engine::fault_test {

using model::SnapshotMergeState;
using test::LoopDevice;
using test::start_engine;

inline constexpr std::uint64_t mib = 1024 * 1024;
inline constexpr std::uint64_t origin_bytes = 8 * mib;
inline constexpr std::uint64_t old_seed = 71;  // the snapshot's data
inline constexpr std::uint64_t new_seed = 72;  // written to the whole origin after the snapshot

enum class Call { Create, Merge, Finish };

// Runs the snapshot's creation, its merge or the merge's finish in a child process that
// VOLUMESD_FAULT kills at `point`. Returns the signal that ended the child, or minus its exit
// status.
inline int in_child_killed_at(Call call, std::string_view point)
{
    return test::killed_in_child_at(point, [call](Engine& engine) {
        if (call == Call::Create)
            return engine.create_snapshot("crash", "base", {"snap", 8 * mib}) ? 0 : 1;
        if (call == Call::Finish)
            return engine.finish_snapshot_merge("crash", "snap") ? 0 : 1;
        auto merge = engine.merge_snapshot("crash", "snap");
        return merge ? (*merge == Engine::MergeStart::Started ? 0 : 3) : 1;
    });
}

using test::committed_before_kill;

// A fresh snapshot of the origin (which holds the old data), then the new data over all of it.
inline void snapshot_and_rewrite(Engine& engine, const std::string& origin_path)
{
    auto snapshot = engine.create_snapshot("crash", "base", {"snap", 12 * mib});
    if (!snapshot)
        throw std::runtime_error("create_snapshot: " + snapshot.error().message);
    test::write_pattern(origin_path, 0, origin_bytes, new_seed);
}

// A kill between the two members' commits ("member-committed") leaves one member a sequence
// behind; start-up rewrites it and logs the repair, so that is no problem either: Problems
// says only what still stands, and after any kill nothing does.
inline void expect_no_problems(const PoolSummary& pool)
{
    for (const auto& problem : pool.problems)
        ADD_FAILURE() << "pool problem: " << problem;
}

}  // namespace volumes::engine::fault_test
