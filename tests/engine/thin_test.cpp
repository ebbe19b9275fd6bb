// dm-thin against the kernel (kernel-targets.md §3): a thin pool over its _tmeta and _tdata
// sub-volumes, thin volumes and thin snapshots created by pool messages that ride with the
// metadata transaction, their removal ("delete"), the transaction id that ties the pool's own
// metadata to the committed model, metadata snapshots for userland readers, and a thin pool
// that is inactive.
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "live_table_checks.hpp"
#include "pool_cleanup.hpp"
#include "service/model/names.hpp"
#include "snapshot_support.hpp"
#include "thin_support.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/loop_device.hpp"

namespace volumes::engine {
namespace {

using test::LoopDevice;
using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;
constexpr std::uint64_t data_bytes = 32 * mib;
constexpr std::uint64_t block_bytes = 64 * 1024;  // kDefaultThinBlockSize
constexpr std::uint64_t thin_bytes = 16 * mib;
constexpr std::uint64_t old_seed = 81;
constexpr std::uint64_t new_seed = 82;
constexpr std::uint64_t snapshot_seed = 83;
constexpr std::uint64_t changed_offset = 4 * mib;
constexpr std::uint64_t changed_bytes = 4 * mib;

std::string pool_prefix(const Engine& engine, const std::string& pool)
{
    auto current = engine.model(pool);
    if (!current)
        throw std::runtime_error("model: " + current.error().message);
    return model::dm_uuid_prefix(current->uuid);
}

std::vector<std::string> words(const std::string& text)
{
    std::istringstream in(text);
    std::vector<std::string> found;
    for (std::string word; in >> word;)
        found.push_back(word);
    return found;
}

// The single live line of `name`; fails the test when it is not exactly one line.
kmod::TableLine only_line(const std::string& prefix, const std::string& name)
{
    const auto tables = test::live_tables(prefix);
    const auto found = tables.find(name);
    if (found == tables.end())
        throw std::runtime_error("no live table for " + name);
    if (found->second.size() != 1)
        throw std::runtime_error(name + " has " + std::to_string(found->second.size()) + " lines");
    return found->second.front();
}

void expect_thin_table(const std::string& prefix, const VolumeSummary& thin, const VolumeSummary& pool,
                       std::uint32_t thin_id, std::uint64_t bytes)
{
    const auto line = only_line(prefix, thin.dm_name);
    EXPECT_EQ(line.target_type, "thin");
    EXPECT_EQ(line.length, bytes / 512);
    EXPECT_EQ(line.params, test::dm_number(pool.dm_name) + " " + std::to_string(thin_id));
}

// The model's transaction id and the kernel's agree, and are `expected`.
void expect_transaction_id(const Engine& engine, const std::string& pool, const std::string& thin_pool,
                           std::uint64_t expected)
{
    EXPECT_EQ(test::thin_pool_layout(engine, pool, thin_pool).transaction_id, expected) << "in the model";
    EXPECT_EQ(test::live_thin_pool_usage(engine, pool, thin_pool).transaction_id, expected) << "in the kernel";
}

TEST(ThinVolumes, PoolThinSnapshotsRemovalAndMetadataSnapshots)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("thin", {a.path(), b.path()}));
    const auto prefix = pool_prefix(*engine, "thin");

    // The thin pool: thin-pool over its _tmeta and _tdata, formatted, transaction id 0.
    auto pool = engine->create_thin_pool("thin", {"tp", data_bytes, 4 * mib});
    ASSERT_TRUE(pool) << pool.error().message;
    EXPECT_EQ(pool->kind, "thin_pool");
    test::assert_kernel_matches_metadata(*engine, "thin");
    const auto layout = test::thin_pool_layout(*engine, "thin", "tp");
    EXPECT_EQ(layout.transaction_id, 0u);
    EXPECT_EQ(layout.next_thin_id, 0u);
    EXPECT_EQ(layout.low_water_blocks, data_bytes / block_bytes * 20 / 100)
        << "the free blocks left at the default autoextend threshold, 80";
    {
        const auto line = only_line(prefix, pool->dm_name);
        EXPECT_EQ(line.target_type, "thin-pool");
        EXPECT_EQ(line.length, data_bytes / 512);
        // By words: the kernel ends a thin-pool table line with a blank (dm-thin.c emit_flags).
        EXPECT_EQ(words(line.params), words(test::dm_number(pool->dm_name + "_tmeta") + " " +
                                   test::dm_number(pool->dm_name + "_tdata") + " " +
                                   std::to_string(block_bytes / 512) + " " +
                                   std::to_string(layout.low_water_blocks) + " 0"));
        EXPECT_EQ(only_line(prefix, pool->dm_name + "_tmeta").target_type, "linear");
        EXPECT_EQ(only_line(prefix, pool->dm_name + "_tdata").target_type, "linear");
        EXPECT_EQ(only_line(prefix, pool->dm_name + "_tdata").length, data_bytes / 512);
    }
    {
        const auto usage = test::live_thin_pool_usage(*engine, "thin", "tp");
        EXPECT_EQ(usage.mode, "rw");
        EXPECT_EQ(usage.transaction_id, 0u);
        EXPECT_EQ(usage.data_used_blocks, 0u);
        EXPECT_EQ(usage.data_total_blocks, data_bytes / block_bytes);
        EXPECT_FALSE(usage.held_root);
        EXPECT_FALSE(usage.needs_check);
    }

    // A thin volume: thin id 0, "thin <pool> 0", transaction id 1.
    auto origin = engine->create_thin("thin", "tp", "vol", thin_bytes);
    ASSERT_TRUE(origin) << origin.error().message;
    EXPECT_EQ(origin->kind, "thin");
    EXPECT_TRUE(origin->active);
    test::assert_kernel_matches_metadata(*engine, "thin");
    EXPECT_EQ(test::thin_layout(*engine, "thin", "vol").thin_id, 0u);
    expect_thin_table(prefix, *origin, *pool, 0, thin_bytes);
    expect_transaction_id(*engine, "thin", "tp", 1);
    EXPECT_EQ(test::device_size(origin->device_path), thin_bytes);

    test::write_pattern(origin->device_path, 0, thin_bytes, old_seed);
    ASSERT_TRUE(test::holds_pattern(origin->device_path, 0, thin_bytes, old_seed));
    EXPECT_EQ(test::live_thin_pool_usage(*engine, "thin", "tp").data_used_blocks, thin_bytes / block_bytes);
    {
        auto mapped = engine->thin_mapped_sectors("thin", "vol");
        ASSERT_TRUE(mapped) << mapped.error().message;
        EXPECT_EQ(*mapped, std::optional<std::uint64_t>(thin_bytes / 512));
    }

    // A thin snapshot reads the origin's data; writes to the origin do not reach it.
    auto snapshot = engine->create_thin_snapshot("thin", "vol", "snap");
    ASSERT_TRUE(snapshot) << snapshot.error().message;
    test::assert_kernel_matches_metadata(*engine, "thin");
    {
        const auto thin = test::thin_layout(*engine, "thin", "snap");
        EXPECT_EQ(thin.thin_id, 1u);
        EXPECT_EQ(thin.origin_thin_id, std::optional<std::uint32_t>(0));
    }
    expect_thin_table(prefix, *snapshot, *pool, 1, thin_bytes);
    expect_transaction_id(*engine, "thin", "tp", 2);
    {
        auto info = kmod::dm::info(kmod::DeviceId::by_name(origin->dm_name));
        ASSERT_TRUE(info && info->exists);
        ASSERT_FALSE(info->suspended) << "the origin was left suspended";
    }
    EXPECT_TRUE(test::holds_pattern(snapshot->device_path, 0, thin_bytes, old_seed)) << "the snapshot differs";
    test::write_pattern(origin->device_path, changed_offset, changed_bytes, new_seed);
    EXPECT_TRUE(test::holds_pattern(origin->device_path, changed_offset, changed_bytes, new_seed));
    EXPECT_TRUE(test::holds_pattern(snapshot->device_path, 0, thin_bytes, old_seed)) << "a write reached the snapshot";
    EXPECT_EQ(test::live_thin_pool_usage(*engine, "thin", "tp").data_used_blocks,
              (thin_bytes + changed_bytes) / block_bytes)
        << "breaking the sharing of the rewritten blocks";

    // create_snapshot with no COW size on a thin origin is a thin snapshot too.
    auto second = engine->create_snapshot("thin", "vol", {"snap2", 0});
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second->kind, "thin");
    test::assert_kernel_matches_metadata(*engine, "thin");
    EXPECT_EQ(test::thin_layout(*engine, "thin", "snap2").thin_id, 2u);
    expect_thin_table(prefix, *second, *pool, 2, thin_bytes);
    expect_transaction_id(*engine, "thin", "tp", 3);
    EXPECT_TRUE(test::holds_pattern(second->device_path, changed_offset, changed_bytes, new_seed));
    test::write_pattern(second->device_path, 0, mib, snapshot_seed);
    EXPECT_TRUE(test::holds_pattern(origin->device_path, 0, mib, old_seed)) << "a snapshot's write reached its origin";

    // A metadata snapshot: its held root shows in the status and goes with its release.
    {
        auto hold = engine->reserve_metadata_snap("thin", "tp");
        ASSERT_TRUE(hold) << hold.error().message;
        EXPECT_EQ(hold->metadata_device, "/dev/mapper/" + pool->dm_name + "_tmeta");
        EXPECT_EQ(hold->transaction_id, 3u);
        auto usage = test::live_thin_pool_usage(*engine, "thin", "tp");
        EXPECT_EQ(usage.held_root, std::optional<std::uint64_t>(hold->held_root));
        EXPECT_NE(hold->held_root, 0u);
        auto again = engine->reserve_metadata_snap("thin", "tp");
        ASSERT_FALSE(again) << "a second metadata snapshot was reserved";
        EXPECT_EQ(again.error().code, ErrorCode::Busy) << again.error().message;
        EXPECT_EQ(test::live_thin_pool_usage(*engine, "thin", "tp").held_root,
                  std::optional<std::uint64_t>(hold->held_root));
        auto released = engine->release_metadata_snap("thin", "tp");
        ASSERT_TRUE(released) << released.error().message;
        EXPECT_FALSE(test::live_thin_pool_usage(*engine, "thin", "tp").held_root) << "the held root stayed";
        auto none = engine->release_metadata_snap("thin", "tp");
        ASSERT_FALSE(none) << "a release without a hold succeeded";
        EXPECT_EQ(none.error().code, ErrorCode::NotFound) << none.error().message;
        test::expect_kernel_matches_metadata(*engine, "thin");
        expect_transaction_id(*engine, "thin", "tp", 3);
    }

    // Removal: the device goes, "delete" frees the blocks only it held.
    auto removed = engine->remove_volume("thin", "snap2");
    ASSERT_TRUE(removed) << removed.error().message;
    test::assert_kernel_matches_metadata(*engine, "thin");
    EXPECT_FALSE(engine->volume("thin", "snap2"));
    EXPECT_FALSE(test::dm_device_exists(second->dm_name));
    expect_transaction_id(*engine, "thin", "tp", 4);

    removed = engine->remove_volume("thin", "snap");
    ASSERT_TRUE(removed) << removed.error().message;
    test::assert_kernel_matches_metadata(*engine, "thin");
    EXPECT_FALSE(test::dm_device_exists(snapshot->dm_name));
    expect_transaction_id(*engine, "thin", "tp", 5);
    EXPECT_EQ(test::live_thin_pool_usage(*engine, "thin", "tp").data_used_blocks, thin_bytes / block_bytes)
        << "the blocks only the snapshots held were not freed";
    EXPECT_TRUE(test::holds_pattern(origin->device_path, changed_offset, changed_bytes, new_seed));

    removed = engine->remove_volume("thin", "vol");
    ASSERT_TRUE(removed) << removed.error().message;
    test::assert_kernel_matches_metadata(*engine, "thin");
    EXPECT_FALSE(engine->volume("thin", "vol"));
    EXPECT_FALSE(test::dm_device_exists(origin->dm_name));
    expect_transaction_id(*engine, "thin", "tp", 6);
    EXPECT_EQ(test::live_thin_pool_usage(*engine, "thin", "tp").data_used_blocks, 0u) << "removal left data behind";

    // A restart finds the same state: nothing to reconcile, the transaction ids agree.
    engine.reset();
    engine = start_engine();
    test::expect_kernel_matches_metadata(*engine, "thin");
    expect_transaction_id(*engine, "thin", "tp", 6);
    auto summary = engine->pool("thin");
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_TRUE(summary->problems.empty()) << summary->problems.front();
}

TEST(ThinVolumes, AnInactiveThinPoolTakesNoThinAndNothingChanges)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("idle", {a.path(), b.path()}));
    const auto prefix = pool_prefix(*engine, "idle");
    auto pool = engine->create_thin_pool("idle", {"tp", data_bytes, 4 * mib});
    ASSERT_TRUE(pool) << pool.error().message;
    ASSERT_TRUE(engine->create_thin("idle", "tp", "first", thin_bytes));
    ASSERT_TRUE(engine->deactivate("idle", "first"));
    auto deactivated = engine->deactivate("idle", "tp");
    ASSERT_TRUE(deactivated) << deactivated.error().message;
    EXPECT_FALSE(test::dm_device_exists(pool->dm_name));
    {
        auto usage = engine->thin_pool_usage("idle", "tp");
        ASSERT_TRUE(usage) << usage.error().message;
        EXPECT_FALSE(*usage) << "an inactive thin pool has a usage";
    }
    test::assert_kernel_matches_metadata(*engine, "idle");

    const auto model_before = engine->model("idle");
    ASSERT_TRUE(model_before);
    const auto tables_before = test::live_tables(prefix);

    auto thin = engine->create_thin("idle", "tp", "second", thin_bytes);
    ASSERT_FALSE(thin) << "a thin was created in an inactive thin pool";
    EXPECT_EQ(thin.error().code, ErrorCode::Busy) << thin.error().message;
    auto snapshot = engine->create_thin_snapshot("idle", "first", "snap");
    ASSERT_FALSE(snapshot) << "a thin snapshot was created in an inactive thin pool";
    EXPECT_EQ(snapshot.error().code, ErrorCode::Busy) << snapshot.error().message;

    const auto model_after = engine->model("idle");
    ASSERT_TRUE(model_after);
    EXPECT_TRUE(*model_after == *model_before) << "the refused change reached the model";
    EXPECT_EQ(test::live_tables(prefix), tables_before) << "the refused change reached the kernel";
    test::expect_kernel_matches_metadata(*engine, "idle");

    // Active again, the pool's own metadata still carries the committed transaction id.
    auto activated = engine->activate("idle", "tp");
    ASSERT_TRUE(activated) << activated.error().message;
    expect_transaction_id(*engine, "idle", "tp", 1);
    auto created = engine->create_thin("idle", "tp", "second", thin_bytes);
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_EQ(test::thin_layout(*engine, "idle", "second").thin_id, 1u);
    expect_transaction_id(*engine, "idle", "tp", 2);
    test::expect_kernel_matches_metadata(*engine, "idle");
}

}  // namespace
}  // namespace volumes::engine
