// SplitTrack, Split and Merge refused with the documented errors, changing nothing: an array
// still syncing, a second split, a volume that is no tracked image, a taken name and an
// unprivileged caller.
#include "bad_input.hpp"
#include "resync_speed_limit.hpp"
#include "state_snapshot.hpp"

namespace volumes::test {
namespace {

class BusRaid1Refusals : public BusBadInput {};

TEST_F(BusRaid1Refusals, RefusedSplitsAndMergesChangeNothing)
{
    const auto& a = new_loop();
    const auto& b = new_loop();
    const auto pool = create_pool("refuse", {a.path(), b.path()});
    const auto linear = create_volume(pool, "lin", 4 * mib);
    const auto split_track_call = [](const std::string& raid1) {
        return options_call(raid1, raid1_interface, "SplitTrack", allow_no_redundancy);
    };

    {
        // 16 MiB at 1 MiB/s: the initial sync runs throughout the call.
        ResyncSpeedLimit slow(1024);
        const auto syncing = create_volume(pool, "syncing", 16 * mib, {{"kind", "s", "raid1"}});
        ASSERT_EQ(property_as<std::string>(syncing, raid1_interface, "SyncAction"), "resync");
        expect_refused_unchanged({{"SplitTrack on an array still syncing", split_track_call(syncing), "Busy"}});
        ASSERT_EQ(property_as<std::string>(syncing, raid1_interface, "SyncAction"), "resync")
            << "the sync ended during the call, so the refusal may not have been for syncing";
        EXPECT_LT(property_as<double>(syncing, raid1_interface, "SyncRatio"), 1.0);
        EXPECT_EQ(property_as<sdbus::ObjectPath>(syncing, raid1_interface, "TrackedImage"), "/");
        slow.restore();
        wait_raid1_in_sync(syncing);
        call_volume(syncing, "Remove");
    }

    const auto mirror = create_volume(pool, "mir", 8 * mib, {{"kind", "s", "raid1"}});
    wait_raid1_in_sync(mirror);
    {
        SCOPED_TRACE("SplitTrack by uid 65534");
        auto before = take_snapshot(*bus, loop_paths());
        const auto outcome = call_as(unprivileged, split_track_call(mirror));
        EXPECT_EQ(outcome.error, "org.example.Volumes.Error.NotAuthorized") << outcome.describe();
        for (const auto& difference : differences(before, take_snapshot(*bus, loop_paths())))
            ADD_FAILURE() << "the refused call changed something: " << difference;
    }
    EXPECT_EQ(property_as<sdbus::ObjectPath>(mirror, raid1_interface, "TrackedImage"), "/");

    const auto image = split_track(mirror, allow_no_redundancy);
    const auto split = [&](const std::string& name) {
        return Call{mirror, raid1_interface, "Split", CallArguments().s(name).options().words()};
    };
    expect_refused_unchanged({
        {"a second SplitTrack", split_track_call(mirror), "Busy"},
        {"a second SplitTrack of slot 0", options_call(mirror, raid1_interface, "SplitTrack", with(allow_no_redundancy, {"image", "u", "0"})),
         "Busy"},
        {"TrackedImage.Merge on a linear volume", options_call(linear, tracked_image_interface, "Merge"), unknown_method},
        {"TrackedImage.Merge on the raid1", options_call(mirror, tracked_image_interface, "Merge"), unknown_method},
        {"Split with the name of a linear volume", split("lin"), "AlreadyExists"},
        {"Split with the array's own name", split("mir"), "AlreadyExists"},
    });
    EXPECT_EQ(property_as<sdbus::ObjectPath>(mirror, raid1_interface, "TrackedImage"), image);
}

}  // namespace
}  // namespace volumes::test
