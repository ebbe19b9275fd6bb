#pragma once

// Helpers shared by the snapshot guest tests (snapshot_test.cpp, snapshot_merge_fault_test.cpp).
#include <chrono>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "kmod/device_mapper.hpp"
#include "live_table_checks.hpp"
#include "service/engine/engine.hpp"
#include "service/model/volume_lookup.hpp"
#include "service/planner/plan.hpp"

namespace volumes::test {
inline const char* to_text(model::SnapshotMergeState state);
}  // namespace volumes::test

namespace volumes::model {
inline void PrintTo(SnapshotMergeState state, std::ostream* out)
{
    *out << test::to_text(state);
}
}  // namespace volumes::model

namespace volumes::test {

inline bool dm_device_exists(const std::string& name)
{
    auto info = kmod::dm::info(kmod::DeviceId::by_name(name));
    return info && info->exists;
}

// "major:minor" of a dm device by name; empty when it does not exist.
inline std::string dm_number(const std::string& name)
{
    auto info = kmod::dm::info(kmod::DeviceId::by_name(name));
    if (!info || !info->exists)
        return {};
    return info->number.to_string();
}

// The merge state the committed model records for `snapshot`; fails the test when it is not a
// snapshot of the pool.
inline model::SnapshotMergeState merge_state(const engine::Engine& engine, const std::string& pool,
                                             const std::string& snapshot)
{
    auto current = engine.model(pool);
    if (!current)
        throw std::runtime_error("model: " + current.error().message);
    const auto* volume = model::find_volume(*current, snapshot);
    if (!volume)
        throw std::runtime_error("no volume " + snapshot);
    const auto* layout = std::get_if<model::SnapshotLayout>(&volume->layout);
    if (!layout)
        throw std::runtime_error(snapshot + " is not a snapshot");
    return layout->merge;
}

inline const char* to_text(model::SnapshotMergeState state)
{
    switch (state) {
    case model::SnapshotMergeState::None: return "None";
    case model::SnapshotMergeState::Pending: return "Pending";
    case model::SnapshotMergeState::Merging: return "Merging";
    case model::SnapshotMergeState::Failed: return "Failed";
    }
    return "?";
}

// snapshot_usage, throwing on an error. Out of line: GCC 12 warns (-Wfree-nonheap-object,
// a false positive) about the std::expected destroyed inside wait_until_merge_finished's loop.
[[gnu::noinline]] inline std::optional<engine::SnapshotUsage> usage_of(const engine::Engine& engine,
                                                                      const std::string& pool,
                                                                      const std::string& snapshot)
{
    auto usage = engine.snapshot_usage(pool, snapshot);
    if (!usage)
        throw std::runtime_error("snapshot_usage of " + snapshot + ": " + usage.error().message);
    return *usage;
}

// Polls snapshot_usage until the kernel reports every chunk merged back. Throws (a loud test
// failure) after `timeout`, or when the merge failed or the snapshot went invalid.
inline void wait_until_merge_finished(const engine::Engine& engine, const std::string& pool,
                                      const std::string& snapshot,
                                      std::chrono::seconds timeout = std::chrono::seconds(60))
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string last = "no usage read";
    for (;;) {
        const auto usage = usage_of(engine, pool, snapshot);
        if (usage) {
            last = usage->state + " " + std::to_string(usage->allocated_sectors) + "/" +
                   std::to_string(usage->total_sectors) + " " + std::to_string(usage->metadata_sectors);
            if (usage->state != "active")
                throw std::runtime_error("merge of " + snapshot + " went " + last);
            if (usage->merge_finished)
                return;
        } else {
            last = "no snapshot or snapshot-merge device";
        }
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("merge of " + snapshot + " did not finish in time; last usage: " + last);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

inline void expect_kernel_matches_metadata(const engine::Engine& engine, const std::string& pool)
{
    auto plan = engine.reconciliation_plan(pool);
    ASSERT_TRUE(plan) << plan.error().message;
    EXPECT_EQ(plan->steps, std::vector<planner::Step>{planner::CommitMetadata{}})
        << "the live tables differ from the committed metadata:\n"
        << planner::to_string(*plan);
}

inline void assert_kernel_matches_metadata(const engine::Engine& engine, const std::string& pool)
{
    auto plan = engine.reconciliation_plan(pool);
    ASSERT_TRUE(plan) << plan.error().message;
    ASSERT_EQ(plan->steps, std::vector<planner::Step>{planner::CommitMetadata{}})
        << "the live tables differ from the committed metadata:\n"
        << planner::to_string(*plan);
}

inline void expect_no_shared_sub_devices(const std::string& prefix)
{
    for (const auto& problem : shared_sub_devices(prefix))
        ADD_FAILURE() << problem;
}

// Names of the pool's live dm devices that end in _real or _cow.
inline std::vector<std::string> snapshot_layers(const std::string& prefix)
{
    std::vector<std::string> found;
    for (const auto& [name, table] : live_tables(prefix))
        if (name.ends_with("_real") || name.ends_with("_cow"))
            found.push_back(name);
    return found;
}

}  // namespace volumes::test
