#include <signal.h>

#include <string>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "fault_child.hpp"
#include "kmod/device_mapper.hpp"
#include "kmod/status/raid_status.hpp"
#include "live_table_checks.hpp"
#include "pool_cleanup.hpp"
#include "service/executor/fault_point.hpp"
#include "service/model/names.hpp"
#include "service/planner/plan.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/loop_device.hpp"
#include "tests/kernel/support/raid_waiter.hpp"

namespace volumes::engine {
namespace {

using test::LoopDevice;
using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;
constexpr std::uint64_t array_bytes = 16 * mib;

// Runs the split in a child process that VOLUMESD_FAULT kills at `point`; the child's engine
// starts (and reconciles) like a daemon would. Returns the signal that ended the child, or
// minus its exit status.
int split_in_child_killed_at(std::string_view point)
{
    return test::killed_in_child_at(point,
                                    [](Engine& engine) { return engine.split_track("mirror", "array", {}) ? 0 : 1; });
}

using test::committed_before_kill;

TEST(RaidSplitFaults, AKillAtEveryFaultPointIsRepairedByStartUpReconciliation)
{
    LoopDevice a(64 * mib), b(64 * mib), c(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    std::string array_path, array_name, prefix, array_name_path;
    {
        auto engine = start_engine();
        ASSERT_TRUE(engine->create_pool("mirror", {a.path(), b.path(), c.path()}));
        auto array = engine->create_raid1_volume("mirror", {"array", array_bytes, 3});
        ASSERT_TRUE(array) << array.error().message;
        array_path = array->device_path;
        array_name = array->dm_name;
        prefix = model::dm_uuid_prefix(engine->model("mirror")->uuid);
        array_name_path = "/dev/mapper/" + array_name;
        test::wait_until_raid_synced(array_name, 0);
        test::write_pattern(array_path, 0, array_bytes, 31);
    }

    for (const auto point : executor::fault_points) {
        SCOPED_TRACE(std::string("fault point ") + std::string(point));
        ASSERT_EQ(split_in_child_killed_at(point), SIGKILL) << "the child was not killed at " << point;

        auto engine = start_engine();
        auto pool = engine->pool("mirror");
        ASSERT_TRUE(pool) << pool.error().message;
        auto plan = engine->reconciliation_plan("mirror");
        ASSERT_TRUE(plan) << plan.error().message;
        EXPECT_EQ(plan->steps, std::vector<planner::Step>{planner::CommitMetadata{}})
            << "after reconciliation the live tables still differ from the metadata:\n"
            << planner::to_string(*plan);
        for (const auto& problem : test::shared_sub_devices(prefix))
            ADD_FAILURE() << problem;

        auto image = engine->volume("mirror", "array_image_2");
        EXPECT_EQ(image.has_value(), committed_before_kill(point))
            << (image ? "the split survived a crash before its commit" : "a committed split was lost");
        EXPECT_TRUE(test::holds_pattern(array_path, 0, array_bytes, 31)) << "the array lost data";
        if (image) {
            EXPECT_TRUE(image->read_only);
            EXPECT_TRUE(test::holds_pattern(image->device_path, 0, array_bytes, 31)) << "the image differs";
            EXPECT_TRUE(test::refuses_writes(image->device_path));
            // Writes while split reach the array, not the image.
            test::write_pattern(array_path, 4 * mib, mib, 32);
            EXPECT_TRUE(test::holds_pattern(image->device_path, 4 * mib, mib, 31)) << "a write reached the image";
            auto info = kmod::dm::info(kmod::DeviceId::by_name(array_name));
            ASSERT_TRUE(info && info->exists);
            ASSERT_TRUE(engine->merge_tracked_image("mirror", "array_image_2"));
            test::wait_until_raid_synced(array_name, info->event_nr);
            const auto leg0 = test::digest(array_name_path + "_rimage_0", 0, array_bytes);
            EXPECT_EQ(test::digest(array_name_path + "_rimage_2", 0, array_bytes), leg0) << "legs differ after the merge";
            EXPECT_TRUE(test::holds_pattern(array_name_path + "_rimage_2", 4 * mib, mib, 32))
                << "the merge did not resync what was written while split";
            test::write_pattern(array_path, 4 * mib, mib, 31);
        }
        auto status = test::raid_status_of(array_name);
        EXPECT_EQ(kmod::health_string(status.health), "AAA");
    }
}

}  // namespace
}  // namespace volumes::engine
