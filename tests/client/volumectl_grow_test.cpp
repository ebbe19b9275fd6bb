// volumectl resize --resize-filesystem against the real volumesd over the system bus, on the
// kinds and filesystems the lifetime test does not cover: a thin volume with a mounted ext4,
// and a linear volume with a mounted xfs. df (statvfs) sees the new size, the data stays.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "mounted_filesystem.hpp"
#include "volumectl_fixture.hpp"

namespace volumes::test {
namespace {

std::string first_line(const std::filesystem::path& file)
{
    std::ifstream in(file);
    std::string text;
    std::getline(in, text);
    return text;
}

void run(const std::string& command)
{
    ASSERT_EQ(std::system((command + " >/dev/null 2>&1").c_str()), 0) << command;
}

TEST_F(VolumectlTest, AThinVolumeGrowsWithItsMountedExt4)
{
    run("modprobe ext4");
    create_pool_with_volumectl("thinfs", 1, 128 * mib);
    volumectl_json({"thin-pool", "thinfs/tp", "64M", "4M"});
    const std::string device = volumectl_json({"thin", "thinfs/tp", "home", "16M"}).at("volume").at("device_path");
    run("mkfs.ext4 -q -F " + device);
    MountedFilesystem mounted(device, "ext4");
    std::ofstream(mounted.dir() / "kept") << "thin before";
    const auto before = mounted.size();

    const auto grown = volumectl_json({"resize", "thinfs/home", "48M", "-r"});
    EXPECT_EQ(grown.at("volume").at("size"), 48 * mib);
    EXPECT_NE(grown.at("filesystem").get<std::string>().find("ext4 at " + mounted.dir().string() + " grown to"),
              std::string::npos)
        << grown.dump();
    EXPECT_GT(mounted.size(), before + 28 * mib) << before << " -> " << mounted.size();
    EXPECT_EQ(first_line(mounted.dir() / "kept"), "thin before");
}

TEST_F(VolumectlTest, ALinearVolumeGrowsWithItsMountedXfs)
{
    run("modprobe xfs");
    create_pool_with_volumectl("xfs", 1, 256 * mib);
    const std::string device = volumectl_json({"create", "xfs/data", "64M"}).at("volume").at("device_path");
    // mkfs.xfs refuses filesystems under 300 MB unless it runs under xfsprogs' own test suite,
    // which these variables announce; the loop devices here are far smaller.
    run("TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1 mkfs.xfs -q -f " + device);
    MountedFilesystem mounted(device, "xfs");
    std::ofstream(mounted.dir() / "kept") << "xfs before";
    const auto before = mounted.size();

    const auto grown = volumectl_json({"resize", "xfs/data", "160M", "--resize-filesystem"});
    EXPECT_EQ(grown.at("volume").at("size"), 160 * mib);
    EXPECT_NE(grown.at("filesystem").get<std::string>().find("xfs at " + mounted.dir().string() + " grown to"),
              std::string::npos)
        << grown.dump();
    EXPECT_GT(mounted.size(), before + 80 * mib) << before << " -> " << mounted.size();
    EXPECT_EQ(first_line(mounted.dir() / "kept"), "xfs before");
}

}  // namespace
}  // namespace volumes::test
