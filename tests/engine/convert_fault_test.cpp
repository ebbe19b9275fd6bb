// Volume.ConvertToRaid1 through the engine (issue 16), killed at every fault point: each point
// converts a linear volume of its own carrying a mounted ext4, which stays mounted through the
// kill and the start-up after it. Start-up then leaves the tables matching the committed
// metadata (the volume still linear before the commit, a raid1 whose new image is rebuilt after
// it), the filesystem's files intact, and once in sync both images alike and no "rebuild" left.
#include <signal.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "ext4_files.hpp"
#include "fault_child.hpp"
#include "kmod/device_mapper.hpp"
#include "live_table_checks.hpp"
#include "mounted_filesystem.hpp"
#include "pool_cleanup.hpp"
#include "service/executor/fault_point.hpp"
#include "service/model/names.hpp"
#include "snapshot_support.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/loop_device.hpp"
#include "tests/kernel/support/raid_waiter.hpp"

namespace volumes::engine {
namespace {

using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;
constexpr std::uint64_t size = 8 * mib;

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

std::string live_table(const std::string& dm_name)
{
    auto table = kmod::dm::table(kmod::DeviceId::by_name(dm_name));
    if (!table)
        return "<no table: " + table.error().message + ">";
    return kmod::to_string(*table);
}

TEST(ConvertFaults, AConversionKilledAtEveryFaultPointUnderAMountedExt4IsRolledBackOrForward)
{
    // Each point's volume takes 2 extents, and once converted 4 more: room for every point.
    test::LoopDevice a(128 * mib), b(128 * mib), c(128 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    std::string prefix;
    {
        auto engine = start_engine();
        ASSERT_TRUE(engine->create_pool("crash", {a.path(), b.path(), c.path()}));
        prefix = model::dm_uuid_prefix(engine->model("crash")->uuid);
    }

    unsigned n = 0;
    for (const auto point : executor::fault_points) {
        SCOPED_TRACE(std::string("fault point ") + std::string(point));
        const auto name = "v" + std::to_string(n++);
        std::string path, dm_name;
        model::ExtentMap linear_data;
        {
            auto engine = start_engine();
            auto volume = engine->create_linear_volume("crash", {name, size});
            ASSERT_TRUE(volume) << volume.error().message;
            path = volume->device_path;
            dm_name = volume->dm_name;
            linear_data = std::get<model::LinearLayout>(model::find_volume(*engine->model("crash"), name)->layout).data;
        }
        ASSERT_NO_THROW(test::make_ext4(path));
        auto mounted = std::make_unique<test::MountedExt4>(path);
        mounted->write_file("one", 1 * mib, 1);
        mounted->write_file("two", 2 * mib + 123, 2);
        mounted->write_file("three", 4096, 3);
        const auto written = mounted->digests();

        ASSERT_EQ(test::killed_in_child_at(point,
                                           [&](Engine& engine) {
                                               return engine.convert_to_raid1("crash", name, {}) ? 0 : 1;
                                           }),
                  SIGKILL)
            << "the child was not killed at " << point;

        auto engine = start_engine();
        test::expect_kernel_matches_metadata(*engine, "crash");
        test::expect_no_shared_sub_devices(prefix);
        ASSERT_NO_FATAL_FAILURE(assert_running(dm_name));
        // The filesystem stayed mounted on the same device and still takes writes.
        mounted->write_file("after", 64 * 1024, 4);
        auto expected = written;
        expected["after"] = mounted->digests().at("after");

        const auto model = engine->model("crash");
        ASSERT_TRUE(model);
        const auto* volume = model::find_volume(*model, name);
        ASSERT_NE(volume, nullptr);
        const auto table = live_table(dm_name);
        if (!test::committed_before_kill(point)) {
            ASSERT_TRUE(std::holds_alternative<model::LinearLayout>(volume->layout))
                << "a conversion killed before its commit survived: " << table;
            EXPECT_EQ(std::get<model::LinearLayout>(volume->layout).data, linear_data);
            EXPECT_NE(table.find(" linear "), std::string::npos) << table;
        } else {
            const auto* raid = std::get_if<model::Raid1Layout>(&volume->layout);
            ASSERT_NE(raid, nullptr) << "a committed conversion was lost: " << table;
            EXPECT_EQ(raid->legs.at(0).data, linear_data) << "image 0 is not the linear volume's extents";
            ASSERT_NO_FATAL_FAILURE(assert_running(dm_name + "_rimage_1"));
            ASSERT_NO_THROW(wait_until_in_sync(dm_name));
            // Start-up dropped the mark if md had finished by then; otherwise this does.
            auto finished = engine->finish_raid1_rebuild("crash", name);
            ASSERT_TRUE(finished) << finished.error().message;
            const auto after = engine->model("crash");
            ASSERT_TRUE(after);
            EXPECT_FALSE(raid1_rebuilding(*model::find_volume(*after, name))) << "in sync, yet still marked rebuilding";
            const auto reloaded = live_table(dm_name);
            EXPECT_EQ(reloaded.find("rebuild"), std::string::npos) << "in sync, yet loaded with rebuild: " << reloaded;
            test::expect_kernel_matches_metadata(*engine, "crash");
        }

        // Unmounted, the images are compared and the files read back from the disk.
        mounted->unmount();
        mounted.reset();
        if (test::committed_before_kill(point)) {
            EXPECT_TRUE(test::raid_status_of(dm_name).is_synced()) << live_table(dm_name);
            EXPECT_EQ(test::digest("/dev/mapper/" + dm_name + "_rimage_0", 0, size),
                      test::digest("/dev/mapper/" + dm_name + "_rimage_1", 0, size))
                << "the new image differs from the one it was copied from";
            EXPECT_EQ(test::digest(path, 0, size), test::digest("/dev/mapper/" + dm_name + "_rimage_0", 0, size));
        }
        test::MountedExt4 again(path);
        EXPECT_EQ(again.digests(), expected) << "the files differ once mounted again";
    }
}

}  // namespace
}  // namespace volumes::engine
