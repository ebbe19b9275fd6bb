// The member-candidate checks (libblkid, mountinfo, sysfs, O_EXCL) against real loop devices
// in the guest.
#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include <fcntl.h>
#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "kmod/device_mapper.hpp"
#include "kmod/kernel_targets.hpp"
#include "kmod/tables/linear_table.hpp"
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

bool has_type(const std::vector<Signature>& signatures, const std::string& type)
{
    return std::any_of(signatures.begin(), signatures.end(),
                       [&](const Signature& signature) { return signature.type == type; });
}

metadata::Uuid new_uuid()
{
    auto uuid = metadata::Uuid::generate();
    EXPECT_TRUE(uuid) << uuid.error().message;
    return uuid ? *uuid : metadata::Uuid{};
}

TEST(PrepareMember, AcceptsAnEmptyLoopDeviceWithoutForceAndWritesNothing)
{
    LoopDevice disk(16 * mib);
    // Loop devices keep their I/O counters across attachments, so count from here.
    const auto written_before = disk.sectors_written();
    const auto signatures = probe_signatures(disk.path());
    ASSERT_TRUE(succeeded(signatures));
    EXPECT_TRUE(signatures->empty());
    EXPECT_TRUE(succeeded(check_unused(disk.path())));
    EXPECT_TRUE(succeeded(prepare_member(disk.path(), false)));
    EXPECT_EQ(disk.sectors_written(), written_before);
}

TEST(PrepareMember, RefusesAnExt4LoopWithoutForceAndLeavesItUntouched)
{
    LoopDevice disk(32 * mib);
    test::make_ext4(disk.path());
    const auto signatures = probe_signatures(disk.path());
    ASSERT_TRUE(succeeded(signatures));
    ASSERT_EQ(signatures->size(), 1u);
    EXPECT_EQ((*signatures)[0].type, "ext4");
    EXPECT_EQ((*signatures)[0].usage, "filesystem");
    EXPECT_EQ((*signatures)[0].offset, 0x438u);

    const auto before = test::digest(disk.path(), 0, digest_length);
    const auto written_before = disk.sectors_written();
    const auto refused = prepare_member(disk.path(), false);
    ASSERT_TRUE(fails_with(refused, ErrorCode::HasSignature));
    EXPECT_NE(refused.error().message.find("ext4"), std::string::npos) << refused.error().message;
    EXPECT_EQ(test::digest(disk.path(), 0, digest_length), before);
    EXPECT_EQ(disk.sectors_written(), written_before);
    EXPECT_NE(test::blkid_probe_output(disk.path()).find("TYPE=ext4"), std::string::npos);
}

TEST(PrepareMember, WipesAnExt4LoopWithForce)
{
    LoopDevice disk(32 * mib);
    test::make_ext4(disk.path());
    ASSERT_NE(test::blkid_probe_output(disk.path()).find("TYPE=ext4"), std::string::npos);

    ASSERT_TRUE(succeeded(prepare_member(disk.path(), true)));
    const auto left = probe_signatures(disk.path());
    ASSERT_TRUE(succeeded(left));
    EXPECT_TRUE(left->empty());
    const auto blkid = test::blkid_probe_output(disk.path());
    EXPECT_EQ(blkid.find("ext4"), std::string::npos) << blkid;
    EXPECT_TRUE(succeeded(prepare_member(disk.path(), false)));
}

TEST(PrepareMember, RefusesAPartitionTableWithoutForceAndWipesItWithForce)
{
    LoopDevice disk(16 * mib);
    test::write_dos_partition_table(disk.path());
    const auto signatures = probe_signatures(disk.path());
    ASSERT_TRUE(succeeded(signatures));
    ASSERT_TRUE(has_type(*signatures, "dos"));

    const auto before = test::digest(disk.path(), 0, digest_length);
    const auto refused = prepare_member(disk.path(), false);
    ASSERT_TRUE(fails_with(refused, ErrorCode::HasSignature));
    EXPECT_NE(refused.error().message.find("dos (partition table)"), std::string::npos) << refused.error().message;
    EXPECT_EQ(test::digest(disk.path(), 0, digest_length), before);

    ASSERT_TRUE(succeeded(prepare_member(disk.path(), true)));
    const auto left = probe_signatures(disk.path());
    ASSERT_TRUE(succeeded(left));
    EXPECT_TRUE(left->empty());
    EXPECT_EQ(test::blkid_probe_output(disk.path()).find("PTTYPE"), std::string::npos);
}

TEST(PrepareMember, RefusesADeviceWithKernelPartitionsEvenWithForce)
{
    LoopDevice disk(16 * mib);
    test::write_dos_partition_table(disk.path());
    test::scan_loop_partitions(disk);

    const auto before = test::digest(disk.path(), 0, digest_length);
    const auto refused = prepare_member(disk.path(), true);
    ASSERT_TRUE(fails_with(refused, ErrorCode::InUse));
    EXPECT_NE(refused.error().message.find("partitions"), std::string::npos) << refused.error().message;
    EXPECT_EQ(test::digest(disk.path(), 0, digest_length), before);
}

TEST(PrepareMember, RefusesAMountedLoopEvenWithForce)
{
    LoopDevice disk(32 * mib);
    test::make_ext4(disk.path());
    test::TempMount mount(disk.path());

    const auto unused = check_unused(disk.path());
    ASSERT_TRUE(fails_with(unused, ErrorCode::InUse));
    EXPECT_NE(unused.error().message.find("mounted at " + mount.path()), std::string::npos) << unused.error().message;
    const auto refused = prepare_member(disk.path(), true);
    ASSERT_TRUE(fails_with(refused, ErrorCode::InUse));
    EXPECT_NE(refused.error().message.find("mounted"), std::string::npos) << refused.error().message;
}

TEST(PrepareMember, RefusesALoopHeldByADmDeviceEvenWithForce)
{
    ASSERT_TRUE(kmod::KernelTargets::open());
    LoopDevice disk(16 * mib);
    test::DmCleanup cleanup;
    const kmod::LinearSegment segment{disk.number(), 0, disk.size_sectors()};
    const auto table = kmod::linear_table(std::span(&segment, 1));
    ASSERT_TRUE(table) << table.error().message;
    cleanup.add("devices-test-holder");
    kmod::UdevCookie cookie;
    const auto created = kmod::dm::create({"devices-test-holder", "OTHER-devices-test-holder"}, *table, cookie);
    ASSERT_TRUE(created) << created.error().message;
    ASSERT_TRUE(cookie.wait());

    const auto before = test::digest(disk.path(), 0, digest_length);
    const auto refused = prepare_member(disk.path(), true);
    ASSERT_TRUE(fails_with(refused, ErrorCode::InUse));
    EXPECT_NE(refused.error().message.find(fmt::format("held by dm-{}", created->number.minor)), std::string::npos)
        << refused.error().message;
    EXPECT_EQ(test::digest(disk.path(), 0, digest_length), before);
}

TEST(PrepareMember, RefusesALoopAnotherProgramOpenedExclusivelyEvenWithForce)
{
    LoopDevice disk(16 * mib);
    test::ExclusiveOpen holder(disk.path());
    const auto refused = prepare_member(disk.path(), true);
    ASSERT_TRUE(fails_with(refused, ErrorCode::InUse));
    EXPECT_NE(refused.error().message.find("exclusively"), std::string::npos) << refused.error().message;
}

TEST(PrepareMember, ReportsAPoolMemberLabelAsASignatureAndRefusesItEvenWithForce)
{
    LoopDevice disk(16 * mib);
    test::write_member_label(disk.path(), new_uuid());
    const auto signatures = probe_signatures(disk.path());
    ASSERT_TRUE(succeeded(signatures));
    ASSERT_EQ(signatures->size(), 1u);
    EXPECT_EQ((*signatures)[0].type, "volumesd_member");
    EXPECT_EQ((*signatures)[0].usage, "other");
    EXPECT_EQ((*signatures)[0].offset, metadata::kLabelOffset);

    // A member of any pool is never admitted (admission_test.cpp has the details).
    EXPECT_TRUE(fails_with(prepare_member(disk.path(), false), ErrorCode::InUse));
    EXPECT_TRUE(fails_with(prepare_member(disk.path(), true), ErrorCode::InUse));
    const int fd = ::open(disk.path().c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    const auto label = metadata::read_label(fd);
    ::close(fd);
    EXPECT_TRUE(label) << label.error().message;
}

TEST(PrepareMember, TreatsACorruptPoolLabelAsASignature)
{
    LoopDevice disk(16 * mib);
    test::write_member_label(disk.path(), new_uuid());
    test::flip_byte(disk.path(), metadata::kLabelOffset + 20);
    const auto signatures = probe_signatures(disk.path());
    ASSERT_TRUE(succeeded(signatures));
    EXPECT_TRUE(has_type(*signatures, "volumesd_member"));
    EXPECT_TRUE(fails_with(prepare_member(disk.path(), false), ErrorCode::HasSignature));
}

TEST(PrepareMember, ReportsAPathThatIsNotABlockDevice)
{
    EXPECT_TRUE(fails_with(prepare_member("/dev/no-such-volumes-device", false), ErrorCode::NotFound));
    EXPECT_TRUE(fails_with(prepare_member("/proc/self/mountinfo", true), ErrorCode::InvalidArgument));
}

}  // namespace
}  // namespace volumes::devices
