#include <sys/stat.h>

#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "kmod/device_mapper.hpp"
#include "open_device.hpp"
#include "pool_cleanup.hpp"
#include "service/devices/udev_settle.hpp"
#include "tests/kernel/support/loop_device.hpp"
#include "tests/kernel/support/raid_waiter.hpp"

namespace volumes::engine {
namespace {

using test::LoopDevice;
using test::OpenDevice;
using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;

dev_t rdev_of(const std::string& path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw std::runtime_error("cannot stat " + path);
    return st.st_rdev;
}

TEST(VolumeStatus, ALinearVolumeReportsItsDeviceAndWhetherItIsOpen)
{
    LoopDevice a(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("st", {a.path()}));
    auto volume = engine->create_linear_volume("st", {"plain", 8 * mib});
    ASSERT_TRUE(volume) << volume.error().message;
    devices::wait_for_udev_to_settle(std::chrono::seconds(10));

    auto status = engine->volume_status("st", "plain");
    ASSERT_TRUE(status) << status.error().message;
    EXPECT_TRUE(status->active);
    EXPECT_EQ(status->device_number, rdev_of(volume->device_path));
    EXPECT_FALSE(status->open);
    EXPECT_FALSE(status->raid);
    auto info = kmod::dm::info(kmod::DeviceId::by_name(volume->dm_name));
    ASSERT_TRUE(info && info->exists);
    EXPECT_EQ(status->event_nr, info->event_nr);
    {
        OpenDevice holder(volume->device_path);
        auto held = engine->volume_status("st", "plain");
        ASSERT_TRUE(held) << held.error().message;
        EXPECT_TRUE(held->open);
    }
    auto closed = engine->volume_status("st", "plain");
    ASSERT_TRUE(closed) << closed.error().message;
    EXPECT_FALSE(closed->open);
}

TEST(VolumeStatus, ARaid1AfterItsSyncIsSynced)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("st", {a.path(), b.path()}));
    auto mirror = engine->create_raid1_volume("st", {"mirror", 16 * mib, 2});
    ASSERT_TRUE(mirror) << mirror.error().message;
    const auto waited = test::wait_until_raid_synced(mirror->dm_name, 0);

    auto status = engine->volume_status("st", "mirror");
    ASSERT_TRUE(status) << status.error().message;
    EXPECT_TRUE(status->active);
    EXPECT_EQ(status->device_number, rdev_of(mirror->device_path));
    EXPECT_GE(status->event_nr, waited.event_nr);
    ASSERT_TRUE(status->raid) << "an active raid1 volume without its raid status";
    EXPECT_TRUE(status->raid->synced);
    EXPECT_EQ(status->raid->action, "idle");
    EXPECT_EQ(std::string(status->raid->health.begin(), status->raid->health.end()), "AA");
    EXPECT_EQ(status->raid->total_sectors, 16 * mib / 512);
    EXPECT_EQ(status->raid->in_sync_sectors, status->raid->total_sectors);
}

TEST(VolumeStatus, AnInactiveVolumeIsNotActiveAndUnknownNamesAreNotFound)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("st", {a.path(), b.path()}));
    ASSERT_TRUE(engine->create_linear_volume("st", {"plain", 8 * mib}));
    ASSERT_TRUE(engine->create_raid1_volume("st", {"mirror", 8 * mib, 2}));
    ASSERT_TRUE(engine->deactivate("st", "plain"));
    ASSERT_TRUE(engine->deactivate("st", "mirror"));

    for (const auto* name : {"plain", "mirror"}) {
        auto status = engine->volume_status("st", name);
        ASSERT_TRUE(status) << name << ": " << status.error().message;
        EXPECT_FALSE(status->active) << name;
        EXPECT_EQ(status->device_number, 0u) << name;
        EXPECT_FALSE(status->open) << name;
        EXPECT_FALSE(status->raid) << name;
    }
    auto no_volume = engine->volume_status("st", "nothing");
    ASSERT_FALSE(no_volume);
    EXPECT_EQ(no_volume.error().code, ErrorCode::NotFound);
    auto no_pool = engine->volume_status("nowhere", "plain");
    ASSERT_FALSE(no_pool);
    EXPECT_EQ(no_pool.error().code, ErrorCode::NotFound);
}

TEST(EngineKernelTargets, ListTheTargetsInUseWithTheirVersions)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("kt", {a.path(), b.path()}));
    // Loads dm_raid if nothing has yet.
    ASSERT_TRUE(engine->create_raid1_volume("kt", {"mirror", 8 * mib, 2}));

    const auto targets = engine->kernel_targets();
    ASSERT_TRUE(targets.contains("raid"));
    ASSERT_TRUE(targets.contains("linear"));
    const std::regex version(R"(\d+\.\d+\.\d+)");
    for (const auto& [name, number] : targets)
        EXPECT_TRUE(std::regex_match(number, version)) << name << " " << number;
    EXPECT_FALSE(targets.contains("striped")) << "a target the engine never loads a table of";
}

}  // namespace
}  // namespace volumes::engine
