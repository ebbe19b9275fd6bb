// Raid1.Repair through the engine (issue 16): a two-image array loses the member under slot 1
// (unplugged while the array is down, so it is missing at the next start), and the repair
// puts a new image on another member, loaded with "rebuild 1" until md has copied it, then
// reloaded without it. The repair is killed at every fault point: start-up then leaves the
// tables matching the committed metadata, the old slot empty before the commit and the new
// image rebuilt after it, and the array's data intact, with both images equal once in sync.
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "failing_members.hpp"
#include "fault_child.hpp"
#include "kmod/device_mapper.hpp"
#include "live_table_checks.hpp"
#include "pool_cleanup.hpp"
#include "service/executor/fault_point.hpp"
#include "service/model/names.hpp"
#include "snapshot_support.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/raid_waiter.hpp"

namespace volumes::engine {
namespace {

using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;
constexpr std::uint64_t size = 8 * mib;
constexpr std::uint64_t seed = 71;

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

const model::Raid1Layout& raid_of(const model::Pool& pool)
{
    return std::get<model::Raid1Layout>(model::find_volume(pool, "array")->layout);
}

// The test's member index of the member under slot `slot`, from the pool's member paths.
unsigned member_index(Engine& engine, const test::FailingMembers& members, unsigned slot)
{
    const auto model = engine.model("crash");
    const auto summary = engine.pool("crash");
    if (!model || !summary)
        throw std::runtime_error("no pool 'crash'");
    const auto uuid = raid_of(*model).legs.at(slot).meta.front().member;
    for (const auto& member : summary->members)
        if (member.uuid == uuid && member.present)
            if (const auto index = members.index_of(member.path))
                return *index;
    throw std::runtime_error("the member under slot " + std::to_string(slot) + " is none of the test's");
}

TEST(RepairFaults, ARepairKilledAtEveryFaultPointIsRolledBackOrForwardAndItsRebuildEnds)
{
    // Two images, then one new member for every point whose kill comes after the commit.
    test::FailingMembers members(8, 32 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    std::string path, name, prefix;
    {
        auto engine = start_engine();
        ASSERT_TRUE(engine->create_pool("crash", members.paths()));
        auto array = engine->create_raid1_volume("crash", {"array", size, 2});
        ASSERT_TRUE(array) << array.error().message;
        path = array->device_path;
        name = array->dm_name;
        prefix = model::dm_uuid_prefix(engine->model("crash")->uuid);
        test::wait_until_raid_synced(name, 0);
        test::write_pattern(path, 0, size, seed);

        auto nothing = engine->repair_raid1("crash", "array", {});
        ASSERT_FALSE(nothing) << "a repair of a healthy array went through";
        EXPECT_EQ(nothing.error().code, ErrorCode::InvalidArgument) << nothing.error().message;
    }

    bool degraded = false;
    for (const auto point : executor::fault_points) {
        SCOPED_TRACE(std::string("fault point ") + std::string(point));
        if (!degraded) {
            // The machine goes down with the array and comes back without slot 1's member.
            auto engine = start_engine();
            const auto lost = member_index(*engine, members, 1);
            ASSERT_TRUE(engine->deactivate("crash", "array"));
            engine.reset();
            members.remove(lost);
            engine = start_engine();
            auto activated = engine->activate("crash", "array");
            ASSERT_TRUE(activated) << activated.error().message;
            auto table = live_table(name);
            ASSERT_NE(table.find(" - -"), std::string::npos) << "slot 1 runs without its member: " << table;
            ASSERT_TRUE(test::holds_pattern(path, 0, size, seed)) << "the degraded array lost data";
            degraded = true;
        }

        ASSERT_EQ(test::killed_in_child_at(point,
                                           [](Engine& engine) {
                                               return engine.repair_raid1("crash", "array", {}) ? 0 : 1;
                                           }),
                  SIGKILL)
            << "the child was not killed at " << point;

        auto engine = start_engine();
        test::expect_kernel_matches_metadata(*engine, "crash");
        test::expect_no_shared_sub_devices(prefix);
        ASSERT_NO_FATAL_FAILURE(assert_running(name));
        EXPECT_TRUE(test::holds_pattern(path, 0, size, seed)) << "the array lost data";
        const auto forward = test::committed_before_kill(point);
        const auto table = live_table(name);
        if (!forward) {
            EXPECT_NE(table.find(" - -"), std::string::npos) << "a repair killed before its commit survived: " << table;
            const auto model = engine->model("crash");
            ASSERT_TRUE(model);
            EXPECT_FALSE(raid_of(*model).legs[1].rebuilding);
            continue;
        }
        EXPECT_EQ(table.find(" - -"), std::string::npos) << "a committed repair was lost: " << table;
        ASSERT_NO_FATAL_FAILURE(assert_running(name + "_rimage_1"));
        ASSERT_NO_THROW(wait_until_in_sync(name));
        // Start-up dropped the mark if md had finished by then; otherwise this does.
        auto finished = engine->finish_raid1_rebuild("crash", "array");
        ASSERT_TRUE(finished) << finished.error().message;
        const auto model = engine->model("crash");
        ASSERT_TRUE(model);
        EXPECT_FALSE(raid_of(*model).legs[1].rebuilding) << "in sync, yet still marked rebuilding";
        const auto after = live_table(name);
        EXPECT_EQ(after.find("rebuild"), std::string::npos) << "in sync, yet still loaded with rebuild: " << after;
        test::expect_kernel_matches_metadata(*engine, "crash");
        EXPECT_TRUE(test::holds_pattern(path, 0, size, seed)) << "the repaired array lost data";
        EXPECT_EQ(test::digest(path + "_rimage_0", 0, size), test::digest(path + "_rimage_1", 0, size))
            << "the new image differs from the one it was rebuilt from";
        // A reload after the end (here a restart's reconciliation) copies nothing again.
        engine.reset();
        engine = start_engine();
        test::expect_kernel_matches_metadata(*engine, "crash");
        EXPECT_TRUE(test::raid_status_of(name).is_synced()) << live_table(name);
        degraded = false;
    }
}

// The second transaction of a repair, the reload without "rebuild" once the new image is in
// sync, killed at every fault point: the next start-up finds the array in sync and drops the
// mark itself when the kill came before the commit, so either way the array ends up loaded
// without "rebuild", its tables matching the metadata and its images alike.
TEST(RepairFaults, DroppingRebuildKilledAtEveryFaultPointEndsWithoutRebuild)
{
    test::FailingMembers members(12, 32 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    std::string path, name, prefix;
    {
        auto engine = start_engine();
        ASSERT_TRUE(engine->create_pool("crash", members.paths()));
        auto array = engine->create_raid1_volume("crash", {"array", size, 2});
        ASSERT_TRUE(array) << array.error().message;
        path = array->device_path;
        name = array->dm_name;
        prefix = model::dm_uuid_prefix(engine->model("crash")->uuid);
        test::wait_until_raid_synced(name, 0);
        test::write_pattern(path, 0, size, seed);
    }

    for (const auto point : executor::fault_points) {
        SCOPED_TRACE(std::string("fault point ") + std::string(point));
        {
            auto engine = start_engine();
            const auto lost = member_index(*engine, members, 1);
            ASSERT_TRUE(engine->deactivate("crash", "array"));
            engine.reset();
            members.remove(lost);
            engine = start_engine();
            auto activated = engine->activate("crash", "array");
            ASSERT_TRUE(activated) << activated.error().message;
        }
        // The repair runs in the child before the fault is set; the drop of "rebuild" is killed.
        const auto ended = test::killed_in_child_at(
            point,
            [&](Engine& engine) {
                try {
                    wait_until_in_sync(name);
                } catch (const std::exception&) {
                    return 5;
                }
                auto finished = engine.finish_raid1_rebuild("crash", "array");
                return finished && *finished ? 0 : 1;
            },
            [](Engine& engine) { return engine.repair_raid1("crash", "array", {}).has_value(); });
        ASSERT_EQ(ended, SIGKILL) << "the child was not killed at " << point << " (exit " << -ended << ")";

        auto engine = start_engine();
        test::expect_kernel_matches_metadata(*engine, "crash");
        test::expect_no_shared_sub_devices(prefix);
        ASSERT_NO_FATAL_FAILURE(assert_running(name));
        const auto model = engine->model("crash");
        ASSERT_TRUE(model);
        EXPECT_FALSE(raid_of(*model).legs[1].rebuilding) << "in sync, yet still marked rebuilding after start-up";
        const auto table = live_table(name);
        EXPECT_EQ(table.find("rebuild"), std::string::npos) << table;
        EXPECT_EQ(table.find(" - -"), std::string::npos) << table;
        EXPECT_TRUE(test::raid_status_of(name).is_synced()) << "a resync or rebuild ran again: " << table;
        EXPECT_TRUE(test::holds_pattern(path, 0, size, seed)) << "the array lost data";
        EXPECT_EQ(test::digest(path + "_rimage_0", 0, size), test::digest(path + "_rimage_1", 0, size))
            << "the images differ";
    }
}

}  // namespace
}  // namespace volumes::engine
