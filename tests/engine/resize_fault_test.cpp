// Resizes killed at every fault point and repaired by start-up reconciliation: a raid1 grow
// (each leg's image on its own member, the array reloaded larger) and a thin pool's grow of
// its data and metadata in one transaction. Before the commit the volume keeps its old size,
// from it on it has the new one; the tables always match the committed metadata and the data
// written before is intact. The executor passes every point, also those of steps a resize has
// none of (creating, renaming, removing devices).
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "fault_child.hpp"
#include "kmod/device_mapper.hpp"
#include "live_table_checks.hpp"
#include "pool_cleanup.hpp"
#include "service/executor/fault_point.hpp"
#include "service/model/names.hpp"
#include "snapshot_support.hpp"
#include "thin_support.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/loop_device.hpp"
#include "tests/kernel/support/raid_waiter.hpp"

namespace volumes::engine {
namespace {

using test::LoopDevice;
using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;
constexpr std::uint64_t step = 4 * mib;  // one extent more per point
constexpr std::uint64_t seed = 61;

// Runs `resize` in a child that VOLUMESD_FAULT kills at `point`; true when it was killed there.
bool killed_at(std::string_view point, const std::function<int(Engine&)>& resize)
{
    return test::killed_in_child_at(point, resize) == SIGKILL;
}

// Not suspended, so that I/O to it cannot hang the test.
void assert_running(const std::string& dm_name)
{
    auto info = kmod::dm::info(kmod::DeviceId::by_name(dm_name));
    ASSERT_TRUE(info && info->exists) << dm_name << " has no device";
    ASSERT_FALSE(info->suspended) << dm_name << " was left suspended";
}

void wait_until_in_sync(const std::string& dm_name)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!test::raid_status_of(dm_name).is_synced()) {
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error(dm_name + " did not get in sync");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

TEST(ResizeFaults, ARaid1GrowKilledAtEveryFaultPointKeepsTheOldSizeBeforeTheCommitAndTheNewAfter)
{
    LoopDevice a(96 * mib), b(96 * mib), c(96 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    std::string path, name, prefix;
    std::uint64_t size = 16 * mib;
    {
        auto engine = start_engine();
        ASSERT_TRUE(engine->create_pool("crash", {a.path(), b.path(), c.path()}));
        auto array = engine->create_raid1_volume("crash", {"array", size, 2});
        ASSERT_TRUE(array) << array.error().message;
        path = array->device_path;
        name = array->dm_name;
        prefix = model::dm_uuid_prefix(engine->model("crash")->uuid);
        test::wait_until_raid_synced(name, 0);
        test::write_pattern(path, 0, size, seed);
    }

    // A grow that fails before its commit is reverted in place: the images that went live
    // larger before the raid's table loaded are put back on their old tables.
    for (const auto* point : {"preloaded:fail", "suspended:fail"}) {
        SCOPED_TRACE(point);
        auto engine = start_engine();
        ::setenv("VOLUMESD_FAULT", point, 1);
        auto failed = engine->resize_volume("crash", "array", {size + step});
        ::unsetenv("VOLUMESD_FAULT");
        ASSERT_FALSE(failed) << "the grow went through a failing fault point";
        test::expect_kernel_matches_metadata(*engine, "crash");
        EXPECT_EQ(test::device_size(path + "_rimage_0"), size) << "an image stayed larger";
        EXPECT_EQ(test::device_size(path), size);
        ASSERT_NO_FATAL_FAILURE(assert_running(name));
    }

    for (const auto point : executor::fault_points) {
        SCOPED_TRACE(std::string("fault point ") + std::string(point));
        const auto target = size + step;
        ASSERT_TRUE(killed_at(point, [target](Engine& engine) {
            return engine.resize_volume("crash", "array", {target}) ? 0 : 1;
        })) << "the child was not killed at " << point;

        auto engine = start_engine();
        test::expect_kernel_matches_metadata(*engine, "crash");
        test::expect_no_shared_sub_devices(prefix);
        ASSERT_NO_FATAL_FAILURE(assert_running(name));
        ASSERT_NO_FATAL_FAILURE(assert_running(name + "_rimage_0"));
        ASSERT_NO_FATAL_FAILURE(assert_running(name + "_rimage_1"));
        auto volume = engine->volume("crash", "array");
        ASSERT_TRUE(volume) << volume.error().message;
        const auto expected = test::committed_before_kill(point) ? target : size;
        EXPECT_EQ(volume->size, expected) << (expected == size ? "a grow killed before its commit survived"
                                                               : "a committed grow was lost");
        EXPECT_EQ(test::device_size(path), volume->size) << "the array's device does not have the model's size";
        wait_until_in_sync(name);
        EXPECT_TRUE(test::holds_pattern(path, 0, 16 * mib, seed)) << "the array lost data";
        EXPECT_EQ(test::digest(path + "_rimage_0", 0, volume->size), test::digest(path + "_rimage_1", 0, volume->size))
            << "the legs differ";
        size = volume->size;
    }
}

TEST(ResizeFaults, AThinPoolGrowOfDataAndMetadataKilledAtEveryFaultPointIsRolledBackOrForward)
{
    LoopDevice a(128 * mib), b(128 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    std::uint64_t data = 16 * mib, meta = 4 * mib;
    std::string tmeta_path, thin_path, pool_dm_name;
    std::uint64_t transaction_id = 0;
    {
        auto engine = start_engine();
        ASSERT_TRUE(engine->create_pool("crash", {a.path(), b.path()}));
        auto pool = engine->create_thin_pool("crash", {"tp", data, meta});
        ASSERT_TRUE(pool) << pool.error().message;
        auto thin = engine->create_thin("crash", "tp", "base", 8 * mib);
        ASSERT_TRUE(thin) << thin.error().message;
        test::write_pattern(thin->device_path, 0, 8 * mib, seed);
        tmeta_path = "/dev/mapper/" + pool->dm_name + "_tmeta";
        thin_path = thin->device_path;
        pool_dm_name = pool->dm_name;
        transaction_id = test::thin_pool_layout(*engine, "crash", "tp").transaction_id;
    }

    for (const auto point : executor::fault_points) {
        SCOPED_TRACE(std::string("fault point ") + std::string(point));
        const auto new_data = data + step, new_meta = meta + step;
        ASSERT_TRUE(killed_at(point, [new_data, new_meta](Engine& engine) {
            return engine.resize_thin_pool("crash", "tp", new_data, new_meta) ? 0 : 1;
        })) << "the child was not killed at " << point;

        auto engine = start_engine();
        test::expect_kernel_matches_metadata(*engine, "crash");
        ASSERT_NO_FATAL_FAILURE(assert_running(pool_dm_name));
        ASSERT_NO_FATAL_FAILURE(assert_running(model::dm_name("crash", "base")));
        const bool forward = test::committed_before_kill(point);
        auto pool = engine->volume("crash", "tp");
        ASSERT_TRUE(pool) << pool.error().message;
        EXPECT_EQ(pool->size, forward ? new_data : data)
            << (forward ? "a committed grow was lost" : "a grow killed before its commit survived");
        EXPECT_EQ(test::device_size(tmeta_path), forward ? new_meta : meta);
        const auto usage = test::live_thin_pool_usage(*engine, "crash", "tp");
        EXPECT_EQ(usage.data_total_blocks, pool->size / (64 * 1024)) << "the pool does not see its data's size";
        EXPECT_EQ(usage.metadata_total_blocks, test::device_size(tmeta_path) / 4096)
            << "the pool does not see its metadata's size";
        EXPECT_EQ(usage.mode, "rw");
        EXPECT_EQ(usage.transaction_id, transaction_id) << "a resize sent a message";
        EXPECT_TRUE(test::holds_pattern(thin_path, 0, 8 * mib, seed)) << "the thin lost data";
        data = pool->size;
        meta = test::device_size(tmeta_path);
    }
}

}  // namespace
}  // namespace volumes::engine
