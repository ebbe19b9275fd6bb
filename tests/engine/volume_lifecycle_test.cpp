#include <string>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "kmod/device_mapper.hpp"
#include "live_table_checks.hpp"
#include "open_device.hpp"
#include "pool_cleanup.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"
#include "service/planner/plan.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/loop_device.hpp"
#include "tests/kernel/support/raid_waiter.hpp"

namespace volumes::engine {
namespace {

using test::LoopDevice;
using test::OpenDevice;
using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;

void expect_kernel_matches_metadata(const Engine& engine, const std::string& pool)
{
    auto plan = engine.reconciliation_plan(pool);
    ASSERT_TRUE(plan) << plan.error().message;
    EXPECT_EQ(plan->steps, std::vector<planner::Step>{planner::CommitMetadata{}})
        << "the live tables differ from the committed metadata:\n"
        << planner::to_string(*plan);
}

bool dm_device_exists(const std::string& name)
{
    auto info = kmod::dm::info(kmod::DeviceId::by_name(name));
    return info && info->exists;
}

TEST(VolumeLifecycle, LinearAndRaid1DataSurviveDeactivationAndAFreshScan)
{
    LoopDevice a(64 * mib), b(64 * mib), c(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("data", {a.path(), b.path(), c.path()}));

    auto linear = engine->create_linear_volume("data", {"plain", 40 * mib});
    ASSERT_TRUE(linear) << linear.error().message;
    EXPECT_EQ(linear->size, 40 * mib);
    EXPECT_EQ(linear->device_path, "/dev/mapper/volumes-data-plain");
    auto mirror = engine->create_raid1_volume("data", {"mirror", 16 * mib, 2, 512 * 1024});
    ASSERT_TRUE(mirror) << mirror.error().message;
    expect_kernel_matches_metadata(*engine, "data");
    auto pool = engine->model("data");
    ASSERT_TRUE(pool);
    EXPECT_TRUE(test::shared_sub_devices(model::dm_uuid_prefix(pool->uuid)).empty());

    test::wait_until_raid_synced(mirror->dm_name, 0);
    test::write_pattern(linear->device_path, 0, 40 * mib, 11);
    test::write_pattern(mirror->device_path, 0, 16 * mib, 12);

    ASSERT_TRUE(engine->deactivate("data", "plain"));
    ASSERT_TRUE(engine->deactivate("data", "mirror"));
    EXPECT_FALSE(dm_device_exists(linear->dm_name));
    EXPECT_FALSE(dm_device_exists(mirror->dm_name));
    EXPECT_FALSE(dm_device_exists(mirror->dm_name + "_rimage_0"));
    expect_kernel_matches_metadata(*engine, "data");

    engine.reset();
    auto rescanned = start_engine();
    auto volumes = rescanned->volumes("data");
    ASSERT_TRUE(volumes) << volumes.error().message;
    ASSERT_EQ(volumes->size(), 2u);
    for (const auto& volume : *volumes)
        EXPECT_FALSE(volume.active) << volume.name << " came back active after deactivation";
    EXPECT_FALSE(dm_device_exists(linear->dm_name));

    ASSERT_TRUE(rescanned->activate("data", "plain"));
    ASSERT_TRUE(rescanned->activate("data", "mirror"));
    expect_kernel_matches_metadata(*rescanned, "data");
    EXPECT_TRUE(test::holds_pattern(linear->device_path, 0, 40 * mib, 11));
    EXPECT_TRUE(test::holds_pattern(mirror->device_path, 0, 16 * mib, 12));
}

TEST(VolumeLifecycle, ActiveVolumesComeBackAfterTheirDevicesVanish)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("boot", {a.path(), b.path()}));
    auto volume = engine->create_linear_volume("boot", {"root", 8 * mib});
    ASSERT_TRUE(volume) << volume.error().message;
    test::write_pattern(volume->device_path, 0, 8 * mib, 21);

    // A reboot, as far as dm is concerned: the devices are gone, the metadata says active.
    engine.reset();
    test::remove_all_pool_devices();
    EXPECT_FALSE(dm_device_exists(volume->dm_name));
    auto restarted = start_engine();
    EXPECT_TRUE(dm_device_exists(volume->dm_name));
    expect_kernel_matches_metadata(*restarted, "boot");
    EXPECT_TRUE(test::holds_pattern(volume->device_path, 0, 8 * mib, 21));
}

TEST(VolumeLifecycle, RefusalsChangeNeitherMetadataNorTables)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("small", {a.path(), b.path()}));
    ASSERT_TRUE(engine->create_linear_volume("small", {"one", 8 * mib}));
    const auto before = engine->model("small");
    ASSERT_TRUE(before);
    auto plan_before = engine->reconciliation_plan("small");
    ASSERT_TRUE(plan_before);

    auto too_big = engine->create_linear_volume("small", {"big", 1024 * mib});
    ASSERT_FALSE(too_big);
    EXPECT_EQ(too_big.error().code, ErrorCode::NoSpace) << too_big.error().message;
    auto three_legs = engine->create_raid1_volume("small", {"wide", 8 * mib, 3});
    ASSERT_FALSE(three_legs);
    EXPECT_EQ(three_legs.error().code, ErrorCode::NoSpace) << three_legs.error().message;
    auto same_name = engine->create_linear_volume("small", {"one", 8 * mib});
    ASSERT_FALSE(same_name);
    EXPECT_EQ(same_name.error().code, ErrorCode::AlreadyExists);
    auto bad_name = engine->create_linear_volume("small", {"x_rimage_0", 8 * mib});
    ASSERT_FALSE(bad_name);
    EXPECT_EQ(bad_name.error().code, ErrorCode::InvalidArgument);
    auto unknown = engine->remove_volume("small", "nothing");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);

    EXPECT_EQ(engine->model("small"), before);
    engine.reset();
    auto rescanned = start_engine();
    EXPECT_EQ(rescanned->model("small"), before) << "a refused request reached the disk";
    expect_kernel_matches_metadata(*rescanned, "small");
}

model::ExtentMap meta_extents_of(const model::Pool& pool, std::string_view volume)
{
    model::ExtentMap meta;
    for (const auto& leg : std::get<model::Raid1Layout>(model::find_volume(pool, volume)->layout).legs)
        meta.insert(meta.end(), leg.meta.begin(), leg.meta.end());
    return meta;
}

// A new array on the extents of a removed one must not pick up its superblocks and bitmap:
// it has to run its own initial sync, which ends with a dm event.
TEST(VolumeLifecycle, ARaid1OnReusedExtentsSyncsFromScratch)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("reuse", {a.path(), b.path()}));
    auto first = engine->create_raid1_volume("reuse", {"first", 16 * mib, 2, 512 * 1024});
    ASSERT_TRUE(first) << first.error().message;
    test::wait_until_raid_synced(first->dm_name, 0);
    test::write_pattern(first->device_path, 0, 16 * mib, 51);
    const auto first_meta = meta_extents_of(*engine->model("reuse"), "first");
    auto removed = engine->remove_volume("reuse", "first");
    ASSERT_TRUE(removed) << removed.error().message;

    auto second = engine->create_raid1_volume("reuse", {"second", 16 * mib, 2, 512 * 1024});
    ASSERT_TRUE(second) << second.error().message;
    ASSERT_EQ(meta_extents_of(*engine->model("reuse"), "second"), first_meta)
        << "the allocator did not reuse the extents, so this test proves nothing";
    test::wait_until_raid_synced(second->dm_name, 0, std::chrono::seconds(60));
}

TEST(VolumeLifecycle, AnOpenVolumeIsNotRemoved)
{
    LoopDevice a(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("busy", {a.path()}));
    auto volume = engine->create_linear_volume("busy", {"held", 8 * mib});
    ASSERT_TRUE(volume);
    const auto before = engine->model("busy");
    {
        OpenDevice holder(volume->device_path);
        auto removed = engine->remove_volume("busy", "held");
        ASSERT_FALSE(removed);
        EXPECT_EQ(removed.error().code, ErrorCode::InUse) << removed.error().message;
        EXPECT_EQ(engine->model("busy"), before);
        EXPECT_TRUE(dm_device_exists(volume->dm_name));
    }
    ASSERT_TRUE(engine->remove_volume("busy", "held"));
    EXPECT_FALSE(dm_device_exists(volume->dm_name));
    auto after = engine->model("busy");
    ASSERT_TRUE(after);
    EXPECT_TRUE(after->volumes.empty());
}

}  // namespace
}  // namespace volumes::engine
