// Root's calls of every method volumesd implements today succeed, and what they change
// shows in the objects' properties, the kernel and the object tree.
#include <regex>

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "bus_fixture.hpp"
#include "state_snapshot.hpp"

namespace volumes::test {
namespace {

using ImageSlots = std::vector<sdbus::Struct<std::uint32_t, std::string, std::string>>;
using Members = std::vector<sdbus::Struct<std::string, std::string, std::uint64_t, bool>>;

class BusRootCalls : public BusTest {
protected:
    std::string health_of_slot(const std::string& raid1, std::uint32_t slot)
    {
        for (const auto& image : property_as<ImageSlots>(raid1, raid1_interface, "Images"))
            if (image.get<0>() == slot)
                return image.get<1>();
        return "(no such slot)";
    }
};

// The block device node at `path`, 0 when there is none.
dev_t block_device_number(const std::string& path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISBLK(st.st_mode))
        return 0;
    return st.st_rdev;
}

TEST_F(BusRootCalls, EveryImplementedMethodSucceedsAndShows)
{
    const auto& a = new_loop();
    const auto& b = new_loop();
    const auto& c = new_loop();

    const auto version = property_as<std::string>(manager_path, manager_interface, "Version");
    EXPECT_TRUE(std::regex_match(version, std::regex("[0-9]+\\.[0-9]+\\.[0-9]+"))) << version;

    const auto pool = create_pool("bus-pool", {a.path(), b.path(), c.path()}, {{"extent_size", "t", std::to_string(4 * mib)}});
    EXPECT_EQ(pool, "/org/example/Volumes/pools/bus_2dpool");
    EXPECT_EQ(property_as<std::string>(pool, pool_interface, "Name"), "bus-pool");
    EXPECT_EQ(property_as<std::string>(pool, pool_interface, "Uuid").size(), 36u);
    EXPECT_EQ(property_as<std::uint64_t>(pool, pool_interface, "ExtentSize"), 4 * mib);
    EXPECT_TRUE(property_as<bool>(pool, pool_interface, "Complete"));
    EXPECT_TRUE(property_as<std::vector<std::string>>(pool, pool_interface, "Problems").empty());
    const auto members = property_as<Members>(pool, pool_interface, "Members");
    ASSERT_EQ(members.size(), 3u);
    std::set<std::string> member_paths;
    std::uint64_t member_bytes = 0;
    for (const auto& member : members) {
        member_paths.insert(member.get<1>());
        member_bytes += member.get<2>();
        EXPECT_TRUE(member.get<3>()) << member.get<1>() << " is not present";
    }
    EXPECT_EQ(member_paths, (std::set<std::string>{a.path(), b.path(), c.path()}));
    const auto size = property_as<std::uint64_t>(pool, pool_interface, "Size");
    EXPECT_EQ(size, member_bytes);
    EXPECT_GT(size, 0u);
    EXPECT_EQ(property_as<std::uint64_t>(pool, pool_interface, "Free"), size);

    // 6 MiB rounds up to two 4 MiB extents.
    const auto linear = create_volume(pool, "a.b", 6 * mib);
    EXPECT_EQ(linear, "/org/example/Volumes/volumes/bus_2dpool/a_2eb");
    EXPECT_EQ(property_as<std::string>(linear, volume_interface, "Name"), "a.b");
    EXPECT_EQ(property_as<sdbus::ObjectPath>(linear, volume_interface, "Pool"), pool);
    EXPECT_EQ(property_as<std::string>(linear, volume_interface, "Kind"), "linear");
    EXPECT_EQ(property_as<std::uint64_t>(linear, volume_interface, "Size"), 8 * mib);
    EXPECT_EQ(property_as<sdbus::ObjectPath>(linear, volume_interface, "Origin"), "/");
    EXPECT_FALSE(property_as<bool>(linear, volume_interface, "ReadOnly"));
    EXPECT_TRUE(property_as<bool>(linear, volume_interface, "Active"));
    EXPECT_EQ(property_as<std::uint64_t>(pool, pool_interface, "Free"), size - 8 * mib);
    const auto device_path = property_as<std::string>(linear, volume_interface, "DevicePath");
    EXPECT_EQ(device_path, "/dev/mapper/volumes-bus--pool-a.b");
    const auto device_number = property_as<std::uint64_t>(linear, volume_interface, "DeviceNumber");
    EXPECT_NE(device_number, 0u);
    EXPECT_EQ(block_device_number(device_path), static_cast<dev_t>(device_number)) << device_path;

    call_volume(linear, "Deactivate");
    EXPECT_FALSE(property_as<bool>(linear, volume_interface, "Active"));
    EXPECT_EQ(property_as<std::uint64_t>(linear, volume_interface, "DeviceNumber"), 0u);
    EXPECT_FALSE(dm_tables().contains("volumes-bus--pool-a.b"));
    call_volume(linear, "Activate");
    EXPECT_TRUE(property_as<bool>(linear, volume_interface, "Active"));
    EXPECT_TRUE(dm_tables().contains("volumes-bus--pool-a.b"));

    const auto mirror = create_volume(pool, "mirror", 4 * mib,
                                      {{"kind", "s", "raid1"}, {"images", "u", "3"}, {"region_size", "t", "262144"}});
    EXPECT_EQ(property_as<std::string>(mirror, volume_interface, "Kind"), "raid1");
    EXPECT_EQ(property_as<std::uint64_t>(mirror, raid1_interface, "RegionSize"), 256u * 1024);
    EXPECT_EQ(property_as<ImageSlots>(mirror, raid1_interface, "Images").size(), 3u);
    EXPECT_EQ(property_as<sdbus::ObjectPath>(mirror, raid1_interface, "TrackedImage"), "/");
    wait_raid1_in_sync(mirror);
    const auto targets = property_as<std::map<std::string, std::string>>(manager_path, manager_interface, "KernelTargets");
    EXPECT_TRUE(targets.contains("linear"));
    EXPECT_TRUE(targets.contains("raid")) << "KernelTargets lacks raid although a raid1 volume is active";

    const auto image = split_track(mirror, {{"image", "u", "1"}, {"name", "s", "backup"}});
    EXPECT_EQ(image, volume_path("bus-pool", "backup"));
    EXPECT_EQ(property_as<std::string>(image, volume_interface, "Kind"), "tracked_image");
    EXPECT_TRUE(property_as<bool>(image, volume_interface, "ReadOnly"));
    EXPECT_EQ(property_as<sdbus::ObjectPath>(image, volume_interface, "Origin"), mirror);
    EXPECT_EQ(property_as<sdbus::ObjectPath>(image, tracked_image_interface, "Array"), mirror);
    EXPECT_EQ(property_as<std::uint32_t>(image, tracked_image_interface, "Slot"), 1u);
    EXPECT_EQ(property_as<sdbus::ObjectPath>(mirror, raid1_interface, "TrackedImage"), image);
    EXPECT_EQ(health_of_slot(mirror, 1), "split");

    const auto job = merge(image);
    EXPECT_TRUE(job.starts_with("/org/example/Volumes/jobs/")) << job;
    EXPECT_EQ(property_as<std::string>(job, job_interface, "Operation"), "raid1-merge");
    EXPECT_EQ(property_as<std::uint32_t>(job, job_interface, "StartedByUid"), 0u);
    const auto job_objects = property_as<std::vector<sdbus::ObjectPath>>(job, job_interface, "Objects");
    EXPECT_NE(std::find(job_objects.begin(), job_objects.end(), mirror), job_objects.end());
    EXPECT_FALSE(exported_objects(*bus).contains(image));
    wait_job_finished(job);
    EXPECT_TRUE(property_as<bool>(job, job_interface, "Success")) << property_as<std::string>(job, job_interface, "Message");
    EXPECT_EQ(property_as<sdbus::ObjectPath>(mirror, raid1_interface, "TrackedImage"), "/");
    wait_raid1_in_sync(mirror);

    call_volume(linear, "Remove");
    call_volume(mirror, "Remove");
    const auto objects = exported_objects(*bus);
    EXPECT_FALSE(objects.contains(linear));
    EXPECT_FALSE(objects.contains(mirror));
    EXPECT_EQ(property_as<std::uint64_t>(pool, pool_interface, "Free"), size);
    for (const auto& [name, table] : dm_tables())
        EXPECT_FALSE(name.starts_with("volumes-bus--pool-")) << name << " is left after Remove:\n" << table;

    call_ok(*bus, {pool, pool_interface, "Destroy", CallArguments().options().words()});
    EXPECT_FALSE(exported_objects(*bus).contains(pool));
    // Destroy freed the devices: they make a new pool without "force".
    const auto again = create_pool("again", {a.path(), b.path(), c.path()});
    EXPECT_EQ(property_as<std::uint64_t>(again, pool_interface, "Size"), size);
}

}  // namespace
}  // namespace volumes::test
