// What udev makes of a pool's devices (issue 13; architecture.md "On a real machine"): the
// filesystem's /dev/disk/by-uuid and by-label links stay on the origin or array while a CoW
// snapshot, a thin snapshot or a tracked image holds the same filesystem; internal devices
// are neither probed nor linked and carry the flags that hide them from udisks and systemd;
// every active volume users see has /dev/volumes/<pool>/<volume>, gone with its device.
#include <array>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "pool_cleanup.hpp"
#include "service/model/names.hpp"
#include "tests/kernel/support/loop_device.hpp"
#include "tests/kernel/support/raid_waiter.hpp"

namespace volumes::engine {
namespace {

namespace fs = std::filesystem;
using test::LoopDevice;
using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;
constexpr std::string_view pool_name = "udev-p";  // a '-' in the pool name, doubled in dm names

std::string run_command(const std::string& command)
{
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe)
        throw std::runtime_error("cannot run " + command);
    std::string output;
    std::array<char, 4096> buffer{};
    while (const auto read = fread(buffer.data(), 1, buffer.size(), pipe.get()))
        output.append(buffer.data(), read);
    return output;
}

void settle()
{
    if (std::system("udevadm settle --timeout=60") != 0)
        throw std::runtime_error("udevadm settle failed");
}

// The /dev/dm-N node behind a device path.
std::string node_of(const std::string& path)
{
    return fs::canonical(path).string();
}

std::string dm_path(const std::string& dm_name)
{
    return "/dev/mapper/" + dm_name;
}

// mkfs.ext4 with `label`; returns the filesystem uuid once udev has seen the new filesystem.
std::string make_ext4(const std::string& path, const std::string& label)
{
    if (std::system(("mkfs.ext4 -q -F -L " + label + " " + path + " >/dev/null 2>&1").c_str()) != 0)
        throw std::runtime_error("mkfs.ext4 " + path + " failed");
    settle();
    auto uuid = run_command("blkid -p -s UUID -o value " + path);
    while (!uuid.empty() && uuid.back() == '\n')
        uuid.pop_back();
    if (uuid.empty())
        throw std::runtime_error("no filesystem uuid on " + path);
    return uuid;
}

std::map<std::string, std::string> udev_properties(const std::string& path)
{
    std::map<std::string, std::string> properties;
    const auto text = run_command("udevadm info --query=property --name=" + path);
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        const auto line = text.substr(start, end - start);
        if (const auto equals = line.find('='); equals != std::string::npos)
            properties.emplace(line.substr(0, equals), line.substr(equals + 1));
        start = end + 1;
    }
    return properties;
}

// Every link under /dev/disk/by-uuid and by-label that resolves to `node`.
std::vector<std::string> disk_links_to(const std::string& node)
{
    std::vector<std::string> links;
    for (const auto* dir : {"/dev/disk/by-uuid", "/dev/disk/by-label"}) {
        std::error_code error;
        for (const auto& entry : fs::directory_iterator(dir, error))
            if (fs::canonical(entry.path(), error) == node)
                links.push_back(entry.path().string());
    }
    return links;
}

std::string volume_link(const std::string& volume)
{
    return fmt::format("/dev/volumes/{}/{}", pool_name, volume);
}

void expect_filesystem_names_on(const std::string& uuid, const std::string& label, const std::string& owner_dm_name,
                                const std::string& when)
{
    const auto owner = node_of(dm_path(owner_dm_name));
    std::error_code error;
    EXPECT_EQ(fs::canonical("/dev/disk/by-uuid/" + uuid, error).string(), owner)
        << when << ": /dev/disk/by-uuid/" << uuid << " is not " << owner_dm_name << " (" << error.message() << ")";
    EXPECT_EQ(fs::canonical("/dev/disk/by-label/" + label, error).string(), owner)
        << when << ": /dev/disk/by-label/" << label << " is not " << owner_dm_name;
}

void expect_internal(const std::string& dm_name)
{
    SCOPED_TRACE(dm_name);
    const auto path = dm_path(dm_name);
    ASSERT_TRUE(fs::exists(path)) << "no /dev/mapper node for the internal device " << dm_name;
    const auto properties = udev_properties(path);
    EXPECT_FALSE(properties.contains("ID_FS_TYPE")) << "udev probed an internal device: "
                                                    << properties.at("ID_FS_TYPE");
    EXPECT_EQ(properties.contains("DM_UDEV_DISABLE_OTHER_RULES_FLAG")
                  ? properties.at("DM_UDEV_DISABLE_OTHER_RULES_FLAG")
                  : "",
              "1");
    EXPECT_EQ(properties.contains("DM_UDEV_DISABLE_DISK_RULES_FLAG") ? properties.at("DM_UDEV_DISABLE_DISK_RULES_FLAG")
                                                                     : "",
              "1");
    EXPECT_EQ(properties.contains("UDISKS_IGNORE") ? properties.at("UDISKS_IGNORE") : "", "1");
    EXPECT_EQ(disk_links_to(node_of(path)), std::vector<std::string>{});
}

// A volume users see: its /dev/volumes link resolves to its device, udisks names it.
void expect_visible(const std::string& volume, const std::string& dm_name)
{
    SCOPED_TRACE(volume);
    const auto link = volume_link(volume);
    ASSERT_TRUE(fs::exists(link)) << link << " is missing";
    EXPECT_EQ(node_of(link), node_of(dm_path(dm_name)));
    const auto properties = udev_properties(dm_path(dm_name));
    EXPECT_EQ(properties.contains("UDISKS_NAME") ? properties.at("UDISKS_NAME") : "", volume);
    EXPECT_FALSE(properties.contains("UDISKS_IGNORE"));
    EXPECT_FALSE(properties.contains("DM_UDEV_DISABLE_DISK_RULES_FLAG") &&
                 properties.at("DM_UDEV_DISABLE_DISK_RULES_FLAG") == "1");
}

void expect_low_priority(const std::string& volume, const std::string& dm_name)
{
    expect_visible(volume, dm_name);
    const auto properties = udev_properties(dm_path(dm_name));
    EXPECT_EQ(properties.contains("DM_UDEV_LOW_PRIORITY_FLAG") ? properties.at("DM_UDEV_LOW_PRIORITY_FLAG") : "", "1")
        << volume;
    EXPECT_EQ(properties.contains("ID_FS_TYPE") ? properties.at("ID_FS_TYPE") : "", "ext4")
        << volume << " holds the origin's filesystem and is still probed";
}

void expect_no_volume_link(const std::string& volume)
{
    EXPECT_FALSE(fs::exists(volume_link(volume))) << volume_link(volume) << " is still there";
}

// What a reply waits for (README "What a reply waits for"): no udevadm settle here. A volume
// the call made or activated has its link and udev's record when the call returns, and a
// device the call removed has no node left; internal layers are udev's to finish later.
TEST(UdevIdentity, AReplyComesAfterTheNodesTheCallerAskedFor)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool(std::string(pool_name), {a.path(), b.path()}));
    for (int round = 0; round < 2; ++round) {
        SCOPED_TRACE(fmt::format("round {}", round));
        auto array = engine->create_raid1_volume(pool_name, {"fresh", 8 * mib, 2});
        ASSERT_TRUE(array) << array.error().message;
        expect_visible("fresh", array->dm_name);
        auto linear = engine->create_linear_volume(pool_name, {"plain", 8 * mib});
        ASSERT_TRUE(linear) << linear.error().message;
        expect_visible("plain", linear->dm_name);

        ASSERT_TRUE(engine->remove_volume(pool_name, "plain"));
        EXPECT_FALSE(fs::exists(dm_path(linear->dm_name))) << "the removed volume's node is still there";
        expect_no_volume_link("plain");
        ASSERT_TRUE(engine->deactivate(pool_name, "fresh"));
        for (const auto* suffix : {"", "_rmeta_0", "_rimage_0", "_rmeta_1", "_rimage_1"})
            EXPECT_FALSE(fs::exists(dm_path(array->dm_name + suffix))) << array->dm_name << suffix << " is still there";
        expect_no_volume_link("fresh");
        ASSERT_TRUE(engine->activate(pool_name, "fresh"));
        expect_visible("fresh", array->dm_name);
        ASSERT_TRUE(engine->remove_volume(pool_name, "fresh"));
        expect_no_volume_link("fresh");
    }
}

TEST(UdevIdentity, CowSnapshotLeavesTheFilesystemNamesOnTheOrigin)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool(std::string(pool_name), {a.path(), b.path()}));
    auto origin = engine->create_linear_volume(pool_name, {"base-vol", 16 * mib});
    ASSERT_TRUE(origin) << origin.error().message;
    const auto uuid = make_ext4(origin->device_path, "udevbase");
    expect_filesystem_names_on(uuid, "udevbase", origin->dm_name, "before the snapshot");
    expect_visible("base-vol", origin->dm_name);

    auto snapshot = engine->create_snapshot(pool_name, "base-vol", {"snap", 8 * mib});
    ASSERT_TRUE(snapshot) << snapshot.error().message;
    settle();
    expect_filesystem_names_on(uuid, "udevbase", origin->dm_name, "with a snapshot");
    expect_visible("base-vol", origin->dm_name);
    expect_low_priority("snap", snapshot->dm_name);
    expect_internal(origin->dm_name + "_real");
    expect_internal(snapshot->dm_name + "_cow");
    // Udev's view of the origin stays whole: it was probed again on its resume.
    EXPECT_EQ(udev_properties(origin->device_path)["ID_FS_UUID"], uuid);

    ASSERT_TRUE(engine->remove_volume(pool_name, "snap"));
    settle();
    expect_no_volume_link("snap");
    expect_filesystem_names_on(uuid, "udevbase", origin->dm_name, "after removing the snapshot");
    expect_visible("base-vol", origin->dm_name);

    ASSERT_TRUE(engine->deactivate(pool_name, "base-vol"));
    settle();
    expect_no_volume_link("base-vol");
    EXPECT_FALSE(fs::exists("/dev/disk/by-uuid/" + uuid)) << "the deactivated volume's by-uuid link remains";
    ASSERT_TRUE(engine->activate(pool_name, "base-vol"));
    settle();
    expect_visible("base-vol", origin->dm_name);
    expect_filesystem_names_on(uuid, "udevbase", origin->dm_name, "after reactivation");
}

TEST(UdevIdentity, TrackedImageLeavesTheFilesystemNamesOnTheArray)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool(std::string(pool_name), {a.path(), b.path()}));
    auto array = engine->create_raid1_volume(pool_name, {"mirror", 16 * mib, 2});
    ASSERT_TRUE(array) << array.error().message;
    test::wait_until_raid_synced(array->dm_name, 0);
    const auto uuid = make_ext4(array->device_path, "udevmirror");
    expect_filesystem_names_on(uuid, "udevmirror", array->dm_name, "before the split");
    expect_visible("mirror", array->dm_name);
    for (const auto* role : {"rmeta_0", "rimage_0", "rmeta_1", "rimage_1"})
        expect_internal(array->dm_name + "_" + role);

    SplitTrackRequest request;
    request.slot = 1;
    request.image_name = "image";
    request.allow_no_redundancy = true;
    auto image = engine->split_track(pool_name, "mirror", request);
    ASSERT_TRUE(image) << image.error().message;
    settle();
    expect_filesystem_names_on(uuid, "udevmirror", array->dm_name, "while split-tracked");
    expect_visible("mirror", array->dm_name);
    expect_low_priority("image", image->dm_name);
    for (const auto* role : {"rmeta_0", "rimage_0"})
        expect_internal(array->dm_name + "_" + role);

    auto merged = engine->merge_tracked_image(pool_name, "image");
    ASSERT_TRUE(merged) << merged.error().message;
    settle();
    expect_no_volume_link("image");
    expect_filesystem_names_on(uuid, "udevmirror", array->dm_name, "after merging the image back");
    for (const auto* role : {"rmeta_0", "rimage_0", "rmeta_1", "rimage_1"})
        expect_internal(array->dm_name + "_" + role);
}

TEST(UdevIdentity, ThinSnapshotLeavesTheFilesystemNamesOnTheOriginAndThePoolIsInternal)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool(std::string(pool_name), {a.path(), b.path()}));
    auto thin_pool = engine->create_thin_pool(pool_name, {"tp", 32 * mib, 4 * mib});
    ASSERT_TRUE(thin_pool) << thin_pool.error().message;
    auto thin = engine->create_thin(pool_name, "tp", "thin.vol", 64 * mib);
    ASSERT_TRUE(thin) << thin.error().message;
    const auto uuid = make_ext4(thin->device_path, "udevthin");
    expect_filesystem_names_on(uuid, "udevthin", thin->dm_name, "before the thin snapshot");
    expect_visible("thin.vol", thin->dm_name);

    auto snapshot = engine->create_thin_snapshot(pool_name, "thin.vol", "tsnap");
    ASSERT_TRUE(snapshot) << snapshot.error().message;
    settle();
    ASSERT_TRUE(snapshot->active) << "the test expects an active thin snapshot";
    expect_filesystem_names_on(uuid, "udevthin", thin->dm_name, "with a thin snapshot");
    expect_visible("thin.vol", thin->dm_name);
    expect_low_priority("tsnap", snapshot->dm_name);
    // The pool maps its data device straight through: probed, it would show a thin's filesystem.
    expect_internal(thin_pool->dm_name);
    expect_no_volume_link("tp");
    expect_internal(thin_pool->dm_name + "_tmeta");
    expect_internal(thin_pool->dm_name + "_tdata");

    ASSERT_TRUE(engine->remove_volume(pool_name, "tsnap"));
    settle();
    expect_no_volume_link("tsnap");
    ASSERT_TRUE(engine->remove_volume(pool_name, "thin.vol"));
    settle();
    expect_no_volume_link("thin.vol");
    EXPECT_FALSE(fs::exists("/dev/disk/by-uuid/" + uuid)) << "the removed volume's by-uuid link remains";
}

}  // namespace
}  // namespace volumes::engine
