// volumectl create (linear, raid1), activate, deactivate and remove against volumesd.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "object_paths.hpp"
#include "volumectl_fixture.hpp"

namespace volumes::test {
namespace {

using nlohmann::json;

bool block_device_exists(const std::string& path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISBLK(st.st_mode);
}

TEST_F(VolumectlTest, CreateLinearVolume)
{
    create_pool_with_volumectl("tank", 2);
    const auto volume = volumectl_json({"create", "tank/data", "10M"}).at("volume");
    const auto path = volume_path("tank", "data");

    EXPECT_EQ(volume.at("object"), path);
    EXPECT_EQ(volume.at("name"), "data");
    EXPECT_EQ(volume.at("pool"), "tank");
    EXPECT_EQ(volume.at("pool_object"), pool_path("tank"));
    EXPECT_EQ(volume.at("uuid"), property_as<std::string>(path, volume_interface, "Uuid"));
    EXPECT_EQ(volume.at("kind"), "linear");
    EXPECT_EQ(volume.at("size"), 12 * mib);  // rounded up to 4 MiB extents
    EXPECT_EQ(volume.at("device_path"), "/dev/mapper/volumes-tank-data");
    EXPECT_TRUE(block_device_exists("/dev/mapper/volumes-tank-data"));
    EXPECT_EQ(volume.at("device_number"), property_as<std::uint64_t>(path, volume_interface, "DeviceNumber"));
    EXPECT_NE(volume.at("device_number"), 0u);
    EXPECT_EQ(volume.at("read_only"), false);
    EXPECT_EQ(volume.at("active"), true);
    EXPECT_EQ(volume.at("origin"), nullptr);
    for (const char* kind : {"raid1", "tracked_image", "snapshot", "thin_pool", "thin"})
        EXPECT_EQ(volume.at(kind), nullptr) << kind;

    EXPECT_EQ(show_volume("tank/data"), volume);
    const auto listed = volumectl_json({"list"});
    ASSERT_EQ(listed.at("volumes").size(), 1u);
    EXPECT_EQ(listed.at("volumes")[0], volume);
    EXPECT_EQ(listed.at("pools")[0].at("free").get<std::uint64_t>(),
              listed.at("pools")[0].at("size").get<std::uint64_t>() - 12 * mib);
}

TEST_F(VolumectlTest, CreateRaid1VolumeAndWaitForItsSync)
{
    create_pool_with_volumectl("tank", 3);
    const auto created = volumectl_json(
        {"create", "--kind", "raid1", "--images", "3", "--region-size", "256K", "--wait", "tank/mirror", "16M"});
    const auto& volume = created.at("volume");
    EXPECT_EQ(volume.at("kind"), "raid1");
    EXPECT_EQ(volume.at("size"), 16 * mib);
    const auto& raid1 = volume.at("raid1");
    ASSERT_TRUE(raid1.is_object()) << volume.dump();
    EXPECT_EQ(raid1.at("region_size"), 256 * 1024);
    EXPECT_EQ(raid1.at("sync_ratio"), 1.0);
    EXPECT_EQ(raid1.at("sync_action"), "idle");
    EXPECT_EQ(raid1.at("tracked_image"), nullptr);
    ASSERT_EQ(raid1.at("images").size(), 3u);
    for (unsigned slot = 0; slot < 3; ++slot) {
        EXPECT_EQ(raid1.at("images")[slot].at("slot"), slot);
        EXPECT_EQ(raid1.at("images")[slot].at("health"), "alive");
        EXPECT_EQ(raid1.at("images")[slot].at("member").get<std::string>().size(), 36u);
    }
    // --wait followed the raid1-sync job that CreateVolume started, to its end.
    ASSERT_EQ(created.at("jobs").size(), 1u) << created.dump();
    const auto& job = created.at("jobs")[0];
    EXPECT_EQ(job.at("operation"), "raid1-sync");
    EXPECT_EQ(job.at("objects"), json::array({volume.at("object")}));
    EXPECT_EQ(job.at("finished"), true);
    EXPECT_EQ(job.at("success"), true);
    EXPECT_EQ(job.at("started_by_uid"), 0);
    EXPECT_EQ(property_as<bool>(job.at("object"), job_interface, "Finished"), true);
}

TEST_F(VolumectlTest, DeactivateActivateAndRemove)
{
    create_pool_with_volumectl("tank", 1);
    volumectl_json({"create", "tank/data", "4M"});

    const auto inactive = volumectl_json({"deactivate", "tank/data"}).at("volume");
    EXPECT_EQ(inactive.at("active"), false);
    EXPECT_EQ(inactive.at("device_number"), 0u);
    EXPECT_FALSE(block_device_exists("/dev/mapper/volumes-tank-data"));
    EXPECT_EQ(property_as<bool>(volume_path("tank", "data"), volume_interface, "Active"), false);

    const auto active = volumectl_json({"activate", "tank/data"}).at("volume");
    EXPECT_EQ(active.at("active"), true);
    EXPECT_TRUE(block_device_exists("/dev/mapper/volumes-tank-data"));

    EXPECT_EQ(volumectl_json({"remove", "tank/data"}), (json{{"removed", volume_path("tank", "data")}}));
    EXPECT_EQ(volumectl_json({"list"}).at("volumes"), json::array());
    EXPECT_FALSE(block_device_exists("/dev/mapper/volumes-tank-data"));
    const auto gone = volumectl({"show", "tank/data"});
    EXPECT_EQ(gone.status, 4) << gone.describe();
}

}  // namespace
}  // namespace volumes::test
