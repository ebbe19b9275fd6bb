// The backup story over the bus: a raid1 in sync, an image split off tracked that holds the
// array as it was and refuses writes, writes to the array meanwhile, and a merge that
// reports its progress and completion and resyncs only the regions written while split.
#include "raid1_fixture.hpp"
#include "resync_speed_limit.hpp"
#include "tests/kernel/support/block_io.hpp"

namespace volumes::test {
namespace {

class BusRaid1Backup : public BusRaid1 {};

TEST_F(BusRaid1Backup, SplitTrackWriteMergeResyncsOnlyWhatWasWritten)
{
    const auto mirror = synced_mirror("backup");
    const auto array_at_split = digest(mirror.device, 0, mirror.size);

    const auto image = split_track(mirror.volume, {{"allow_no_redundancy", "b", "true"}});
    EXPECT_EQ(property_as<std::string>(image, volume_interface, "Kind"), "tracked_image");
    EXPECT_TRUE(property_as<bool>(image, volume_interface, "ReadOnly"));
    EXPECT_EQ(property_as<sdbus::ObjectPath>(mirror.volume, raid1_interface, "TrackedImage"), image);
    const auto image_device = property_as<std::string>(image, volume_interface, "DevicePath");
    EXPECT_EQ(only_slave(image_device), mirror.leg_loop[1]->path()) << "the image is not slot 1's leg";
    EXPECT_EQ(digest(image_device, 0, mirror.size), array_at_split) << "the image differs from the array at the split";
    EXPECT_TRUE(holds_pattern(image_device, 0, mirror.size, 7));
    EXPECT_TRUE(refuses_writes(image_device)) << image_device << " accepted a write";

    write_while_split(mirror);
    EXPECT_EQ(digest(image_device, 0, mirror.size), array_at_split) << "writes to the array reached the image";

    // At full speed the nine dirty regions resync in milliseconds, before any progress
    // sample; at 1 MiB/s they take a few seconds.
    ResyncSpeedLimit slow(1024);
    SignalRecorder recorder(*bus, volumes_signals_match());
    const auto loop_before = mirror.leg_loop[1]->sectors_written();
    const auto job = merge(image);
    const auto completed = wait_completed(recorder, 0, job, std::chrono::seconds(120));
    slow.restore();
    ASSERT_TRUE(completed);
    EXPECT_TRUE(completed->success) << completed->message;

    const auto progress = recorder.find([&](const RecordedSignal& s) { return s.member == "SyncProgress" && s.path == mirror.volume; });
    ASSERT_TRUE(progress) << "no Raid1.SyncProgress during the merge; signals seen:\n" << recorder.describe();
    EXPECT_EQ(progress->total_sectors, mirror.size / 512);
    EXPECT_LE(progress->done_sectors, progress->total_sectors);
    EXPECT_GE(progress->ratio, 0.0);
    EXPECT_LE(progress->ratio, 1.0);
    EXPECT_EQ(property_as<std::string>(job, job_interface, "Operation"), "raid1-merge");
    // md's position crosses the whole array while only the dirty regions take time: a merge
    // job tells no rate and no end rather than wrong ones.
    for (const auto& signal : recorder.signals()) {
        if (signal.member != "PropertiesChanged" || signal.path != job || signal.interface != job_interface)
            continue;
        for (const auto* name : {"Rate", "ExpectedEndTime"}) {
            if (const auto value = signal.values.find(name); value != signal.values.end()) {
                EXPECT_EQ(value->second.get<std::uint64_t>(), 0u) << name << " of the merge job";
            }
        }
    }
    EXPECT_EQ(property_as<std::uint64_t>(job, job_interface, "ExpectedEndTime"), 0u);
    EXPECT_EQ(property_as<sdbus::ObjectPath>(mirror.volume, raid1_interface, "TrackedImage"), "/");

    expect_merged_only_dirty_regions(mirror, loop_before);
}

}  // namespace
}  // namespace volumes::test
