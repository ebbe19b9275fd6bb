// Resizing volumes against the kernel: a linear volume with a mounted ext4 grown online with
// it, a thin volume's virtual size, a thin pool's data and metadata, a CoW snapshot's COW; and
// the shrinks that are refused, which change nothing.

#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "live_table_checks.hpp"
#include "mounted_filesystem.hpp"
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

struct Snapshot {
    model::Pool pool;
    std::map<std::string, kmod::Table> tables;
    bool operator==(const Snapshot&) const = default;
};

Snapshot state_of(const Engine& engine, const std::string& pool)
{
    auto current = engine.model(pool);
    if (!current)
        throw std::runtime_error("model: " + current.error().message);
    return {*current, test::live_tables(model::dm_uuid_prefix(current->uuid))};
}

TEST(Resize, ALinearVolumeGrowsWithItsMountedExt4AndRefusedShrinksChangeNothing)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("grow", {a.path(), b.path()}));
    auto volume = engine->create_linear_volume("grow", {"data", 16 * mib});
    ASSERT_TRUE(volume) << volume.error().message;
    test::make_ext4(volume->device_path);
    test::MountedFilesystem mounted(volume->device_path, "ext4");
    const auto before = mounted.size();
    {
        std::ofstream file(mounted.dir() / "kept");
        file << "written before the resize";
    }

    auto grown = engine->resize_volume("grow", "data", {80 * mib + 1, false, true});
    ASSERT_TRUE(grown) << grown.error().message;
    EXPECT_EQ(grown->volume.size, 84 * mib) << "rounded up to whole 4 MiB extents";
    EXPECT_EQ(test::device_size(volume->device_path), 84 * mib);
    EXPECT_NE(grown->filesystem.find("ext4 at " + mounted.dir().string() + " grown to"), std::string::npos)
        << grown->filesystem;
    EXPECT_GT(mounted.size(), before + 60 * mib) << "ext4 did not grow: " << before << " -> " << mounted.size();
    test::assert_kernel_matches_metadata(*engine, "grow");
    EXPECT_TRUE(test::shared_sub_devices(model::dm_uuid_prefix(engine->model("grow")->uuid)).empty());
    {
        std::ifstream file(mounted.dir() / "kept");
        std::string text;
        std::getline(file, text);
        EXPECT_EQ(text, "written before the resize");
    }

    const auto unchanged = state_of(*engine, "grow");
    auto refused = engine->resize_volume("grow", "data", {8 * mib});
    ASSERT_FALSE(refused) << "a shrink without allow_shrink went through";
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidArgument) << refused.error().message;
    refused = engine->resize_volume("grow", "data", {8 * mib, true});
    ASSERT_FALSE(refused) << "a shrink under a filesystem went through";
    EXPECT_EQ(refused.error().code, ErrorCode::InUse) << refused.error().message;
    EXPECT_NE(refused.error().message.find("ext4"), std::string::npos) << refused.error().message;
    refused = engine->resize_volume("grow", "data", {200 * mib});
    ASSERT_FALSE(refused) << "a grow past the pool's free space went through";
    EXPECT_EQ(refused.error().code, ErrorCode::NoSpace) << refused.error().message;
    EXPECT_EQ(state_of(*engine, "grow"), unchanged) << "a refused resize changed the model or a table";

    // Without the option, or with nothing mounted, the filesystem is left alone and the reply says so.
    auto plain = engine->resize_volume("grow", "data", {88 * mib});
    ASSERT_TRUE(plain) << plain.error().message;
    EXPECT_EQ(plain->filesystem, "");
    auto other = engine->create_linear_volume("grow", {"raw", 4 * mib});
    ASSERT_TRUE(other) << other.error().message;
    auto unmounted = engine->resize_volume("grow", "raw", {8 * mib, false, true});
    ASSERT_TRUE(unmounted) << unmounted.error().message;
    EXPECT_EQ(unmounted->filesystem, "no filesystem is mounted from it: left alone");
    // A volume with no signature may shrink when asked to.
    auto shrunk = engine->resize_volume("grow", "raw", {4 * mib, true});
    ASSERT_TRUE(shrunk) << shrunk.error().message;
    EXPECT_EQ(test::device_size(other->device_path), 4 * mib);
    test::assert_kernel_matches_metadata(*engine, "grow");
}

TEST(Resize, AThinVolumeAThinPoolAndACowGrowWithTheirDataIntact)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("thin", {a.path(), b.path()}));
    auto pool = engine->create_thin_pool("thin", {"tp", 16 * mib, 4 * mib});
    ASSERT_TRUE(pool) << pool.error().message;
    auto thin = engine->create_thin("thin", "tp", "vm", 8 * mib);
    ASSERT_TRUE(thin) << thin.error().message;
    test::write_pattern(thin->device_path, 0, 8 * mib, 91);

    auto grown = engine->resize_volume("thin", "vm", {24 * mib});
    ASSERT_TRUE(grown) << grown.error().message;
    EXPECT_EQ(test::device_size(thin->device_path), 24 * mib);
    EXPECT_TRUE(test::holds_pattern(thin->device_path, 0, 8 * mib, 91));

    auto bigger = engine->resize_thin_pool("thin", "tp", 32 * mib, 8 * mib);
    ASSERT_TRUE(bigger) << bigger.error().message;
    EXPECT_EQ(bigger->size, 32 * mib);
    const auto usage = test::live_thin_pool_usage(*engine, "thin", "tp");
    EXPECT_EQ(usage.data_total_blocks, 32 * mib / (64 * 1024)) << "the pool did not see its larger data device";
    EXPECT_EQ(usage.mode, "rw");
    EXPECT_EQ(test::device_size("/dev/mapper/" + pool->dm_name + "_tmeta"), 8 * mib);
    EXPECT_EQ(usage.metadata_total_blocks, 8 * mib / 4096) << "the pool did not see its larger metadata device";
    test::write_pattern(thin->device_path, 8 * mib, 16 * mib, 92);  // more than the old 16 MiB of data
    EXPECT_TRUE(test::holds_pattern(thin->device_path, 0, 8 * mib, 91));
    EXPECT_TRUE(test::holds_pattern(thin->device_path, 8 * mib, 16 * mib, 92));
    test::assert_kernel_matches_metadata(*engine, "thin");

    const auto unchanged = state_of(*engine, "thin");
    auto refused = engine->resize_thin_pool("thin", "tp", 16 * mib, 0);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::NotSupported) << refused.error().message;
    EXPECT_EQ(state_of(*engine, "thin"), unchanged);

    // A CoW snapshot's COW grows and the snapshot stays valid.
    auto origin = engine->create_linear_volume("thin", {"base", 8 * mib});
    ASSERT_TRUE(origin) << origin.error().message;
    test::write_pattern(origin->device_path, 0, 8 * mib, 93);
    auto snapshot = engine->create_snapshot("thin", "base", {"before", 4 * mib});
    ASSERT_TRUE(snapshot) << snapshot.error().message;
    const auto small = test::usage_of(*engine, "thin", "before");
    ASSERT_TRUE(small);
    auto cow = engine->resize_volume("thin", "before", {12 * mib});
    ASSERT_TRUE(cow) << cow.error().message;
    const auto large = test::usage_of(*engine, "thin", "before");
    ASSERT_TRUE(large);
    EXPECT_EQ(large->total_sectors, 12 * mib / 512) << "the snapshot did not see its larger COW";
    EXPECT_EQ(large->state, "active");
    test::write_pattern(origin->device_path, 0, 8 * mib, 94);  // needs more than the old 4 MiB of COW
    EXPECT_EQ(test::usage_of(*engine, "thin", "before")->state, "active");
    EXPECT_TRUE(test::holds_pattern(snapshot->device_path, 0, 8 * mib, 93)) << "the snapshot lost its data";
    test::assert_kernel_matches_metadata(*engine, "thin");
    auto origin_refused = engine->resize_volume("thin", "base", {16 * mib});
    ASSERT_FALSE(origin_refused);
    EXPECT_EQ(origin_refused.error().code, ErrorCode::NotSupported) << origin_refused.error().message;
}

}  // namespace
}  // namespace volumes::engine
