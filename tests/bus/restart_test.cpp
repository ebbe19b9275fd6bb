// volumesd stopped with SIGTERM and started again by the next call (bus activation) shows
// every object and property as before, over the same dm devices, and never gives a job path
// of the first daemon to another job.
#include "bus_fixture.hpp"
#include "managed_objects.hpp"
#include "state_snapshot.hpp"
#include "volumesd_control.hpp"

namespace volumes::test {
namespace {

class BusRestart : public BusTest {};

TEST_F(BusRestart, StoppingAndReactivatingKeepsEveryObjectAndProperty)
{
    const auto& a = new_loop();
    const auto& b = new_loop();
    const auto& c = new_loop();
    const auto pool = create_pool("keep-me", {a.path(), b.path(), c.path()}, {{"extent_size", "t", std::to_string(2 * mib)}});
    create_volume(pool, "on", 6 * mib);
    call_volume(create_volume(pool, "off", 4 * mib), "Deactivate");
    const auto mirror = create_volume(pool, "mir", 4 * mib, {{"kind", "s", "raid1"}, {"images", "u", "3"}});
    const auto split = create_volume(pool, "split", 4 * mib, {{"kind", "s", "raid1"}, {"images", "u", "3"}});
    wait_raid1_in_sync(mirror);
    wait_raid1_in_sync(split);
    const auto image = split_track(split, {{"name", "s", "frozen"}});
    // A job of the first daemon, whose path a client may still hold after the restart.
    const auto early_job = merge(split_track(mirror, {{"name", "s", "early"}}));
    wait_job_finished(early_job);
    wait_raid1_in_sync(mirror);

    const auto objects_before = without_jobs(managed_objects_json());
    const auto tables_before = dm_tables();
    ASSERT_TRUE(objects_before.contains(image));
    const pid_t first = volumesd_pid(*bus);

    stop_volumesd(*bus);
    for (const auto& difference : differences(StateSnapshot{{}, tables_before, {}}, StateSnapshot{{}, dm_tables(), {}}))
        ADD_FAILURE() << "stopping volumesd changed the kernel's devices: " << difference;

    // This call starts volumesd again through bus activation.
    const auto objects_after = without_jobs(managed_objects_json());
    ASSERT_TRUE(volumesd_running(*bus));
    EXPECT_NE(volumesd_pid(*bus), first);
    for (const auto& difference : json_differences(objects_before, objects_after))
        ADD_FAILURE() << "after the restart: " << difference;
    for (const auto& difference : differences(StateSnapshot{{}, tables_before, {}}, StateSnapshot{{}, dm_tables(), {}}))
        ADD_FAILURE() << "volumesd's start changed the kernel's devices: " << difference;

    // The restarted daemon goes on from there: the image merges back.
    const auto job = merge(image);
    EXPECT_NE(job, early_job) << "the restarted daemon gave a job path of the first daemon to another job";
    wait_job_finished(job);
    EXPECT_TRUE(property_as<bool>(job, job_interface, "Success"));
}

}  // namespace
}  // namespace volumes::test
