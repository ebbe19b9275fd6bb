// A thin pool, a thin volume and a held metadata snapshot that thin_dump can read, against the
// guest's real dm-thin (kernel-targets.md §3).
#include <array>
#include <cstdio>
#include <memory>

#include <gtest/gtest.h>

#include "kmod/device_mapper.hpp"
#include "kmod/kernel_targets.hpp"
#include "kmod/status/thin_pool_status.hpp"
#include "kmod/status/thin_status.hpp"
#include "kmod/tables/thin_pool_table.hpp"
#include "kmod/tables/thin_table.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/dm_cleanup.hpp"
#include "tests/kernel/support/loop_device.hpp"

namespace volumes::kmod {
namespace {

using test::LoopDevice;

constexpr std::uint64_t mib = 1 << 20;
const std::string pool_name = "volumes-test-pool";
const std::string thin_name = "volumes-test-thin";

ThinPoolStatus pool_status()
{
    auto lines = dm::status(DeviceId::by_name(pool_name), true);
    if (!lines || lines->size() != 1)
        throw std::runtime_error("no status for the pool");
    auto status = parse_thin_pool_status(lines->front().params);
    if (!status)
        throw std::runtime_error(status.error().message);
    return *status;
}

// thin_dump is the tool a backup program runs on the held snapshot; the test runs it the same way.
std::string run(const std::string& command)
{
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen((command + " 2>&1").c_str(), "r"), ::pclose);
    if (!pipe)
        throw std::runtime_error("cannot run " + command);
    std::string output;
    std::array<char, 4096> buffer{};
    while (const auto size = std::fread(buffer.data(), 1, buffer.size(), pipe.get()))
        output.append(buffer.data(), size);
    return output;
}

TEST(ThinMetadataSnapshot, ReserveShowsAHeldRootThatThinDumpReads)
{
    auto targets = KernelTargets::open();
    ASSERT_TRUE(targets) << targets.error().message;
    ASSERT_TRUE(targets->require(Feature::ThinMetadataSnapshot));

    LoopDevice metadata(8 * mib), data(64 * mib);
    test::DmCleanup cleanup;
    cleanup.add(pool_name);
    cleanup.add(thin_name);

    ThinPoolTable pool_table;
    pool_table.length = data.size_sectors();
    pool_table.metadata = metadata.number();
    pool_table.data = data.number();
    pool_table.block_size = 128;  // 64 KiB blocks
    pool_table.low_water_mark = 16;
    auto pool_line = thin_pool_table_line(pool_table);
    ASSERT_TRUE(pool_line) << pool_line.error().message;
    UdevCookie cookie;
    auto pool = dm::create({pool_name, "VOLUMES-TEST-pool", false}, {*pool_line}, cookie);
    ASSERT_TRUE(pool) << pool.error().message;
    const auto pool_device = DeviceId::by_name(pool_name);

    auto created_thin = dm::message(pool_device, "create_thin 1");
    ASSERT_TRUE(created_thin) << created_thin.error().message;
    auto advanced = dm::message(pool_device, "set_transaction_id 0 1");
    ASSERT_TRUE(advanced) << advanced.error().message;
    auto stale = dm::message(pool_device, "set_transaction_id 0 2");
    EXPECT_FALSE(stale) << "set_transaction_id is a compare-and-swap";

    ThinTable thin_table{32 * mib / 512, pool->number, 1, std::nullopt};
    auto thin_line = thin_table_line(thin_table);
    ASSERT_TRUE(thin_line) << thin_line.error().message;
    auto thin = dm::create({thin_name, "VOLUMES-TEST-thin", false}, {*thin_line}, cookie);
    ASSERT_TRUE(thin) << thin.error().message;
    ASSERT_TRUE(cookie.wait());

    test::write_pattern("/dev/mapper/" + thin_name, 0, 4 * mib, 5);
    EXPECT_TRUE(test::holds_pattern("/dev/mapper/" + thin_name, 0, 4 * mib, 5));

    auto thin_lines = dm::status(DeviceId::by_name(thin_name));
    ASSERT_TRUE(thin_lines);
    auto thin_status = parse_thin_status(thin_lines->front().params);
    ASSERT_TRUE(thin_status) << thin_status.error().message;
    EXPECT_EQ(thin_status->mapped_sectors, 4 * mib / 512);

    const auto before = pool_status();
    EXPECT_EQ(before.transaction_id, 1u);
    EXPECT_FALSE(before.held_root);
    EXPECT_EQ(before.used_data_blocks, 4 * mib / (64 * 1024));

    auto reserved = dm::message(pool_device, "reserve_metadata_snap");
    ASSERT_TRUE(reserved) << reserved.error().message;
    const auto held = pool_status();
    ASSERT_TRUE(held.held_root) << "reserve_metadata_snap should show a held root";
    EXPECT_GT(*held.held_root, 0u);

    auto second = dm::message(pool_device, "reserve_metadata_snap");
    ASSERT_FALSE(second) << "only one metadata snapshot can be held";
    EXPECT_EQ(second.error().code, ErrorCode::Busy) << second.error().message;
    EXPECT_EQ(pool_status().held_root, held.held_root) << "a refused reserve must not change the held root";

    const auto dump = run("thin_dump --metadata-snap=" + std::to_string(*held.held_root) + " " + metadata.path());
    EXPECT_NE(dump.find("dev_id=\"1\""), std::string::npos) << dump;
    EXPECT_NE(dump.find("mapped_blocks=\"64\""), std::string::npos) << dump;
    EXPECT_NE(dump.find("transaction=\"1\""), std::string::npos) << dump;

    auto released = dm::message(pool_device, "release_metadata_snap");
    ASSERT_TRUE(released) << released.error().message;
    EXPECT_FALSE(pool_status().held_root);
    auto release_again = dm::message(pool_device, "release_metadata_snap");
    EXPECT_FALSE(release_again) << "releasing with nothing held must fail";
}

}  // namespace
}  // namespace volumes::kmod
