// A CoW snapshot and its merge back into the origin through snapshot-merge, in the order
// kernel-targets.md §2.4 documents, against the guest's real dm-snapshot.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "kmod/device_mapper.hpp"
#include "kmod/kernel_targets.hpp"
#include "kmod/status/snapshot_status.hpp"
#include "kmod/tables/error_table.hpp"
#include "kmod/tables/linear_table.hpp"
#include "kmod/tables/snapshot_table.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/dm_cleanup.hpp"
#include "tests/kernel/support/loop_device.hpp"

namespace volumes::kmod {
namespace {

using test::LoopDevice;

constexpr std::uint64_t mib = 1 << 20;
constexpr std::uint64_t origin_bytes = 32 * mib;
const std::string real_name = "volumes-test-origin-real";
const std::string cow_name = "volumes-test-snap-cow";
const std::string origin_name = "volumes-test-origin";
const std::string snapshot_name = "volumes-test-snap";
const std::string origin_path = "/dev/mapper/" + origin_name;
const std::string snapshot_path = "/dev/mapper/" + snapshot_name;

Table linear_over(const LoopDevice& loop)
{
    const LinearSegment whole{loop.number(), 0, loop.size_sectors()};
    auto table = linear_table(std::span(&whole, 1));
    if (!table)
        throw std::runtime_error(table.error().message);
    return *table;
}

DeviceInfo create(const std::string& name, const Table& table)
{
    UdevCookie cookie;
    auto created = dm::create({name, "VOLUMES-TEST-" + name, false}, table, cookie);
    if (!created)
        throw std::runtime_error(created.error().message);
    if (auto waited = cookie.wait(); !waited)
        throw std::runtime_error(waited.error().message);
    return *created;
}

SnapshotStatus snapshot_status_of(const std::string& name)
{
    auto lines = dm::status(DeviceId::by_name(name));
    if (!lines || lines->size() != 1)
        throw std::runtime_error("no status for " + name);
    auto status = parse_snapshot_status(lines->front().params);
    if (!status)
        throw std::runtime_error(status.error().message);
    return *status;
}

void expect_ok(const Result<void>& result)
{
    ASSERT_TRUE(result) << result.error().message;
}

TEST(SnapshotMerge, HandoverRollsTheOriginBackToTheSnapshot)
{
    auto targets = KernelTargets::open();
    ASSERT_TRUE(targets) << targets.error().message;
    ASSERT_TRUE(targets->require(Feature::Snapshot));
    ASSERT_TRUE(targets->require(Feature::SnapshotMerge));

    LoopDevice base(origin_bytes), cow_disk(16 * mib);
    test::DmCleanup cleanup;
    for (const auto& name : {real_name, cow_name, origin_name, snapshot_name})
        cleanup.add(name);

    // lvm's layout: origin = snapshot-origin over -real, snapshot = snapshot over -real and -cow.
    const auto real = create(real_name, linear_over(base));
    const auto cow = create(cow_name, linear_over(cow_disk));
    auto origin_line = snapshot_origin_table_line(base.size_sectors(), real.number);
    ASSERT_TRUE(origin_line) << origin_line.error().message;
    create(origin_name, {*origin_line});
    test::write_pattern(origin_path, 0, origin_bytes, 1);

    SnapshotTable snapshot;
    snapshot.length = base.size_sectors();
    snapshot.origin = real.number;
    snapshot.cow = cow.number;
    snapshot.store = SnapshotStore::Persistent;
    snapshot.chunk_size = 8;
    auto snapshot_line = snapshot_table_line(snapshot);
    ASSERT_TRUE(snapshot_line) << snapshot_line.error().message;

    // The origin is suspended while the snapshot target is loaded.
    const auto origin = DeviceId::by_name(origin_name);
    expect_ok(dm::suspend(origin, {.no_flush = false, .skip_lockfs = false}));
    create(snapshot_name, {*snapshot_line});
    {
        UdevCookie cookie;
        expect_ok(dm::resume(origin, cookie, kmod::UdevIdentity::Visible));
    }

    // Writes to the origin after the snapshot: the snapshot still shows the old data.
    test::write_pattern(origin_path, 4 * mib, 4 * mib, 2);
    test::write_pattern(origin_path, 20 * mib, 1 * mib, 3);
    EXPECT_TRUE(test::holds_pattern(snapshot_path, 0, origin_bytes, 1));
    EXPECT_TRUE(test::holds_pattern(origin_path, 4 * mib, 4 * mib, 2));
    const auto used = snapshot_status_of(snapshot_name);
    ASSERT_EQ(used.state, SnapshotState::Active);
    ASSERT_TRUE(used.has_metadata_sectors());
    EXPECT_GE(used.allocated_sectors - *used.metadata_sectors, (5 * mib) / 512);

    // Handover (§2.4): preload snapshot-merge on the origin and error on the snapshot, suspend
    // both, resume the origin first (it takes over the COW from the suspended snapshot), then
    // the snapshot onto its error table; its old table is never resumed.
    const auto snapshot_device = DeviceId::by_name(snapshot_name);
    auto merge_line = snapshot_merge_table_line(snapshot);
    ASSERT_TRUE(merge_line) << merge_line.error().message;
    expect_ok(dm::reload(origin, {*merge_line}));
    expect_ok(dm::reload(snapshot_device, {error_table_line(snapshot.length)}));
    expect_ok(dm::suspend(snapshot_device, {.no_flush = false, .skip_lockfs = false}));
    expect_ok(dm::suspend(origin, {.no_flush = false, .skip_lockfs = false}));
    {
        UdevCookie cookie;
        expect_ok(dm::resume(origin, cookie, kmod::UdevIdentity::Visible));
        expect_ok(dm::resume(snapshot_device, cookie, kmod::UdevIdentity::Visible));
        expect_ok(cookie.wait());
    }
    auto origin_table = dm::table(origin);
    ASSERT_TRUE(origin_table);
    ASSERT_EQ(origin_table->size(), 1u);
    EXPECT_EQ(origin_table->front().target_type, "snapshot-merge");

    // The kernel raises no event when the merge ends: poll the no-flush status.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    SnapshotStatus merging;
    do {
        merging = snapshot_status_of(origin_name);
        ASSERT_NE(merging.state, SnapshotState::MergeFailed);
        ASSERT_NE(merging.state, SnapshotState::Invalid);
        if (merging.merge_finished())
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (std::chrono::steady_clock::now() < deadline);
    ASSERT_TRUE(merging.merge_finished()) << merging.allocated_sectors << " sectors still allocated";

    EXPECT_TRUE(test::holds_pattern(origin_path, 0, origin_bytes, 1)) << "origin does not hold the snapshot's data";
    EXPECT_THROW(test::digest(snapshot_path, 0, 4096), std::runtime_error) << "the merged snapshot must read as error";

    // Back to a plain origin: the origin maps the base disk, the snapshot, cow and -real go.
    expect_ok(dm::reload(origin, linear_over(base)));
    expect_ok(dm::suspend(origin, {.no_flush = false, .skip_lockfs = false}));
    {
        UdevCookie cookie;
        expect_ok(dm::resume(origin, cookie, kmod::UdevIdentity::Visible));
        expect_ok(dm::remove(snapshot_device, cookie));
        expect_ok(dm::remove(DeviceId::by_name(cow_name), cookie));
        expect_ok(dm::remove(DeviceId::by_name(real_name), cookie));
        expect_ok(cookie.wait());
    }
    EXPECT_TRUE(test::holds_pattern(origin_path, 0, origin_bytes, 1));
    EXPECT_TRUE(test::holds_pattern(base.path(), 0, origin_bytes, 1));
}

}  // namespace
}  // namespace volumes::kmod
