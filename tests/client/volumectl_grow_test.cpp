// volumectl resize --resize-filesystem against the real volumesd over the system bus, on the
// kinds and filesystems the lifetime test does not cover: a thin volume with a mounted ext4,
// and a linear volume with a mounted xfs. df (statvfs) sees the new size, the data stays.
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "volumectl_fixture.hpp"

namespace volumes::test {
namespace {

class MountedAt {
public:
    MountedAt(const std::string& device, const char* type)
        : dir_("/tmp/volumectl-grow-" + std::string(type) + "-" + std::to_string(::getpid()))
    {
        std::filesystem::create_directories(dir_);
        if (::mount(device.c_str(), dir_.c_str(), type, 0, nullptr) != 0)
            throw std::runtime_error("mount " + device + " failed");
    }
    ~MountedAt()
    {
        ::umount2(dir_.c_str(), MNT_DETACH);
        std::filesystem::remove(dir_);
    }
    const std::filesystem::path& dir() const { return dir_; }
    std::uint64_t size() const
    {
        struct statvfs stats{};
        ::statvfs(dir_.c_str(), &stats);
        return stats.f_blocks * stats.f_frsize;
    }
    std::string read(const char* name) const
    {
        std::ifstream file(dir_ / name);
        std::string text;
        std::getline(file, text);
        return text;
    }

private:
    std::filesystem::path dir_;
};

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
    MountedAt mounted(device, "ext4");
    std::ofstream(mounted.dir() / "kept") << "thin before";
    const auto before = mounted.size();

    const auto grown = volumectl_json({"resize", "thinfs/home", "48M", "-r"});
    EXPECT_EQ(grown.at("volume").at("size"), 48 * mib);
    EXPECT_NE(grown.at("filesystem").get<std::string>().find("ext4 at " + mounted.dir().string() + " grown to"),
              std::string::npos)
        << grown.dump();
    EXPECT_GT(mounted.size(), before + 28 * mib) << before << " -> " << mounted.size();
    EXPECT_EQ(mounted.read("kept"), "thin before");
}

TEST_F(VolumectlTest, ALinearVolumeGrowsWithItsMountedXfs)
{
    run("modprobe xfs");
    create_pool_with_volumectl("xfs", 1, 256 * mib);
    const std::string device = volumectl_json({"create", "xfs/data", "64M"}).at("volume").at("device_path");
    // mkfs.xfs refuses filesystems under 300 MB unless it runs under xfsprogs' own test suite,
    // which these variables announce; the loop devices here are far smaller.
    run("TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1 mkfs.xfs -q -f " + device);
    MountedAt mounted(device, "xfs");
    std::ofstream(mounted.dir() / "kept") << "xfs before";
    const auto before = mounted.size();

    const auto grown = volumectl_json({"resize", "xfs/data", "160M", "--resize-filesystem"});
    EXPECT_EQ(grown.at("volume").at("size"), 160 * mib);
    EXPECT_NE(grown.at("filesystem").get<std::string>().find("xfs at " + mounted.dir().string() + " grown to"),
              std::string::npos)
        << grown.dump();
    EXPECT_GT(mounted.size(), before + 80 * mib) << before << " -> " << mounted.size();
    EXPECT_EQ(mounted.read("kept"), "xfs before");
}

}  // namespace
}  // namespace volumes::test
