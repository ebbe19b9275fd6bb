// Finding pool members with libudev among the guest's block devices.
#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kmod/device_mapper.hpp"
#include "kmod/kernel_targets.hpp"
#include "kmod/tables/linear_table.hpp"
#include "service/devices/member_scan.hpp"
#include "tests/devices/disk_setup.hpp"
#include "tests/kernel/support/dm_cleanup.hpp"
#include "tests/kernel/support/loop_device.hpp"
#include "tests/unit/expect_result.hpp"

namespace volumes::devices {
namespace {

using test::LoopDevice;
using volumes::testing::succeeded;

constexpr std::uint64_t mib = 1 << 20;

metadata::Uuid new_uuid()
{
    auto uuid = metadata::Uuid::generate();
    EXPECT_TRUE(uuid) << uuid.error().message;
    return uuid ? *uuid : metadata::Uuid{};
}

const FoundMember* find_path(const std::vector<FoundMember>& members, const std::string& path)
{
    const auto found = std::find_if(members.begin(), members.end(), [&](const FoundMember& m) { return m.path == path; });
    return found == members.end() ? nullptr : &*found;
}

const FoundMember* find_number(const std::vector<FoundMember>& members, kmod::DeviceNumber number)
{
    const auto found =
        std::find_if(members.begin(), members.end(), [&](const FoundMember& m) { return m.number == number; });
    return found == members.end() ? nullptr : &*found;
}

// A dm linear device mapping the whole loop, named and with the uuid given.
kmod::DeviceInfo map_linear(const LoopDevice& loop, const std::string& name, const std::string& uuid,
                            test::DmCleanup& cleanup)
{
    const kmod::LinearSegment segment{loop.number(), 0, loop.size_sectors()};
    const auto table = kmod::linear_table(std::span(&segment, 1));
    EXPECT_TRUE(table) << table.error().message;
    cleanup.add(name);
    kmod::UdevCookie cookie;
    const auto created = kmod::dm::create({name, uuid}, *table, cookie);
    EXPECT_TRUE(created) << created.error().message;
    EXPECT_TRUE(cookie.wait());
    return created ? *created : kmod::DeviceInfo{};
}

TEST(MemberScan, FindsLabelledLoopsAndGroupsThemByPool)
{
    LoopDevice first_a(16 * mib);
    LoopDevice only_b(16 * mib);
    LoopDevice second_a(16 * mib);
    LoopDevice unlabelled(16 * mib);
    const auto pool_a = new_uuid();
    const auto pool_b = new_uuid();
    const auto label_first_a = test::write_member_label(first_a.path(), pool_a);
    const auto label_only_b = test::write_member_label(only_b.path(), pool_b);
    const auto label_second_a = test::write_member_label(second_a.path(), pool_a);

    const auto scan = scan_members();
    ASSERT_TRUE(succeeded(scan));
    std::vector<FoundMember> ours;
    for (const auto& member : scan->members) {
        if (member.label.pool_uuid == pool_a || member.label.pool_uuid == pool_b)
            ours.push_back(member);
    }
    ASSERT_EQ(ours.size(), 3u);
    EXPECT_EQ(find_path(scan->members, unlabelled.path()), nullptr);
    const struct {
        const LoopDevice& loop;
        const metadata::Label& label;
    } expected[] = {{first_a, label_first_a}, {only_b, label_only_b}, {second_a, label_second_a}};
    for (const auto& [loop, label] : expected) {
        const auto* found = find_path(ours, loop.path());
        ASSERT_NE(found, nullptr) << loop.path() << " not found";
        EXPECT_EQ(found->number, loop.number());
        EXPECT_EQ(found->label, label);
    }

    const auto pools = group_by_pool(ours);
    ASSERT_EQ(pools.size(), 2u);
    const auto& a = pools[0].pool_uuid == pool_a ? pools[0] : pools[1];
    const auto& b = pools[0].pool_uuid == pool_a ? pools[1] : pools[0];
    ASSERT_EQ(a.pool_uuid, pool_a);
    ASSERT_EQ(b.pool_uuid, pool_b);
    ASSERT_EQ(a.members.size(), 2u);
    ASSERT_EQ(b.members.size(), 1u);
    EXPECT_NE(find_path(a.members, first_a.path()), nullptr);
    EXPECT_NE(find_path(a.members, second_a.path()), nullptr);
    EXPECT_EQ(b.members[0].path, only_b.path());
}

TEST(MemberScan, SkipsTheDaemonsOwnDmDevicesButNotOthers)
{
    ASSERT_TRUE(kmod::KernelTargets::open());
    LoopDevice disk(16 * mib);
    const auto pool = new_uuid();
    const auto label = test::write_member_label(disk.path(), pool);
    test::DmCleanup cleanup;
    const auto own = map_linear(disk, "devices-test-scan-own", "VOLUMES-test-scan-own", cleanup);
    const auto foreign = map_linear(disk, "devices-test-scan-foreign", "FOREIGN-test-scan-foreign", cleanup);
    ASSERT_TRUE(own.exists);
    ASSERT_TRUE(foreign.exists);

    const auto scan = scan_members();
    ASSERT_TRUE(succeeded(scan));
    EXPECT_EQ(find_number(scan->members, own.number), nullptr) << "the VOLUMES- dm device was taken for a member";
    // A dm device of someone else holding a copy of the label is not ours to skip; stacked on
    // the loop, it is the one used, and the loop under it is the duplicate.
    const auto* copy = find_number(scan->members, foreign.number);
    ASSERT_NE(copy, nullptr);
    EXPECT_EQ(copy->label, label);
    EXPECT_EQ(find_path(scan->members, disk.path()), nullptr) << "the loop under the dm device was used as well";
    EXPECT_TRUE(std::any_of(scan->duplicates.begin(), scan->duplicates.end(), [&](const std::string& line) {
        return line.find(disk.path() + " ") != std::string::npos;
    })) << "the duplicate lower in the stack is not reported";

    // With the foreign device skipped, the VOLUMES- one is ours, and the loop is the member.
    const auto other_prefix = scan_members("FOREIGN-");
    ASSERT_TRUE(succeeded(other_prefix));
    EXPECT_EQ(find_number(other_prefix->members, foreign.number), nullptr);
    const auto* own_copy = find_number(other_prefix->members, own.number);
    ASSERT_NE(own_copy, nullptr);
    EXPECT_EQ(own_copy->label, label);
    EXPECT_EQ(find_path(other_prefix->members, disk.path()), nullptr);
}

TEST(MemberScan, TheDaemonsOwnDevicesOnAMemberLeaveItTheMember)
{
    ASSERT_TRUE(kmod::KernelTargets::open());
    LoopDevice disk(16 * mib);
    const auto label = test::write_member_label(disk.path(), new_uuid());
    test::DmCleanup cleanup;
    const auto own = map_linear(disk, "devices-test-scan-only-own", "VOLUMES-test-scan-only-own", cleanup);
    ASSERT_TRUE(own.exists);
    const auto scan = scan_members();
    ASSERT_TRUE(succeeded(scan));
    const auto* loop = find_path(scan->members, disk.path());
    ASSERT_NE(loop, nullptr);
    EXPECT_EQ(loop->label, label);
    EXPECT_EQ(find_number(scan->members, own.number), nullptr);
}

TEST(MemberScan, ListsACorruptLabelAsSkipped)
{
    LoopDevice disk(16 * mib);
    test::write_member_label(disk.path(), new_uuid());
    test::flip_byte(disk.path(), metadata::kLabelOffset + 40);

    const auto scan = scan_members();
    ASSERT_TRUE(succeeded(scan));
    EXPECT_EQ(find_path(scan->members, disk.path()), nullptr);
    const auto skipped = std::find_if(scan->skipped.begin(), scan->skipped.end(),
                                      [&](const std::string& line) { return line.starts_with(disk.path() + ": "); });
    ASSERT_NE(skipped, scan->skipped.end());
    EXPECT_NE(skipped->find("checksum"), std::string::npos) << *skipped;
}

TEST(MemberScan, SkipsDetachedLoopDevicesAndUnlabelledDisks)
{
    std::string path;
    {
        LoopDevice disk(16 * mib);
        test::write_member_label(disk.path(), new_uuid());
        path = disk.path();
        const auto attached = scan_members();
        ASSERT_TRUE(succeeded(attached));
        ASSERT_NE(find_path(attached->members, path), nullptr);
    }
    const auto detached = scan_members();
    ASSERT_TRUE(succeeded(detached));
    EXPECT_EQ(find_path(detached->members, path), nullptr);
    EXPECT_TRUE(std::none_of(detached->skipped.begin(), detached->skipped.end(),
                             [&](const std::string& line) { return line.starts_with(path + ": "); }));
}

}  // namespace
}  // namespace volumes::devices
