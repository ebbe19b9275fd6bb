// Admission through one O_EXCL descriptor (service/devices/admitted_device.hpp), and the
// devices no force admits: pool members and volumesd's own dm devices. Loop and dm devices
// in the guest.
#include <cerrno>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include <fcntl.h>
#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "kmod/device_mapper.hpp"
#include "kmod/kernel_targets.hpp"
#include "kmod/tables/linear_table.hpp"
#include "service/devices/admitted_device.hpp"
#include "service/devices/member_candidate.hpp"
#include "service/metadata/label.hpp"
#include "tests/devices/disk_setup.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/dm_cleanup.hpp"
#include "tests/kernel/support/loop_device.hpp"
#include "tests/unit/expect_result.hpp"

namespace volumes::devices {
namespace {

using test::LoopDevice;
using volumes::testing::fails_with;
using volumes::testing::succeeded;

constexpr std::uint64_t mib = 1 << 20;
constexpr std::uint64_t digest_length = 4 * mib;

// errno of an exclusive open of `path`, 0 when it succeeds (and is closed again).
int exclusive_open_errno(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_EXCL | O_CLOEXEC);
    if (fd < 0)
        return errno;
    ::close(fd);
    return 0;
}

// A symbolic link in /tmp that the test can point elsewhere, to change what a path means.
class MovableLink {
public:
    explicit MovableLink(const std::string& target) : path_(fmt::format("/tmp/volumes-admission-{}", ::getpid()))
    {
        point_at(target);
    }
    ~MovableLink() { ::unlink(path_.c_str()); }
    void point_at(const std::string& target)
    {
        std::filesystem::remove(path_);
        std::filesystem::create_symlink(target, path_);
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

metadata::Uuid new_uuid()
{
    auto uuid = metadata::Uuid::generate();
    EXPECT_TRUE(uuid) << uuid.error().message;
    return uuid ? *uuid : metadata::Uuid{};
}

// A linear dm device over the whole loop, removed at the end of the test; its /dev/dm-N path.
std::string linear_dm_over(const LoopDevice& disk, const std::string& name, const std::string& uuid,
                           test::DmCleanup& cleanup)
{
    const kmod::LinearSegment segment{disk.number(), 0, disk.size_sectors()};
    const auto table = kmod::linear_table(std::span(&segment, 1));
    EXPECT_TRUE(table) << table.error().message;
    if (!table)
        return {};
    cleanup.add(name);
    kmod::UdevCookie cookie;
    const auto created = kmod::dm::create({name, uuid}, *table, cookie);
    EXPECT_TRUE(created) << created.error().message;
    if (!created)
        return {};
    EXPECT_TRUE(cookie.wait());
    return fmt::format("/dev/dm-{}", created->number.minor);
}

TEST(AdmittedDevice, HoldsTheDeviceExclusivelyUntilDestroyed)
{
    LoopDevice disk(16 * mib);
    std::optional<BlockDevice> shared;
    {
        auto admitted = AdmittedDevice::open(disk.path(), true);
        ASSERT_TRUE(succeeded(admitted));
        EXPECT_EQ(admitted->number(), disk.number());
        EXPECT_EQ(admitted->size(), 16 * mib);
        EXPECT_EQ(exclusive_open_errno(disk.path()), EBUSY);

        const auto second = AdmittedDevice::open(disk.path(), true);
        ASSERT_TRUE(fails_with(second, ErrorCode::InUse));
        EXPECT_NE(second.error().message.find("exclusively"), std::string::npos) << second.error().message;

        auto reopened = admitted->open_shared(true);
        ASSERT_TRUE(succeeded(reopened));
        EXPECT_EQ(reopened->number(), disk.number());
        EXPECT_EQ(reopened->path(), disk.path());
        shared.emplace(std::move(*reopened));
    }
    // What the engine keeps once the admission is over does not hold the device exclusively.
    EXPECT_EQ(exclusive_open_errno(disk.path()), 0);
}

TEST(AdmittedDevice, ChecksAndWritesGoThroughTheAdmittedDescriptorNotThePath)
{
    LoopDevice admitted_disk(32 * mib), other_disk(32 * mib);
    test::make_ext4(admitted_disk.path());
    test::make_ext4(other_disk.path());
    MovableLink link(admitted_disk.path());

    const auto other_before = test::digest(other_disk.path(), 0, digest_length);
    const auto other_written = other_disk.sectors_written();
    {
        auto admitted = AdmittedDevice::open(link.path(), true);
        ASSERT_TRUE(succeeded(admitted));
        // The path now names another device: nothing may look at or write to that one.
        link.point_at(other_disk.path());

        const auto found = check_admission(*admitted, true);
        ASSERT_TRUE(succeeded(found));
        ASSERT_EQ(found->size(), 1u);
        EXPECT_EQ((*found)[0].type, "ext4");
        ASSERT_TRUE(succeeded(erase_signatures(*admitted, *found)));
        auto shared = admitted->open_shared(false);
        ASSERT_TRUE(succeeded(shared));
        EXPECT_EQ(shared->number(), admitted_disk.number());
    }

    EXPECT_EQ(test::blkid_probe_output(admitted_disk.path()).find("ext4"), std::string::npos);
    EXPECT_NE(test::blkid_probe_output(other_disk.path()).find("TYPE=ext4"), std::string::npos);
    EXPECT_EQ(test::digest(other_disk.path(), 0, digest_length), other_before);
    EXPECT_EQ(other_disk.sectors_written(), other_written);
}

TEST(Admission, RefusesAPoolMemberWithAndWithoutForceNamingThePool)
{
    LoopDevice disk(16 * mib);
    const auto pool_uuid = new_uuid();
    test::write_member_label(disk.path(), pool_uuid);
    const auto before = test::digest(disk.path(), 0, digest_length);
    const auto written_before = disk.sectors_written();

    for (const bool force : {false, true}) {
        SCOPED_TRACE(force ? "with force" : "without force");
        const auto refused = prepare_member(disk.path(), force);
        ASSERT_TRUE(fails_with(refused, ErrorCode::InUse));
        EXPECT_NE(refused.error().message.find(pool_uuid.to_string()), std::string::npos) << refused.error().message;
        EXPECT_NE(refused.error().message.find("destroy or import"), std::string::npos) << refused.error().message;
    }
    {
        auto admitted = AdmittedDevice::open(disk.path(), true);
        ASSERT_TRUE(succeeded(admitted));
        EXPECT_TRUE(fails_with(check_not_volumesd(*admitted), ErrorCode::InUse));
        EXPECT_TRUE(fails_with(check_admission(*admitted, true), ErrorCode::InUse));
    }

    EXPECT_EQ(test::digest(disk.path(), 0, digest_length), before);
    EXPECT_EQ(disk.sectors_written(), written_before);
}

TEST(Admission, RefusesAMemberWhoseVolumesHoldItNamingThePool)
{
    ASSERT_TRUE(kmod::KernelTargets::open());
    LoopDevice disk(16 * mib);
    const auto pool_uuid = new_uuid();
    test::write_member_label(disk.path(), pool_uuid);
    test::DmCleanup cleanup;
    ASSERT_FALSE(linear_dm_over(disk, "devices-test-member-user", "OTHER-devices-test-member-user", cleanup).empty());

    const auto refused = prepare_member(disk.path(), true);
    ASSERT_TRUE(fails_with(refused, ErrorCode::InUse));
    EXPECT_NE(refused.error().message.find(pool_uuid.to_string()), std::string::npos) << refused.error().message;
}

TEST(Admission, RefusesAVolumesdDmDeviceEvenWithForce)
{
    ASSERT_TRUE(kmod::KernelTargets::open());
    LoopDevice disk(16 * mib);
    test::DmCleanup cleanup;
    const auto uuid = fmt::format("VOLUMES-{}-{}", new_uuid().to_string(), new_uuid().to_string());
    const auto volume = linear_dm_over(disk, "volumes-devtest-vol", uuid, cleanup);
    ASSERT_FALSE(volume.empty());
    test::write_pattern(volume, 0, digest_length, 17);

    for (const bool force : {false, true}) {
        SCOPED_TRACE(force ? "with force" : "without force");
        const auto refused = prepare_member(volume, force);
        ASSERT_TRUE(fails_with(refused, ErrorCode::InUse));
        EXPECT_NE(refused.error().message.find(uuid), std::string::npos) << refused.error().message;
        EXPECT_NE(refused.error().message.find("volumes-devtest-vol"), std::string::npos) << refused.error().message;
    }
    EXPECT_TRUE(test::holds_pattern(volume, 0, digest_length, 17));
}

TEST(Admission, AdmitsADmDeviceOfAnotherOwner)
{
    ASSERT_TRUE(kmod::KernelTargets::open());
    LoopDevice disk(16 * mib);
    test::DmCleanup cleanup;
    const auto other = linear_dm_over(disk, "devices-test-other-owner", "OTHER-devices-test-other-owner", cleanup);
    ASSERT_FALSE(other.empty());
    EXPECT_TRUE(succeeded(prepare_member(other, false)));
}

TEST(Admission, ACorruptLabelIsASignatureThatForceErases)
{
    LoopDevice disk(16 * mib);
    test::write_member_label(disk.path(), new_uuid());
    test::flip_byte(disk.path(), metadata::kLabelOffset + 20);

    EXPECT_TRUE(fails_with(prepare_member(disk.path(), false), ErrorCode::HasSignature));
    ASSERT_TRUE(succeeded(prepare_member(disk.path(), true)));
    const int fd = ::open(disk.path().c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    const auto label = metadata::read_label(fd);
    ::close(fd);
    ASSERT_FALSE(label);
    EXPECT_EQ(label.error().code, metadata::ErrorCode::NotFound) << label.error().message;
}

}  // namespace
}  // namespace volumes::devices
