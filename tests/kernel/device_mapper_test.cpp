// The libdevmapper task wrappers against the guest's real kernel, on loop devices.
#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "kmod/device_mapper.hpp"
#include "kmod/dm_event_poller.hpp"
#include "kmod/kernel_targets.hpp"
#include "kmod/tables/linear_table.hpp"
#include "kmod/tables/error_table.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/dm_cleanup.hpp"
#include "tests/kernel/support/loop_device.hpp"

namespace volumes::kmod {
namespace {

using test::DmCleanup;
using test::LoopDevice;

constexpr std::uint64_t mib = 1 << 20;

class DeviceMapperTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(KernelTargets::open()); }

    Table linear_over(const LoopDevice& loop)
    {
        const LinearSegment segment{loop.number(), 0, loop.size_sectors()};
        auto table = linear_table(std::span(&segment, 1));
        EXPECT_TRUE(table) << table.error().message;
        return *table;
    }

    DeviceInfo create(const std::string& name, const Table& table, bool read_only = false)
    {
        cleanup_.add(name);
        UdevCookie cookie;
        auto created = dm::create({name, "VOLUMES-TEST-" + name, read_only}, table, cookie);
        EXPECT_TRUE(created) << created.error().message;
        EXPECT_TRUE(cookie.wait());
        return created ? *created : DeviceInfo{};
    }

    DmCleanup cleanup_;
};

TEST_F(DeviceMapperTest, CreatesALinearDeviceThatMapsItsLoopDeviceAndRemovesIt)
{
    LoopDevice disk(16 * mib);
    test::write_pattern(disk.path(), 0, 16 * mib, 1);
    const auto table = linear_over(disk);
    const auto created = create("volumes-test-linear", table);
    ASSERT_TRUE(created.exists);
    EXPECT_TRUE(created.live_table);
    EXPECT_FALSE(created.suspended);
    EXPECT_FALSE(created.inactive_table);
    EXPECT_EQ(created.uuid, "VOLUMES-TEST-volumes-test-linear");

    // udev ran and answered the cookie: the node is there.
    EXPECT_TRUE(std::filesystem::exists("/dev/mapper/volumes-test-linear"));

    auto live = dm::table(DeviceId::by_name("volumes-test-linear"));
    ASSERT_TRUE(live) << live.error().message;
    EXPECT_EQ(*live, table);
    EXPECT_TRUE(test::holds_pattern("/dev/mapper/volumes-test-linear", 0, 16 * mib, 1));

    UdevCookie cookie;
    auto removed = dm::remove(DeviceId::by_uuid("VOLUMES-TEST-volumes-test-linear"), cookie);
    ASSERT_TRUE(removed) << removed.error().message;
    ASSERT_TRUE(cookie.wait());
    auto gone = dm::info(DeviceId::by_name("volumes-test-linear"));
    ASSERT_TRUE(gone) << gone.error().message;
    EXPECT_FALSE(gone->exists);
    EXPECT_FALSE(std::filesystem::exists("/dev/mapper/volumes-test-linear"));
}

TEST_F(DeviceMapperTest, ReloadIsInactiveUntilResumeAndClearDropsIt)
{
    LoopDevice first(8 * mib);
    LoopDevice second(8 * mib);
    test::write_pattern(first.path(), 0, 8 * mib, 10);
    test::write_pattern(second.path(), 0, 8 * mib, 20);
    create("volumes-test-reload", linear_over(first));
    const auto device = DeviceId::by_name("volumes-test-reload");

    ASSERT_TRUE(dm::reload(device, linear_over(second)));
    auto loaded = dm::info(device);
    ASSERT_TRUE(loaded);
    EXPECT_TRUE(loaded->inactive_table);
    EXPECT_TRUE(test::holds_pattern("/dev/mapper/volumes-test-reload", 0, 8 * mib, 10)) << "reload went live early";

    ASSERT_TRUE(dm::clear_inactive(device));
    auto cleared = dm::info(device);
    ASSERT_TRUE(cleared);
    EXPECT_FALSE(cleared->inactive_table);

    ASSERT_TRUE(dm::reload(device, linear_over(second)));
    auto suspended = dm::suspend(device, {.no_flush = true, .skip_lockfs = true});
    ASSERT_TRUE(suspended) << suspended.error().message;
    auto while_suspended = dm::info(device);
    ASSERT_TRUE(while_suspended);
    EXPECT_TRUE(while_suspended->suspended);

    UdevCookie cookie;
    ASSERT_TRUE(dm::resume(device, cookie, kmod::UdevIdentity::Visible));
    ASSERT_TRUE(cookie.wait());
    auto resumed = dm::info(device);
    ASSERT_TRUE(resumed);
    EXPECT_FALSE(resumed->suspended);
    EXPECT_FALSE(resumed->inactive_table);
    EXPECT_TRUE(test::holds_pattern("/dev/mapper/volumes-test-reload", 0, 8 * mib, 20));
}

TEST_F(DeviceMapperTest, AnErrorTableFailsEveryRead)
{
    create("volumes-test-error", {error_table_line(2048)});
    EXPECT_THROW(test::digest("/dev/mapper/volumes-test-error", 0, 4096), std::runtime_error);
}

TEST_F(DeviceMapperTest, AReadOnlyDeviceRefusesWrites)
{
    LoopDevice disk(8 * mib);
    const auto created = create("volumes-test-readonly", linear_over(disk), true);
    EXPECT_TRUE(created.read_only);
    EXPECT_TRUE(test::refuses_writes("/dev/mapper/volumes-test-readonly"));
}

TEST_F(DeviceMapperTest, FailuresAreTypedAndNameTheDevice)
{
    LoopDevice disk(8 * mib);
    create("volumes-test-errors", linear_over(disk));

    UdevCookie cookie;
    auto duplicate = dm::create({"volumes-test-errors", "VOLUMES-TEST-other", false}, linear_over(disk), cookie);
    ASSERT_FALSE(duplicate);
    EXPECT_EQ(duplicate.error().code, ErrorCode::AlreadyExists) << duplicate.error().message;
    EXPECT_NE(duplicate.error().message.find("volumes-test-errors"), std::string::npos);

    auto missing = dm::remove(DeviceId::by_name("volumes-test-missing"), cookie);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::NotFound) << missing.error().message;
    EXPECT_NE(missing.error().message.find("volumes-test-missing"), std::string::npos);

    auto no_message = dm::message(DeviceId::by_name("volumes-test-errors"), "resync");
    ASSERT_FALSE(no_message) << "linear takes no messages";

    // Tables the kernel refuses at load time; the live table stays and nothing is left loaded.
    const Table unknown_target{{0, 2048, "nosuchtarget", ""}};
    const Table bad_offset{{0, 2048, "linear", disk.number().to_string() + " not-a-sector"}};
    for (const auto& bad : {unknown_target, bad_offset}) {
        auto refused = dm::reload(DeviceId::by_name("volumes-test-errors"), bad);
        ASSERT_FALSE(refused) << to_string(bad);
        EXPECT_EQ(refused.error().code, ErrorCode::InvalidArgument) << refused.error().message;
        auto unchanged = dm::info(DeviceId::by_name("volumes-test-errors"));
        ASSERT_TRUE(unchanged);
        EXPECT_FALSE(unchanged->inactive_table);
        EXPECT_TRUE(unchanged->live_table);
    }
    ASSERT_TRUE(cookie.wait());
}

TEST_F(DeviceMapperTest, ListsDevicesWithTheirNumbers)
{
    LoopDevice disk(8 * mib);
    const auto created = create("volumes-test-listed", linear_over(disk));
    auto devices = dm::list();
    ASSERT_TRUE(devices) << devices.error().message;
    bool found = false;
    for (const auto& device : *devices)
        found = found || (device.name == "volumes-test-listed" && device.number == created.number);
    EXPECT_TRUE(found);
}

TEST_F(DeviceMapperTest, EventPollerTimesOutWhenNothingHappens)
{
    auto poller = DmEventPoller::open();
    ASSERT_TRUE(poller) << poller.error().message;
    ASSERT_TRUE(poller->arm());
    auto woke = poller->wait(std::chrono::milliseconds(200));
    ASSERT_TRUE(woke) << woke.error().message;
    EXPECT_FALSE(*woke);
}

}  // namespace
}  // namespace volumes::kmod
