// The methods of pools and volumes refuse bad names, sizes, kinds and options, objects
// that do not exist and interfaces an object lacks, with the documented errors, and
// change nothing while doing so.
#include "bad_input.hpp"
#include "open_device.hpp"

namespace volumes::test {
namespace {

TEST_F(BusBadInput, VolumeMethodRefusalsChangeNothing)
{
    const auto& a = new_loop();
    const auto& b = new_loop();
    const auto& c = new_loop();
    const auto pool = create_pool("bad", {a.path(), b.path(), c.path()});
    const auto linear = create_volume(pool, "lin", 4 * mib);
    const auto mirror = create_volume(pool, "mir", 4 * mib, {{"kind", "s", "raid1"}});
    wait_raid1_in_sync(mirror);
    const auto four = 4 * mib;
    const std::string long_name(65, 'x');
    const CallArguments::Option raid1{"kind", "s", "raid1"};
    auto thin_pool = [&](const std::string& name, std::uint64_t data, std::uint64_t metadata, const Options& options = {}) {
        return Call{pool, pool_interface, "CreateThinPool", CallArguments().s(name).t(data).t(metadata).options(options).words()};
    };
    auto snapshot = [&](const std::string& name, const Options& options = {}) {
        return Call{linear, volume_interface, "CreateSnapshot", CallArguments().s(name).t(four).options(options).words()};
    };
    auto snapshot_with_cow = [&](const std::string& name, std::uint64_t cow) {
        return Call{linear, volume_interface, "CreateSnapshot", CallArguments().s(name).t(cow).options().words()};
    };
    auto split_track_call = [&](const Options& options) { return options_call(mirror, raid1_interface, "SplitTrack", options); };

    expect_refused_unchanged({
        {"empty name", create_volume_call(pool, "", four), "InvalidArgument"},
        {"name with /", create_volume_call(pool, "a/b", four), "InvalidArgument"},
        {"name ..", create_volume_call(pool, "..", four), "InvalidArgument"},
        {"name of 65 characters", create_volume_call(pool, long_name, four), "InvalidArgument"},
        {"name with _rimage", create_volume_call(pool, "x_rimage", four), "InvalidArgument"},
        {"name with _rmeta", create_volume_call(pool, "x_rmeta_0", four), "InvalidArgument"},
        {"name taken", create_volume_call(pool, "lin", four), "AlreadyExists"},
        {"name taken by a raid1", create_volume_call(pool, "mir", four), "AlreadyExists"},
        {"size 0", create_volume_call(pool, "v", 0), "InvalidArgument"},
        {"size 2^64-1", create_volume_call(pool, "v", largest_size), "InvalidArgument"},
        {"size just over 2^63", create_volume_call(pool, "v", (std::uint64_t{1} << 63) + 1), "InvalidArgument"},
        {"size of 1 TiB", create_volume_call(pool, "v", 1024 * 1024 * mib), "NoSpace"},

        {"unknown kind", create_volume_call(pool, "v", four, {{"kind", "s", "raid5"}}), "InvalidArgument"},
        {"images on a linear volume", create_volume_call(pool, "v", four, {{"images", "u", "2"}}), "InvalidArgument"},
        {"region_size on a linear volume",
         create_volume_call(pool, "v", four, {{"kind", "s", "linear"}, {"region_size", "t", "524288"}}), "InvalidArgument"},
        {"raid1 of 1 image", create_volume_call(pool, "v", four, {raid1, {"images", "u", "1"}}), "InvalidArgument"},
        {"raid1 of 9 images", create_volume_call(pool, "v", four, {raid1, {"images", "u", "9"}}), "InvalidArgument"},
        {"raid1 of 4 images on 3 members", create_volume_call(pool, "v", four, {raid1, {"images", "u", "4"}}), "NoSpace"},
        {"region_size not a power of two", create_volume_call(pool, "v", four, {raid1, {"region_size", "t", "3000"}}),
         "InvalidArgument"},
        {"region_size 0", create_volume_call(pool, "v", four, {raid1, {"region_size", "t", "0"}}), "InvalidArgument"},
        {"region_size over the image size",
         create_volume_call(pool, "v", four, {raid1, {"region_size", "t", std::to_string(1024 * mib)}}), "InvalidArgument"},
        {"kind of the wrong type", create_volume_call(pool, "v", four, {{"kind", "u", "1"}}), "InvalidArgument"},
        {"images of the wrong type", create_volume_call(pool, "v", four, {raid1, {"images", "s", "2"}}), "InvalidArgument"},
        {"an unknown option", create_volume_call(pool, "v", four, unknown_option), "InvalidArgument"},

        {"thin pool with an empty name", thin_pool("", 16 * mib, 4 * mib), "InvalidArgument"},
        {"thin pool with data_size 0", thin_pool("tp", 0, 4 * mib), "InvalidArgument"},
        {"thin pool with metadata_size 0", thin_pool("tp", 16 * mib, 0), "InvalidArgument"},
        {"thin pool with an unknown option", thin_pool("tp", 16 * mib, 4 * mib, unknown_option), "InvalidArgument"},
        {"thin pool with a taken name", thin_pool("lin", 16 * mib, 4 * mib), "AlreadyExists"},
        {"thin pool with metadata_size 1 MiB", thin_pool("tp", 16 * mib, mib), "InvalidArgument"},
        {"thin pool with metadata_size 17 GiB", thin_pool("tp", 16 * mib, 17 * 1024 * mib), "InvalidArgument"},
        {"thin pool with block_size 96 KiB", thin_pool("tp", 16 * mib, 4 * mib, {{"block_size", "u", "98304"}}),
         "InvalidArgument"},
        {"thin pool with block_size of the wrong type", thin_pool("tp", 16 * mib, 4 * mib, {{"block_size", "s", "65536"}}),
         "InvalidArgument"},
        {"thin pool of 1 TiB", thin_pool("tp", 1024 * 1024 * mib, 4 * mib), "NoSpace"},
        {"thin snapshot size of a linear volume", snapshot_with_cow("snap", 0), "InvalidArgument"},

        {"snapshot with an empty name", snapshot(""), "InvalidArgument"},
        {"snapshot with a taken name", snapshot("mir"), "AlreadyExists"},
        {"snapshot with chunk_size not a power of two", snapshot("snap", {{"chunk_size", "t", "5000"}}), "InvalidArgument"},
        {"snapshot with chunk_size 2 KiB", snapshot("snap", {{"chunk_size", "u", "2048"}}), "InvalidArgument"},
        {"snapshot with chunk_size 1 MiB", snapshot("snap", {{"chunk_size", "u", "1048576"}}), "InvalidArgument"},
        {"snapshot with chunk_size of the wrong type", snapshot("snap", {{"chunk_size", "s", "4096"}}), "InvalidArgument"},
        {"snapshot with an unknown option", snapshot("snap", unknown_option), "InvalidArgument"},
        {"snapshot with a COW of 1 TiB",
         Call{linear, volume_interface, "CreateSnapshot", CallArguments().s("snap").t(1024 * 1024 * mib).options().words()},
         "NoSpace"},

        {"Destroy a pool that has volumes", options_call(pool, pool_interface, "Destroy"), "InUse"},
        {"Destroy with an unknown option", options_call(pool, pool_interface, "Destroy", unknown_option), "InvalidArgument"},
        {"Remove with an unknown option", options_call(linear, volume_interface, "Remove", unknown_option), "InvalidArgument"},
        {"Activate with an option of the wrong type",
         options_call(linear, volume_interface, "Activate", {{"auth.no_user_interaction", "s", "yes"}}), "InvalidArgument"},
        {"Deactivate with an unknown option", options_call(linear, volume_interface, "Deactivate", unknown_option),
         "InvalidArgument"},

        {"SplitTrack of a 2-image array without allow_no_redundancy", split_track_call({}), "InvalidArgument"},
        {"SplitTrack of a slot that does not exist", split_track_call(with(allow_no_redundancy, {"image", "u", "7"})),
         "InvalidArgument"},
        {"SplitTrack with a name with /", split_track_call(with(allow_no_redundancy, {"name", "s", "a/b"})), "InvalidArgument"},
        {"SplitTrack with a taken name", split_track_call(with(allow_no_redundancy, {"name", "s", "lin"})), "AlreadyExists"},
        {"SplitTrack with image of the wrong type", split_track_call(with(allow_no_redundancy, {"image", "s", "1"})),
         "InvalidArgument"},
        {"SplitTrack with an unknown option", split_track_call(with(allow_no_redundancy, unknown_option[0])), "InvalidArgument"},

        {"SplitTrack on a linear volume", options_call(linear, raid1_interface, "SplitTrack", allow_no_redundancy),
         unknown_method},
        {"TrackedImage.Merge on a linear volume", options_call(linear, tracked_image_interface, "Merge"), unknown_method},
        {"TrackedImage.Merge on a raid1", options_call(mirror, tracked_image_interface, "Merge"), unknown_method},
        {"Snapshot.Merge on a raid1", options_call(mirror, snapshot_interface, "Merge"), unknown_method},
        {"CreateVolume on a volume", create_volume_call(linear, "v", four), unknown_method},

        {"CreateVolume in a nonexistent pool", create_volume_call(pool_path("nope"), "v", four), unknown_object},
        {"Remove a nonexistent volume", options_call(volume_path("bad", "nope"), volume_interface, "Remove"), unknown_object},
        {"Cancel a nonexistent job", options_call("/org/example/Volumes/jobs/999999", job_interface, "Cancel"), unknown_object},
    });

    {
        const OpenDevice open(property_as<std::string>(linear, volume_interface, "DevicePath"));
        expect_refused_unchanged({
            {"Remove an open volume", options_call(linear, volume_interface, "Remove"), "InUse"},
            {"Deactivate an open volume", options_call(linear, volume_interface, "Deactivate"), "InUse"},
        });
    }

    const auto image = split_track(mirror, allow_no_redundancy);
    expect_refused_unchanged({
        {"SplitTrack while an image is split", split_track_call(allow_no_redundancy), "Busy"},
        {"Remove a raid1 with a tracked image", options_call(mirror, volume_interface, "Remove"), "InUse"},
        {"Remove a tracked image", options_call(image, volume_interface, "Remove"), "NotSupported"},
        {"CreateSnapshot of a tracked image",
         {image, volume_interface, "CreateSnapshot", CallArguments().s("snap").t(four).options().words()}, "NotSupported"},
        {"Split with an empty name", {mirror, raid1_interface, "Split", CallArguments().s("").options().words()},
         "InvalidArgument"},
        {"Split with a taken name", {mirror, raid1_interface, "Split", CallArguments().s("lin").options().words()},
         "AlreadyExists"},
        {"Merge with an unknown option", options_call(image, tracked_image_interface, "Merge", unknown_option),
         "InvalidArgument"},
        {"Merge with an option of the wrong type",
         options_call(image, tracked_image_interface, "Merge", {{"auth.no_user_interaction", "u", "1"}}), "InvalidArgument"},
    });
    {
        const OpenDevice open(property_as<std::string>(image, volume_interface, "DevicePath"));
        expect_refused_unchanged({{"Merge an open tracked image", options_call(image, tracked_image_interface, "Merge"), "InUse"}});
    }
}

}  // namespace
}  // namespace volumes::test
