// volumesd stopped while an image is split, or while a merge resyncs, and started again by
// the next call (bus activation) goes on where it was.
#include <algorithm>

#include "managed_objects.hpp"
#include "raid1_fixture.hpp"
#include "resync_speed_limit.hpp"
#include "volumesd_control.hpp"
#include "tests/kernel/support/block_io.hpp"

namespace volumes::test {
namespace {

using ImageSlots = std::vector<sdbus::Struct<std::uint32_t, std::string, std::string>>;

class BusRaid1Restart : public BusRaid1 {};

TEST_F(BusRaid1Restart, StillTrackedAfterRestartAndMergeResyncsOnlyWhatWasWritten)
{
    const auto mirror = synced_mirror("restsplit");
    const auto image = split_track(mirror.volume, {{"allow_no_redundancy", "b", "true"}});
    const pid_t first = volumesd_pid(*bus);
    stop_volumesd(*bus);

    // The first call activates volumesd again.
    const auto objects = managed_objects_json();
    ASSERT_TRUE(volumesd_running(*bus));
    EXPECT_NE(volumesd_pid(*bus), first);
    ASSERT_TRUE(objects.contains(image)) << "the tracked image is gone after the restart";
    EXPECT_EQ(property_as<std::string>(image, volume_interface, "Kind"), "tracked_image");
    EXPECT_TRUE(property_as<bool>(image, volume_interface, "ReadOnly"));
    EXPECT_EQ(property_as<sdbus::ObjectPath>(image, tracked_image_interface, "Array"), mirror.volume);
    EXPECT_EQ(property_as<std::uint32_t>(image, tracked_image_interface, "Slot"), 1u);
    EXPECT_EQ(property_as<sdbus::ObjectPath>(mirror.volume, raid1_interface, "TrackedImage"), image);
    const auto slots = property_as<ImageSlots>(mirror.volume, raid1_interface, "Images");
    ASSERT_EQ(slots.size(), 2u);
    EXPECT_EQ(slots[0].get<1>(), "alive");
    EXPECT_EQ(slots[1].get<1>(), "split");
    EXPECT_TRUE(refuses_writes(property_as<std::string>(image, volume_interface, "DevicePath")));

    write_while_split(mirror);
    const auto loop_before = mirror.leg_loop[1]->sectors_written();
    const auto job = merge(image);
    wait_job_finished(job);
    EXPECT_TRUE(property_as<bool>(job, job_interface, "Success")) << property_as<std::string>(job, job_interface, "Message");
    expect_merged_only_dirty_regions(mirror, loop_before);
}

// The raid1-sync jobs of GetManagedObjects that name `volume` among their objects.
std::vector<std::string> sync_jobs_of(const nlohmann::json& objects, const std::string& volume)
{
    std::vector<std::string> jobs;
    for (const auto& [path, interfaces] : objects.items()) {
        if (!interfaces.contains(job_interface))
            continue;
        const auto& job = interfaces.at(job_interface);
        const auto& named = job.at("Objects").at("data");
        if (job.at("Operation").at("data") == "raid1-sync" && std::find(named.begin(), named.end(), volume) != named.end())
            jobs.push_back(path);
    }
    return jobs;
}

TEST_F(BusRaid1Restart, MergeInterruptedByARestartStillCompletes)
{
    const auto mirror = synced_mirror("restmerge");
    const auto image = split_track(mirror.volume, {{"allow_no_redundancy", "b", "true"}});
    write_pattern(mirror.device, 0, 16 * mib, 8);

    // 16 MiB to resync at 1 MiB/s: the merge is still resyncing when volumesd stops.
    ResyncSpeedLimit slow(1024);
    const auto merge_job = merge(image);
    const auto action = property_as<std::string>(mirror.volume, raid1_interface, "SyncAction");
    ASSERT_NE(action, "idle") << "the resync ended before volumesd could be stopped during it";
    stop_volumesd(*bus);

    // The first call activates volumesd again; it starts a raid1-sync job for the array.
    const auto objects = managed_objects_json();
    EXPECT_FALSE(objects.contains(merge_job)) << "the old daemon's job survived its process";
    const auto jobs = sync_jobs_of(objects, mirror.volume);
    ASSERT_EQ(jobs.size(), 1u) << "expected one raid1-sync job for " << mirror.volume << " after the restart; objects:\n"
                               << objects.dump(1);
    SignalRecorder recorder(*bus, volumes_signals_match());
    const bool finished_when_found = property_as<bool>(jobs[0], job_interface, "Finished");
    RecordProperty("sync_job_finished_when_found", finished_when_found ? "true" : "false");
    slow.restore();
    if (!finished_when_found)
        wait_completed(recorder, 0, jobs[0], std::chrono::seconds(120));
    EXPECT_TRUE(property_as<bool>(jobs[0], job_interface, "Finished"));
    EXPECT_TRUE(property_as<bool>(jobs[0], job_interface, "Success")) << property_as<std::string>(jobs[0], job_interface, "Message");

    wait_raid1_in_sync(mirror.volume);
    const auto array = digest(mirror.device, 0, mirror.size);
    EXPECT_EQ(digest(sub_device(mirror, "rimage", 0), 0, mirror.size), array);
    EXPECT_EQ(digest(sub_device(mirror, "rimage", 1), 0, mirror.size), array) << "the legs differ after the merge";
    EXPECT_TRUE(holds_pattern(sub_device(mirror, "rimage", 1), 0, 16 * mib, 8));
    EXPECT_TRUE(holds_pattern(sub_device(mirror, "rimage", 1), 16 * mib, mirror.size - 16 * mib, 7));
}

}  // namespace
}  // namespace volumes::test
