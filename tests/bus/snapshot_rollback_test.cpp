// Snapshot rollback over the bus (kernel-targets.md §2): an installer snapshots the root
// volume, the update goes wrong, and merging the snapshot back through snapshot-merge gives
// the origin its old files; while the origin is open the merge waits for its next
// activation or the daemon's next start; an overflowed snapshot cannot be merged.
#include <fcntl.h>
#include <unistd.h>

#include "ext4_files.hpp"
#include "tests/devices/disk_setup.hpp"
#include "snapshot_fixture.hpp"
#include "state_snapshot.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "volumesd_control.hpp"

namespace volumes::test {
namespace {

using namespace std::chrono_literals;

// An open file descriptor on a device, closed on release() or destruction.
class HeldOpen {
public:
    explicit HeldOpen(const std::string& device) : fd_(::open(device.c_str(), O_RDONLY))
    {
        if (fd_ < 0)
            throw std::runtime_error("cannot open " + device);
    }
    ~HeldOpen() { release(); }
    HeldOpen(const HeldOpen&) = delete;
    HeldOpen& operator=(const HeldOpen&) = delete;
    void release()
    {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

class BusSnapshotRollback : public BusSnapshot {};

TEST_F(BusSnapshotRollback, MergeGivesTheOriginBackItsFilesAsAtTheSnapshot)
{
    const auto origin = linear_origin("installer");
    make_ext4(origin.device);
    MountedExt4 root(origin.device);
    root.write_file("kernel", 2 * mib, 1);
    root.write_file("config", 4096, 2);
    root.write_file("packages.db", 512 * 1024, 3);
    const auto before_update = root.digests();
    ASSERT_EQ(before_update.size(), 3u);

    // The snapshot is taken of the mounted filesystem; the origin is frozen meanwhile.
    const auto snapshot = create_snapshot(origin.volume, "before-update", 16 * mib);
    EXPECT_EQ(property_as<std::string>(snapshot, volume_interface, "Kind"), "snapshot");
    EXPECT_EQ(property_as<sdbus::ObjectPath>(snapshot, snapshot_interface, "Origin"), origin.volume);
    EXPECT_EQ(property_as<sdbus::ObjectPath>(snapshot, volume_interface, "Origin"), origin.volume);
    EXPECT_EQ(property_as<std::string>(snapshot, snapshot_interface, "MergeState"), "none");
    EXPECT_FALSE(property_as<bool>(snapshot, snapshot_interface, "Invalid"));
    EXPECT_EQ(property_as<std::uint64_t>(snapshot, snapshot_interface, "TotalSectors"), 16 * mib / 512);
    const auto devices = pool_devices(origin.pool_name);
    EXPECT_NE(devices.at("volumes-installer-root").find(" snapshot-origin "), std::string::npos);
    EXPECT_NE(devices.at("volumes-installer-before--update").find(" snapshot "), std::string::npos);
    EXPECT_TRUE(devices.contains("volumes-installer-root_real"));
    EXPECT_TRUE(devices.contains("volumes-installer-before--update_cow"));

    // The update goes wrong.
    root.write_file("kernel", 3 * mib, 11);
    root.remove_file("config");
    root.write_file("new-package", 1 * mib, 12);
    EXPECT_NE(root.digests(), before_update);
    root.unmount();
    // No call changes anything here: the daemon follows the COW's usage on its own.
    EXPECT_TRUE(pump_until(
        *bus, [&] { return property_as<std::uint64_t>(snapshot, snapshot_interface, "UsedSectors") > 0; }, 10s))
        << "UsedSectors stayed 0 although the update wrote to the origin";

    SignalRecorder recorder(*bus, volumes_signals_match());
    const auto job = merge_snapshot(snapshot);
    ASSERT_NE(job, "/") << "the merge was deferred although nothing holds the origin open";
    EXPECT_EQ(property_as<std::string>(job, job_interface, "Operation"), "snapshot-merge");
    const auto completed = wait_merge_completed(recorder, snapshot);
    ASSERT_TRUE(completed);
    EXPECT_TRUE(completed->success) << completed->message;
    EXPECT_EQ(completed->object, origin.volume);
    std::optional<RecordedSignal> job_completed;
    pump_until(
        *bus,
        [&] {
            job_completed = recorder.find([&](const RecordedSignal& s) { return s.member == "Completed" && s.path == job; });
            return job_completed.has_value();
        },
        10s);
    ASSERT_TRUE(job_completed) << recorder.describe();
    EXPECT_TRUE(job_completed->success) << job_completed->message;
    expect_plain_origin(origin, snapshot);

    MountedExt4 rolled_back(origin.device);
    EXPECT_EQ(rolled_back.digests(), before_update) << "the origin does not hold the files as at the snapshot";
}

TEST_F(BusSnapshotRollback, MergeWhileTheOriginIsOpenWaitsForItsNextActivation)
{
    const auto origin = linear_origin("deferred");
    write_pattern(origin.device, 0, origin.size, 21);
    const auto snapshot = create_snapshot(origin.volume, "snap", 8 * mib);
    write_pattern(origin.device, 4 * mib, 2 * mib, 22);

    HeldOpen held(origin.device);
    const auto tables_before = pool_devices(origin.pool_name);
    EXPECT_EQ(merge_snapshot(snapshot), "/") << "the merge started although the origin is open";
    EXPECT_EQ(property_as<std::string>(snapshot, snapshot_interface, "MergeState"), "pending");
    EXPECT_EQ(pool_devices(origin.pool_name), tables_before) << "a pending merge changed a dm table";
    EXPECT_TRUE(holds_pattern(origin.device, 4 * mib, 2 * mib, 22));

    // Activate while it is still open changes nothing; once closed it starts the merge.
    SignalRecorder recorder(*bus, volumes_signals_match());
    call_volume(origin.volume, "Activate");
    EXPECT_EQ(property_as<std::string>(snapshot, snapshot_interface, "MergeState"), "pending");
    held.release();
    call_volume(origin.volume, "Activate");
    const auto completed = wait_merge_completed(recorder, snapshot);
    ASSERT_TRUE(completed);
    EXPECT_TRUE(completed->success) << completed->message;
    expect_plain_origin(origin, snapshot);
    EXPECT_TRUE(holds_pattern(origin.device, 0, origin.size, 21)) << "the origin was not rolled back";
}

TEST_F(BusSnapshotRollback, APendingMergeStartsWhenTheDaemonStartsAgain)
{
    const auto origin = linear_origin("reboot");
    write_pattern(origin.device, 0, origin.size, 31);
    const auto snapshot = create_snapshot(origin.volume, "snap", 8 * mib);
    write_pattern(origin.device, 0, 3 * mib, 32);
    {
        HeldOpen held(origin.device);
        EXPECT_EQ(merge_snapshot(snapshot), "/");
    }
    SignalRecorder recorder(*bus, volumes_signals_match());
    stop_volumesd(*bus);
    // Any call starts volumesd again, which starts the pending merge before it serves.
    EXPECT_TRUE(exported_objects(*bus).contains(snapshot));
    const auto completed = wait_merge_completed(recorder, snapshot);
    ASSERT_TRUE(completed);
    EXPECT_TRUE(completed->success) << completed->message;
    expect_plain_origin(origin, snapshot);
    EXPECT_TRUE(holds_pattern(origin.device, 0, origin.size, 31)) << "the origin was not rolled back";
}

TEST_F(BusSnapshotRollback, AnOverflowedSnapshotIsInvalidAndItsMergeIsRefused)
{
    const auto origin = linear_origin("overflow");
    const auto snapshot = create_snapshot(origin.volume, "small", 4 * mib);
    // Autoextend would grow the COW from the pool's free extents: off, so that it overflows.
    const auto off = call(*bus, {snapshot, snapshot_interface, "SetAutoextend", CallArguments().u(100).u(20).options().words()});
    ASSERT_TRUE(off.ok()) << off.describe();
    // Every chunk written to the origin is copied to the COW first: 8 MiB cannot fit in 4 MiB.
    write_pattern(origin.device, 0, 8 * mib, 41);
    wait_property(snapshot, snapshot_interface, "Invalid", true);

    const auto before = take_snapshot(*bus, loop_paths());
    const auto refused =
        call(*bus, {snapshot, snapshot_interface, "Merge", CallArguments().options().words()});
    EXPECT_EQ(refused.error, "org.example.Volumes.Error.NotSupported") << refused.describe();
    EXPECT_NE(refused.text.find("invalid"), std::string::npos) << refused.describe();
    const auto after = take_snapshot(*bus, loop_paths());
    for (const auto& difference : differences(before, after))
        ADD_FAILURE() << "the refused merge changed " << difference;
    EXPECT_EQ(property_as<std::string>(snapshot, snapshot_interface, "MergeState"), "none");

    // It can still be removed, which returns the origin to its plain stack.
    call_volume(snapshot, "Remove");
    expect_plain_origin(origin, snapshot);
    EXPECT_TRUE(holds_pattern(origin.device, 0, 8 * mib, 41));
}

TEST_F(BusSnapshotRollback, AnOriginWithASnapshotAndAMergingSnapshotAreNotRemoved)
{
    const auto origin = linear_origin("refusals");
    write_pattern(origin.device, 0, origin.size, 51);
    const auto snapshot = create_snapshot(origin.volume, "snap", 8 * mib);
    const auto removed = call(*bus, {origin.volume, volume_interface, "Remove", CallArguments().options().words()});
    EXPECT_EQ(removed.error, "org.example.Volumes.Error.InUse") << removed.describe();
    const auto nested = call(*bus, {snapshot, volume_interface, "CreateSnapshot",
                                    CallArguments().s("nested").t(4 * mib).options().words()});
    EXPECT_EQ(nested.error, "org.example.Volumes.Error.NotSupported") << nested.describe();
    const auto bad_chunk = call(*bus, {origin.volume, volume_interface, "CreateSnapshot",
                                       CallArguments().s("odd").t(4 * mib).options({{"chunk_size", "t", "6144"}}).words()});
    EXPECT_EQ(bad_chunk.error, "org.example.Volumes.Error.InvalidArgument") << bad_chunk.describe();

    HeldOpen held(origin.device);
    EXPECT_EQ(merge_snapshot(snapshot), "/");
    const auto second = call(*bus, {snapshot, snapshot_interface, "Merge", CallArguments().options().words()});
    EXPECT_EQ(second.error, "org.example.Volumes.Error.Busy") << second.describe();
    // A pending merge can be given up by removing the snapshot.
    call_volume(snapshot, "Remove");
    held.release();
    expect_plain_origin(origin, snapshot);
    EXPECT_TRUE(holds_pattern(origin.device, 0, origin.size, 51));
}

}  // namespace
}  // namespace volumes::test
