// The raid1 split-track / merge cycle volumesd is built around, driven through kmod/ alone
// against the guest's real dm-raid (kernel-targets.md §1.4, §1.5).
#include <gtest/gtest.h>

#include "kmod/device_mapper.hpp"
#include "kmod/kernel_targets.hpp"
#include "kmod/tables/linear_table.hpp"
#include "kmod/tables/raid1_table.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/dm_cleanup.hpp"
#include "tests/kernel/support/loop_device.hpp"
#include "tests/kernel/support/raid_waiter.hpp"

namespace volumes::kmod {
namespace {

using test::LoopDevice;

constexpr std::uint64_t mib = 1 << 20;
constexpr std::uint64_t leg_bytes = 128 * mib;
constexpr std::uint64_t region_sectors = 1024;  // 512 KiB bitmap regions
constexpr std::uint64_t region_bytes = region_sectors * 512;
const std::string array_name = "volumes-test-raid1";
const std::string array_path = "/dev/mapper/" + array_name;

Raid1Table raid1_over(const LoopDevice& meta0, const LoopDevice& data0, const LoopDevice* meta1, const LoopDevice* data1)
{
    Raid1Table table;
    table.length = data0.size_sectors();
    table.region_size = region_sectors;
    table.legs.push_back({meta0.number(), data0.number()});
    if (meta1 && data1)
        table.legs.push_back({meta1->number(), data1->number()});
    else
        table.legs.push_back({});  // "- -": the split slot
    return table;
}

void reload_and_resume(const std::string& name, const TableLine& line)
{
    const auto device = DeviceId::by_name(name);
    auto reloaded = dm::reload(device, {line});
    ASSERT_TRUE(reloaded) << reloaded.error().message;
    if (auto state = dm::info(device); state && state->live_table) {
        auto suspended = dm::suspend(device);
        ASSERT_TRUE(suspended) << suspended.error().message;
    }
    UdevCookie cookie;
    auto resumed = dm::resume(device, cookie, kmod::UdevIdentity::Visible);
    ASSERT_TRUE(resumed) << resumed.error().message;
    ASSERT_TRUE(cookie.wait());
}

// A suspend makes md write its superblocks from memory (raid_postsuspend → md_stop_writes).
void suspend_and_resume(const std::string& name)
{
    const auto device = DeviceId::by_name(name);
    auto suspended = dm::suspend(device, {.no_flush = false, .skip_lockfs = true});
    ASSERT_TRUE(suspended) << suspended.error().message;
    UdevCookie cookie;
    auto resumed = dm::resume(device, cookie, kmod::UdevIdentity::Visible);
    ASSERT_TRUE(resumed) << resumed.error().message;
    ASSERT_TRUE(cookie.wait());
}

TEST(Raid1SplitMerge, MergeResyncsOnlyTheRegionsWrittenWhileSplit)
{
    auto targets = KernelTargets::open();
    ASSERT_TRUE(targets) << targets.error().message;
    ASSERT_TRUE(targets->require(Feature::Raid1SplitTrack));

    LoopDevice meta0(4 * mib), data0(leg_bytes), meta1(4 * mib), data1(leg_bytes);
    test::DmCleanup cleanup;
    cleanup.add(array_name);

    // Create: a fresh two-leg raid1 does a full initial resync; wait for it by dm events.
    // The device is made empty first so its event counter is read before the sync can start.
    auto created_line = raid1_table_line(raid1_over(meta0, data0, &meta1, &data1));
    ASSERT_TRUE(created_line) << created_line.error().message;
    UdevCookie cookie;
    auto created = dm::create({array_name, "VOLUMES-TEST-raid1", false}, {}, cookie);
    ASSERT_TRUE(created) << created.error().message;
    ASSERT_TRUE(cookie.wait());
    reload_and_resume(array_name, *created_line);
    const auto initial = test::wait_until_raid_synced(array_name, created->event_nr);
    RecordProperty("initial_sync_wakeups", initial.wakeups);
    ASSERT_EQ(initial.status.health.size(), 2u);
    EXPECT_EQ(initial.status.health[0], RaidDeviceHealth::InSync);
    EXPECT_EQ(initial.status.health[1], RaidDeviceHealth::InSync);

    // The per-device wait returns at once for a stale event number, with the status in the answer.
    auto waited = dm::wait_event(DeviceId::by_name(array_name), created->event_nr);
    ASSERT_TRUE(waited) << waited.error().message;
    ASSERT_EQ(waited->status.size(), 1u);
    auto waited_status = parse_raid_status(waited->status.front().params);
    ASSERT_TRUE(waited_status) << waited_status.error().message;
    EXPECT_TRUE(waited_status->is_synced());

    test::write_pattern(array_path, 0, leg_bytes, 7);

    // Split: slot 1 becomes "- -"; the array keeps serving I/O on leg 0.
    auto split_line = raid1_table_line(raid1_over(meta0, data0, nullptr, nullptr));
    ASSERT_TRUE(split_line) << split_line.error().message;
    EXPECT_NE(split_line->params.find(" - -"), std::string::npos) << split_line->params;
    reload_and_resume(array_name, *split_line);
    const auto split = test::raid_status_of(array_name);
    ASSERT_EQ(split.health.size(), 2u);
    EXPECT_EQ(split.health[0], RaidDeviceHealth::InSync);
    EXPECT_EQ(split.health[1], RaidDeviceHealth::Missing);

    // The detached leg equals the array at the moment of the split, and a read-only mapping of
    // it refuses writes.
    const auto array_at_split = test::digest(array_path, 0, leg_bytes);
    EXPECT_EQ(test::digest(data1.path(), 0, leg_bytes), array_at_split);
    EXPECT_TRUE(test::holds_pattern(data1.path(), 0, leg_bytes, 7));
    {
        const std::string image_name = "volumes-test-raid1-image";
        test::DmCleanup image_cleanup;
        image_cleanup.add(image_name);
        const LinearSegment whole{data1.number(), 0, data1.size_sectors()};
        auto image_table = linear_table(std::span(&whole, 1));
        ASSERT_TRUE(image_table);
        UdevCookie image_cookie;
        auto image = dm::create({image_name, "VOLUMES-TEST-raid1-image", true}, *image_table, image_cookie);
        ASSERT_TRUE(image) << image.error().message;
        ASSERT_TRUE(image_cookie.wait());
        EXPECT_TRUE(test::refuses_writes("/dev/mapper/" + image_name));
        EXPECT_EQ(test::digest("/dev/mapper/" + image_name, 0, leg_bytes), array_at_split);
    }

    // Writes while split: 4 MiB over 8 whole regions, and 4 KiB inside one more.
    const std::uint64_t block_offset = 32 * mib;
    const std::uint64_t block_bytes = 4 * mib;
    const std::uint64_t small_offset = 100 * mib + 4096;
    const std::uint64_t small_bytes = 4096;
    const auto leg1_writes_before = data1.sectors_written();
    test::write_pattern(array_path, block_offset, block_bytes, 8);
    test::write_pattern(array_path, small_offset, small_bytes, 9);
    EXPECT_NE(test::digest(array_path, 0, leg_bytes), test::digest(data1.path(), 0, leg_bytes));
    EXPECT_EQ(data1.sectors_written(), leg1_writes_before) << "the split leg must not be written while split";

    // Merge: the leg goes back into its slot without "rebuild"; only the dirty regions resync.
    // First the superblocks are rewritten from the split array's memory, so they mark the
    // missing slot failed: after the split, the old table's teardown can leave them without
    // that mark, and md then takes the returning leg for in sync and resyncs nothing (seen
    // rarely here, and every time in the engine's split after a crash).
    suspend_and_resume(array_name);
    auto merge_line = raid1_table_line(raid1_over(meta0, data0, &meta1, &data1));
    ASSERT_TRUE(merge_line);
    EXPECT_EQ(merge_line->params.find("rebuild"), std::string::npos);
    const auto before_merge = dm::info(DeviceId::by_name(array_name));
    ASSERT_TRUE(before_merge);
    reload_and_resume(array_name, *merge_line);
    const auto merged = test::wait_until_raid_synced(array_name, before_merge->event_nr);
    EXPECT_EQ(merged.status.health[0], RaidDeviceHealth::InSync);
    EXPECT_EQ(merged.status.health[1], RaidDeviceHealth::InSync);

    const auto array_after = test::digest(array_path, 0, leg_bytes);
    EXPECT_EQ(test::digest(data0.path(), 0, leg_bytes), array_after);
    EXPECT_EQ(test::digest(data1.path(), 0, leg_bytes), array_after) << "legs differ after the merge";
    EXPECT_TRUE(test::holds_pattern(data1.path(), block_offset, block_bytes, 8));
    EXPECT_TRUE(test::holds_pattern(data1.path(), small_offset, small_bytes, 9));

    const auto dirty_regions = block_bytes / region_bytes + 1;
    const auto resync_limit = dirty_regions * region_sectors;
    const auto resynced = data1.sectors_written() - leg1_writes_before;
    RecordProperty("merge_resync_sectors", std::to_string(resynced));
    RecordProperty("dirty_region_sectors", std::to_string(resync_limit));
    EXPECT_GE(resynced, (block_bytes + small_bytes) / 512) << "the merge must copy at least what was written";
    EXPECT_LE(resynced, resync_limit) << "the merge wrote more than the dirty regions";
    EXPECT_LT(resynced * 10, leg_bytes / 512) << "a merge should be far less than a full rebuild";
}

}  // namespace
}  // namespace volumes::kmod
