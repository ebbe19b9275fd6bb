// Resizing volumes against the kernel: a linear volume with a mounted ext4 grown online with
// it, a raid1 volume (each leg on its own member, only the new region resynced), a thin
// volume's virtual size, a thin pool's data and metadata, a CoW snapshot's COW; and the
// resizes that are refused, which change nothing.

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "kmod/device_mapper.hpp"
#include "live_table_checks.hpp"
#include "mounted_filesystem.hpp"
#include "pool_cleanup.hpp"
#include "raid_grow_support.hpp"
#include "service/allocator/extent_allocator.hpp"
#include "service/model/names.hpp"
#include "snapshot_support.hpp"
#include "tests/bus/resync_speed_limit.hpp"
#include "thin_support.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/loop_device.hpp"
#include "tests/kernel/support/raid_waiter.hpp"

namespace volumes::engine {
namespace {

using test::LoopDevice;
using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;

// A mounted filesystem frozen (FIFREEZE) for the object's lifetime: ext4 goes on writing in
// the background (its journal, the lazy init of the inode tables a resize added), so the legs
// of the array under it can be compared only while it is frozen.
class Frozen {
public:
    explicit Frozen(const std::filesystem::path& mountpoint) : fd_(::open(mountpoint.c_str(), O_RDONLY | O_DIRECTORY))
    {
        if (fd_ < 0 || ::ioctl(fd_, FIFREEZE, 0) != 0)
            throw std::runtime_error("freezing " + mountpoint.string() + " failed");
    }
    Frozen(const Frozen&) = delete;
    Frozen& operator=(const Frozen&) = delete;
    ~Frozen()
    {
        (void)::ioctl(fd_, FITHAW, 0);
        ::close(fd_);
    }

private:
    int fd_;
};

// The two images of the two-legged array at `device` hold the same first `size` bytes, read
// while the filesystem mounted from it at `mountpoint` is frozen.
void expect_legs_equal(const std::string& device, std::uint64_t size, const std::filesystem::path& mountpoint,
                       const char* after)
{
    Frozen frozen(mountpoint);
    EXPECT_EQ(test::digest(device + "_rimage_0", 0, size), test::digest(device + "_rimage_1", 0, size))
        << "the legs differ after " << after;
}

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

// Sectors written to the array's two images so far.
std::uint64_t written_to_images(const std::string& array_path)
{
    return test::written_sectors(array_path + "_rimage_0") + test::written_sectors(array_path + "_rimage_1");
}

std::uint32_t event_of(const std::string& dm_name)
{
    auto info = kmod::dm::info(kmod::DeviceId::by_name(dm_name));
    if (!info || !info->exists)
        throw std::runtime_error(dm_name + " does not exist");
    return info->event_nr;
}

// Each image maps onto one block device, the one its metadata sub-device is on, and the two
// legs onto different ones.
void expect_each_leg_on_its_own_member(const std::string& prefix, const std::string& dm_name)
{
    const auto tables = test::live_tables(prefix);
    std::set<std::string> legs;
    for (const auto* slot : {"0", "1"}) {
        SCOPED_TRACE(std::string("leg ") + slot);
        const auto image = tables.find(dm_name + "_rimage_" + slot);
        const auto meta = tables.find(dm_name + "_rmeta_" + slot);
        ASSERT_TRUE(image != tables.end() && meta != tables.end());
        const auto on = test::linear_backing(image->second);
        EXPECT_EQ(on.size(), 1u) << "an image spans members";
        EXPECT_EQ(on, test::linear_backing(meta->second)) << "an image left its metadata's member";
        legs.insert(on.begin(), on.end());
    }
    EXPECT_EQ(legs.size(), 2u) << "two legs share a member";
}

TEST(Resize, AMountedRaid1GrowsEachLegOnItsOwnMemberAndResyncsOnlyTheNewRegion)
{
    // b has the most room, so leg 0 goes there and leg 1 to a; c is small.
    LoopDevice a(96 * mib), b(160 * mib), c(32 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("mirror", {a.path(), b.path(), c.path()}));
    auto array = engine->create_raid1_volume("mirror", {"array", 48 * mib, 2});
    ASSERT_TRUE(array) << array.error().message;
    const auto prefix = model::dm_uuid_prefix(engine->model("mirror")->uuid);
    test::wait_until_raid_synced(array->dm_name, 0);

    // The free extents the images will grow into hold different data on each member, so only
    // a resync of the new region makes the legs equal there.
    const auto model = engine->model("mirror");
    const auto free_bytes = allocator::free_extent_count(*model) * model->extent_size;
    auto scratch = engine->create_linear_volume("mirror", {"scratch", free_bytes});
    ASSERT_TRUE(scratch) << scratch.error().message;
    test::write_pattern(scratch->device_path, 0, free_bytes, 51);
    ASSERT_TRUE(engine->remove_volume("mirror", "scratch"));

    test::make_ext4(array->device_path);
    test::MountedFilesystem mounted(array->device_path, "ext4");
    const auto kept = (mounted.dir() / "kept").string();
    test::write_file(kept, 24 * mib, 7);
    test::drop_caches();
    const auto kept_digest = test::file_digest(kept);
    const auto before_size = mounted.size();

    // The grow by 8 MiB alone, the filesystem idle: what the images are written during its sync.
    const auto written_before = written_to_images(array->device_path);
    auto event = event_of(array->dm_name);
    auto grown = engine->resize_volume("mirror", "array", {56 * mib});
    ASSERT_TRUE(grown) << grown.error().message;
    EXPECT_EQ(grown->volume.size, 56 * mib);
    EXPECT_EQ(grown->previous_size, 48 * mib);
    EXPECT_EQ(grown->resync_from_sector, std::optional<std::uint64_t>(48 * mib / 512));
    test::wait_until_raid_synced(array->dm_name, event);
    const auto synced_sectors = written_to_images(array->device_path) - written_before;
    const std::uint64_t new_region = 8 * mib / 512, old_size = 48 * mib / 512;
    std::cout << "raid1 grow 48 -> 56 MiB: " << synced_sectors << " sectors written to the images during the sync; "
              << "new region " << new_region << " sectors, array " << 56 * mib / 512 << " sectors\n";
    RecordProperty("sectors_written_during_grow_sync", std::to_string(synced_sectors));
    EXPECT_GE(synced_sectors, new_region) << "the new region was not written to the other leg";
    EXPECT_LT(synced_sectors, new_region + old_size / 4) << "the old region was resynced too";
    EXPECT_EQ(test::device_size(array->device_path), 56 * mib);
    EXPECT_EQ(test::device_size(array->device_path + "_rimage_0"), 56 * mib);
    EXPECT_EQ(test::device_size(array->device_path + "_rimage_1"), 56 * mib);
    expect_legs_equal(array->device_path, 56 * mib, mounted.dir(), "the sync");
    test::assert_kernel_matches_metadata(*engine, "mirror");
    expect_each_leg_on_its_own_member(prefix, array->dm_name);
    for (const auto& problem : test::shared_sub_devices(prefix))
        ADD_FAILURE() << problem;
    EXPECT_EQ(mounted.size(), before_size) << "the filesystem grew without resize_filesystem";

    // With resize_filesystem the mounted ext4 grows too.
    event = event_of(array->dm_name);
    grown = engine->resize_volume("mirror", "array", {64 * mib, false, true});
    ASSERT_TRUE(grown) << grown.error().message;
    EXPECT_NE(grown->filesystem.find("ext4 at " + mounted.dir().string() + " grown to"), std::string::npos)
        << grown->filesystem;
    test::wait_until_raid_synced(array->dm_name, event);
    EXPECT_GT(mounted.size(), before_size + 12 * mib) << "ext4 did not grow: " << before_size << " -> " << mounted.size();
    test::drop_caches();
    EXPECT_EQ(test::file_digest(kept), kept_digest) << "the file changed";
    expect_legs_equal(array->device_path, 64 * mib, mounted.dir(), "the second sync");
    test::assert_kernel_matches_metadata(*engine, "mirror");
    expect_each_leg_on_its_own_member(prefix, array->dm_name);

    // Leg 1's member (a) lacks the room that leg 0's (b) and c have together: refused, naming
    // leg 1, and nothing changes.
    const auto unchanged = state_of(*engine, "mirror");
    auto refused = engine->resize_volume("mirror", "array", {120 * mib});
    ASSERT_FALSE(refused) << "a grow past one leg's member went through";
    EXPECT_EQ(refused.error().code, ErrorCode::NoSpace) << refused.error().message;
    EXPECT_NE(refused.error().message.find("leg 1 needs"), std::string::npos) << refused.error().message;
    EXPECT_EQ(refused.error().message.find("leg 0 needs"), std::string::npos) << refused.error().message;
    auto shrink = engine->resize_volume("mirror", "array", {32 * mib, true});
    ASSERT_FALSE(shrink) << "a raid1 shrank under its ext4";
    EXPECT_EQ(shrink.error().code, ErrorCode::InUse) << shrink.error().message;
    EXPECT_EQ(state_of(*engine, "mirror"), unchanged) << "a refused resize changed the model or a table";

    // A raid1 without a signature shrinks when asked to, keeps what lies before the new end,
    // and grows again with the new region resynced.
    auto raw = engine->create_raid1_volume("mirror", {"raw", 12 * mib, 2});
    ASSERT_TRUE(raw) << raw.error().message;
    test::wait_until_raid_synced(raw->dm_name, 0);
    test::write_pattern(raw->device_path, 0, 12 * mib, 52);
    auto cut = engine->resize_volume("mirror", "raw", {4 * mib});
    ASSERT_FALSE(cut);
    EXPECT_EQ(cut.error().code, ErrorCode::InvalidArgument) << cut.error().message;
    cut = engine->resize_volume("mirror", "raw", {4 * mib, true});
    ASSERT_TRUE(cut) << cut.error().message;
    EXPECT_EQ(test::device_size(raw->device_path), 4 * mib);
    EXPECT_EQ(test::raid_status_of(raw->dm_name).total_sectors, 4 * mib / 512);
    EXPECT_TRUE(test::holds_pattern(raw->device_path, 0, 4 * mib, 52));
    test::assert_kernel_matches_metadata(*engine, "mirror");
    event = event_of(raw->dm_name);
    {
        // While the new region still syncs (throttled), the array is not resized again.
        test::ResyncSpeedLimit slow(1024);
        auto again = engine->resize_volume("mirror", "raw", {8 * mib});
        ASSERT_TRUE(again) << again.error().message;
        const auto syncing = state_of(*engine, "mirror");
        auto busy = engine->resize_volume("mirror", "raw", {12 * mib});
        ASSERT_FALSE(busy) << "a raid1 in the middle of its sync was resized";
        EXPECT_EQ(busy.error().code, ErrorCode::Busy) << busy.error().message;
        EXPECT_NE(busy.error().message.find("not in sync"), std::string::npos) << busy.error().message;
        EXPECT_EQ(state_of(*engine, "mirror"), syncing) << "a refused resize changed the model or a table";
    }
    test::wait_until_raid_synced(raw->dm_name, event);
    EXPECT_TRUE(test::holds_pattern(raw->device_path, 0, 4 * mib, 52));
    EXPECT_EQ(test::digest(raw->device_path + "_rimage_0", 0, 8 * mib),
              test::digest(raw->device_path + "_rimage_1", 0, 8 * mib))
        << "the legs differ after growing again";
    test::assert_kernel_matches_metadata(*engine, "mirror");
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
