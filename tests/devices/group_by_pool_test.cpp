// Host tests of the parts of service/devices that need no block device.
#include <gtest/gtest.h>

#include "service/devices/block_device.hpp"
#include "service/devices/member_scan.hpp"
#include "tests/unit/expect_result.hpp"

namespace volumes::devices {
namespace {

using volumes::testing::fails_with;

metadata::Uuid uuid_of(std::uint8_t byte)
{
    metadata::Uuid uuid;
    uuid.bytes.fill(byte);
    return uuid;
}

FoundMember member(const std::string& path, std::uint8_t pool, std::uint8_t id)
{
    FoundMember found;
    found.path = path;
    found.label.pool_uuid = uuid_of(pool);
    found.label.member_uuid = uuid_of(id);
    return found;
}

TEST(GroupByPool, GroupsMembersInTheOrderTheirPoolWasFirstSeen)
{
    const auto pools = group_by_pool({member("/dev/b1", 2, 11), member("/dev/a1", 1, 12), member("/dev/b2", 2, 13),
                                      member("/dev/c1", 3, 14), member("/dev/a2", 1, 15)});
    ASSERT_EQ(pools.size(), 3u);
    EXPECT_EQ(pools[0].pool_uuid, uuid_of(2));
    EXPECT_EQ(pools[1].pool_uuid, uuid_of(1));
    EXPECT_EQ(pools[2].pool_uuid, uuid_of(3));
    ASSERT_EQ(pools[0].members.size(), 2u);
    EXPECT_EQ(pools[0].members[0].path, "/dev/b1");
    EXPECT_EQ(pools[0].members[1].path, "/dev/b2");
    ASSERT_EQ(pools[1].members.size(), 2u);
    EXPECT_EQ(pools[1].members[0].path, "/dev/a1");
    EXPECT_EQ(pools[1].members[1].path, "/dev/a2");
    ASSERT_EQ(pools[2].members.size(), 1u);
    EXPECT_EQ(pools[2].members[0].label.member_uuid, uuid_of(14));
}

TEST(GroupByPool, NoMembersNoPools)
{
    EXPECT_TRUE(group_by_pool({}).empty());
}

TEST(BlockDeviceOpen, RefusesWhatIsNotABlockDevice)
{
    EXPECT_TRUE(fails_with(BlockDevice::open("/no/such/volumes/device", false), ErrorCode::NotFound));
    EXPECT_TRUE(fails_with(BlockDevice::open("/proc/self/status", false), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(BlockDevice::open("/", false), ErrorCode::InvalidArgument));
}

}  // namespace
}  // namespace volumes::devices
