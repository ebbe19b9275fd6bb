// volumectl resize, rename and add-member against the real volumesd over the system bus: a
// mounted ext4 grows with its volume, a thin pool's data and metadata grow, a mounted volume
// is renamed and its object moves, a pool gains a member that a raid1 then needs, and that
// raid1 grows with its mounted ext4 while a Job follows the sync of its new region; every
// refusal changes no byte of a member, no dm table and no object.
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "object_paths.hpp"
#include "state_snapshot.hpp"
#include "volumectl_fixture.hpp"

namespace volumes::test {
namespace {

class VolumectlLifetime : public VolumectlTest {};

// A mount for the test's lifetime.
class Mounted {
public:
    explicit Mounted(const std::string& device, const std::string& name = "data")
        : dir_("/tmp/volumectl-lifetime-" + name + "-" + std::to_string(::getpid()))
    {
        std::filesystem::create_directories(dir_);
        if (::mount(device.c_str(), dir_.c_str(), "ext4", 0, nullptr) != 0)
            throw std::runtime_error("mount " + device + " failed");
    }
    ~Mounted()
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

private:
    std::filesystem::path dir_;
};

TEST_F(VolumectlLifetime, ResizeWithTheFilesystemRenameMountedAndAddMember)
{
    ASSERT_EQ(std::system("modprobe ext4"), 0);
    create_pool_with_volumectl("tank", 1);
    const auto data = volumectl_json({"create", "tank/data", "16M"}).at("volume");
    const std::string device = data.at("device_path");
    ASSERT_EQ(std::system(("mkfs.ext4 -q -F " + device + " >/dev/null 2>&1").c_str()), 0);
    Mounted mounted(device);
    std::ofstream(mounted.dir() / "kept") << "before";
    const auto before = mounted.size();

    // Resize with the filesystem: the reply says what happened to it, df sees it.
    const auto grown = volumectl_json({"resize", "tank/data", "40M", "--resize-filesystem"});
    EXPECT_EQ(grown.at("volume").at("size"), 40 * mib);
    EXPECT_EQ(grown.at("volume").at("size"), property_as<std::uint64_t>(volume_path("tank", "data"), volume_interface, "Size"));
    EXPECT_NE(grown.at("filesystem").get<std::string>().find("ext4 at " + mounted.dir().string() + " grown to"),
              std::string::npos)
        << grown.dump();
    EXPECT_GT(mounted.size(), before + 20 * mib);

    // Refusals: a shrink without --allow-shrink (2), under ext4 (7), past the free space (10).
    expect_refused_unchanged({"resize", "tank/data", "8M"}, 2);
    expect_refused_unchanged({"resize", "tank/data", "8M", "--allow-shrink"}, 7);
    expect_refused_unchanged({"resize", "tank/data", "1T"}, 10);

    // Rename while mounted: the object moves, the mount and its data stay.
    const auto renamed = volumectl_json({"rename", "tank/data", "home"}).at("volume");
    EXPECT_EQ(renamed.at("object"), volume_path("tank", "home"));
    EXPECT_EQ(renamed.at("device_path"), "/dev/mapper/volumes-tank-home");
    EXPECT_EQ(volumectl({"show", "tank/data"}).status, 4);
    EXPECT_TRUE(std::filesystem::exists("/dev/volumes/tank/home"));
    EXPECT_FALSE(std::filesystem::exists("/dev/volumes/tank/data"));
    {
        std::ifstream file(mounted.dir() / "kept");
        std::string text;
        std::getline(file, text);
        EXPECT_EQ(text, "before");
    }
    expect_refused_unchanged({"rename", "tank/home", "bad/name"}, 2);

    // A raid1 needs a second member; AddMember of a member is refused, a free device joins.
    expect_refused_unchanged({"create", "tank/mirror", "8M", "--raid1"}, 10);
    expect_refused_unchanged({"add-member", "tank", loop_paths().front()}, 7);
    const auto& extra = new_loop();
    const auto pool = volumectl_json({"add-member", "tank", extra.path()}).at("pool");
    EXPECT_EQ(pool.at("members").size(), 2u);
    EXPECT_EQ(volumectl({"create", "tank/mirror", "8M", "--raid1", "--wait"}).status, 0);

    // The raid1 grows with its mounted ext4; the reply names the Job that follows the sync of
    // the new region, which ends in success.
    const std::string mirror_device = show_volume("tank/mirror").at("device_path");
    ASSERT_EQ(std::system(("mkfs.ext4 -q -F " + mirror_device + " >/dev/null 2>&1").c_str()), 0);
    Mounted on_mirror(mirror_device, "mirror");
    std::ofstream(on_mirror.dir() / "kept") << "mirrored";
    const auto mirror_before = on_mirror.size();
    const auto mirror_grown = volumectl_json({"resize", "tank/mirror", "12M", "--resize-filesystem"});
    EXPECT_EQ(mirror_grown.at("volume").at("size"), 12 * mib);
    const auto said = mirror_grown.at("filesystem").get<std::string>();
    EXPECT_NE(said.find("ext4 at " + on_mirror.dir().string() + " grown to"), std::string::npos) << said;
    const std::string job_marker = "the new region syncs: job ";
    const auto job_at = said.find(job_marker);
    ASSERT_NE(job_at, std::string::npos) << said;
    const auto job_path = said.substr(job_at + job_marker.size());
    const auto waited = volumectl_json({"wait", job_path}).at("jobs");
    ASSERT_EQ(waited.size(), 1u) << waited.dump();
    EXPECT_EQ(waited[0].at("operation"), "raid1-grow");
    EXPECT_EQ(waited[0].at("finished"), true);
    EXPECT_EQ(waited[0].at("success"), true) << waited.dump();
    EXPECT_EQ(waited[0].at("bytes"), 4 * mib) << "the job's work is not the new region: " << waited.dump();
    EXPECT_EQ(show_volume("tank/mirror").at("raid1").at("sync_ratio"), 1.0);
    EXPECT_GT(on_mirror.size(), mirror_before + 3 * mib);
    {
        std::ifstream file(on_mirror.dir() / "kept");
        std::string text;
        std::getline(file, text);
        EXPECT_EQ(text, "mirrored");
    }

    // A thin pool's data and metadata grow.
    volumectl_json({"thin-pool", "tank/tp", "16M", "4M"});
    const auto tp = volumectl_json({"resize", "tank/tp", "24M", "--metadata-size", "8M"}).at("volume");
    EXPECT_EQ(tp.at("thin_pool").at("data_size"), 24 * mib);
    EXPECT_EQ(tp.at("thin_pool").at("metadata_size"), 8 * mib);
}

}  // namespace
}  // namespace volumes::test
