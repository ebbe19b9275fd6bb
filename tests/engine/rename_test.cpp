// Renaming volumes against the kernel: every dm device of the volume is renamed in place, a
// mounted filesystem stays mounted, /dev/volumes follows; refusals change nothing; and a
// rename killed at each fault point is finished or undone by the next start-up.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <csignal>
#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "fault_child.hpp"
#include "live_table_checks.hpp"
#include "mounted_filesystem.hpp"
#include "pool_cleanup.hpp"
#include "service/model/names.hpp"
#include "snapshot_support.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/loop_device.hpp"
#include "tests/kernel/support/raid_waiter.hpp"

namespace volumes::engine {
namespace {

using test::LoopDevice;
using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;

std::map<std::string, kmod::Table> tables_of(const Engine& engine, const std::string& pool)
{
    return test::live_tables(model::dm_uuid_prefix(engine.model(pool)->uuid));
}

std::vector<std::string> names_of(const std::map<std::string, kmod::Table>& tables)
{
    std::vector<std::string> names;
    for (const auto& [name, table] : tables)
        names.push_back(name);
    return names;
}

TEST(Rename, AMountedVolumeAndARaid1AreRenamedInPlace)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("ren", {a.path(), b.path()}));
    auto data = engine->create_linear_volume("ren", {"data", 16 * mib});
    ASSERT_TRUE(data) << data.error().message;
    test::make_ext4(data->device_path);
    std::optional<test::MountedFilesystem> mounted(std::in_place, data->device_path, "ext4");
    const auto dir = mounted->dir();
    std::ofstream(dir / "kept") << "written before the rename";
    const auto number = test::dm_number(data->dm_name);

    auto renamed = engine->rename_volume("ren", "data", "home");
    ASSERT_TRUE(renamed) << renamed.error().message;
    EXPECT_EQ(renamed->name, "home");
    EXPECT_EQ(renamed->dm_name, "volumes-ren-home");
    EXPECT_FALSE(test::dm_device_exists("volumes-ren-data"));
    EXPECT_EQ(test::dm_number("volumes-ren-home"), number) << "the device was replaced, not renamed";
    EXPECT_TRUE(std::filesystem::exists("/dev/volumes/ren/home")) << "udev did not link the new name";
    EXPECT_FALSE(std::filesystem::exists("/dev/volumes/ren/data")) << "the old link stayed";
    {
        std::ofstream(dir / "after") << "written after the rename";
        std::ifstream file(dir / "kept");
        std::string text;
        std::getline(file, text);
        EXPECT_EQ(text, "written before the rename") << "the mount lost its data";
    }
    mounted.reset();
    test::assert_kernel_matches_metadata(*engine, "ren");

    auto mirror = engine->create_raid1_volume("ren", {"m", 8 * mib, 2});
    ASSERT_TRUE(mirror) << mirror.error().message;
    test::wait_until_raid_synced(mirror->dm_name, 0);
    auto moved = engine->rename_volume("ren", "m", "mirror");
    ASSERT_TRUE(moved) << moved.error().message;
    const auto names = names_of(tables_of(*engine, "ren"));
    for (const auto* name : {"volumes-ren-mirror", "volumes-ren-mirror_rmeta_0", "volumes-ren-mirror_rimage_0",
                             "volumes-ren-mirror_rmeta_1", "volumes-ren-mirror_rimage_1"})
        EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name << " is missing";
    for (const auto& name : names)
        EXPECT_EQ(name.find("volumes-ren-m_"), std::string::npos) << name << " kept the old name";
    test::assert_kernel_matches_metadata(*engine, "ren");

    const auto model = *engine->model("ren");
    const auto tables = tables_of(*engine, "ren");
    for (const auto& [name, code] : {std::pair{"home", ErrorCode::AlreadyExists}, {"bad/name", ErrorCode::InvalidArgument},
                                      {"", ErrorCode::InvalidArgument}}) {
        auto refused = engine->rename_volume("ren", "mirror", name);
        ASSERT_FALSE(refused) << "renamed to '" << name << "'";
        EXPECT_EQ(refused.error().code, code) << refused.error().message;
    }
    auto missing = engine->rename_volume("ren", "nothing", "x");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
    EXPECT_EQ(*engine->model("ren"), model) << "a refused rename changed the model";
    EXPECT_EQ(tables_of(*engine, "ren"), tables) << "a refused rename changed a table";
}

class RenameKilled : public ::testing::TestWithParam<const char*> {};

TEST_P(RenameKilled, StartUpFinishesOrUndoesIt)
{
    const std::string point = GetParam();
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    {
        auto engine = start_engine();
        ASSERT_TRUE(engine->create_pool("kill", {a.path(), b.path()}));
        auto volume = engine->create_linear_volume("kill", {"old", 8 * mib});
        ASSERT_TRUE(volume) << volume.error().message;
        test::write_pattern(volume->device_path, 0, 8 * mib, 71);
    }
    const int ended = test::killed_in_child_at(point, [](Engine& engine) {
        return engine.rename_volume("kill", "old", "new") ? 0 : 1;
    });
    EXPECT_EQ(ended, SIGKILL) << "the child did not die at " << point;

    auto engine = start_engine();
    const auto expected = test::committed_before_kill(point) ? "new" : "old";
    auto volume = engine->volume("kill", expected);
    ASSERT_TRUE(volume) << "after a kill at " << point << ": " << volume.error().message;
    test::assert_kernel_matches_metadata(*engine, "kill");
    EXPECT_EQ(names_of(tables_of(*engine, "kill")), std::vector<std::string>{volume->dm_name});
    EXPECT_TRUE(test::holds_pattern(volume->device_path, 0, 8 * mib, 71)) << "data lost after a kill at " << point;
}

INSTANTIATE_TEST_SUITE_P(EveryFaultPoint, RenameKilled,
                         ::testing::Values("precommitted", "member-committed", "committed", "resumed", "renamed"));

}  // namespace
}  // namespace volumes::engine
