#include <memory>

#include <fmt/core.h>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "json_output.hpp"
#include "sizes.hpp"
#include "text_output.hpp"

namespace volumectl {

namespace vc = volumes::client;

namespace {

Output volume_output(Session& session, const std::string& path, const std::string& text)
{
    const auto volume = session.client().volume_at(path);
    Output out;
    out.json["volume"] = to_json(volume);
    out.text = fmt::format("{} {}\n", text, volume_label(volume));
    return out;
}

struct SplitTrackArgs {
    std::string target;
    std::optional<std::uint32_t> image;
    std::string name;
    bool allow_no_redundancy = false;
};

Output split_track(Session& session, const SplitTrackArgs& args)
{
    check_volume_target(args.target);
    auto options = session.call_options();
    if (args.image)
        options.set("image", *args.image);
    if (!args.name.empty())
        options.set("name", args.name);
    if (args.allow_no_redundancy)
        options.set("allow_no_redundancy", true);
    const auto array = session.volume(args.target);
    const auto image = session.client().split_track(array.path, options);
    return volume_output(session, image, fmt::format("split {} off, tracked, as", volume_label(array)));
}

Output split(Session& session, const std::string& target, const std::string& new_name)
{
    check_volume_target(target);
    const auto array = session.volume(target);
    const auto volume = session.client().split(array.path, new_name, session.call_options());
    return volume_output(session, volume, fmt::format("split the tracked image of {} off for good as", volume_label(array)));
}

// A job started for `what`: waited for unless no_wait, then reported.
Output job_output(Session& session, const vc::VolumeInfo& what, const std::string& job, bool no_wait)
{
    Output out;
    out.json["object"] = what.path;
    out.json["pending"] = false;
    if (no_wait) {
        out.json["job"] = to_json(session.client().job_at(job));
        out.text = fmt::format("merging {}: job {}\n", volume_label(what), job);
        return out;
    }
    const auto result = session.wait(job);
    out.json["job"] = to_json(result.final_state);
    out.text = fmt::format("merge of {} {}: {}\n", volume_label(what), result.success ? "completed" : "failed",
                           result.message);
    if (!result.success)
        out.exit_code = exit_job_failed;
    return out;
}

Output rollback(Session& session, const vc::VolumeInfo& snapshot, bool no_wait)
{
    const auto started = session.client().merge_snapshot(snapshot.path, session.call_options());
    if (!started.pending)
        return job_output(session, snapshot, started.job, no_wait);
    Output out;
    out.json["object"] = snapshot.path;
    out.json["pending"] = true;
    out.json["job"] = nullptr;
    out.text = fmt::format(
        "merge of {0} is pending: the origin or the snapshot is open, so it starts at the origin's next activation.\n"
        "A mounted root or /etc/fstab volume: that is the next boot (the initramfs or volumesd-activate.service\n"
        "starts it before mounting). Otherwise unmount and: volumectl activate {1}\n"
        "Afterwards, volumectl show {0} says 'no volume' once the merge finished (volumectl jobs while it runs).\n",
        volume_label(snapshot), volume_label(session.client().volume_at(snapshot.origin)));
    return out;
}

Output merge(Session& session, const std::string& target, bool no_wait)
{
    check_volume_target(target);
    const auto volume = session.volume(target);
    if (volume.tracked_image)
        return job_output(session, volume, session.client().merge_tracked_image(volume.path, session.call_options()), no_wait);
    if (volume.snapshot)
        return rollback(session, volume, no_wait);
    throw vc::NotSupported("", fmt::format("{} is a {} volume: merge takes a tracked image or a snapshot",
                                           volume_label(volume), volume.kind));
}

struct RepairArgs {
    std::string target;
    std::vector<std::string> members;
    bool no_wait = false;
};

Output repair(Session& session, const RepairArgs& args)
{
    check_volume_target(args.target);
    const auto array = session.volume(args.target);
    const auto job = session.client().repair_raid1(array.path, args.members, session.call_options());
    Output out;
    out.json["object"] = array.path;
    out.json["pending"] = false;
    if (args.no_wait) {
        out.json["job"] = to_json(session.client().job_at(job));
        out.text = fmt::format("repairing {}: job {}\n", volume_label(array), job);
        return out;
    }
    const auto result = session.wait(job);
    out.json["job"] = to_json(result.final_state);
    out.text = fmt::format("repair of {} {}: {}\n", volume_label(array), result.success ? "completed" : "failed",
                           result.message);
    if (!result.success)
        out.exit_code = exit_job_failed;
    return out;
}

struct AddImageArgs {
    std::string target;
    std::vector<std::string> members;
    bool no_wait = false;
};

Output add_image(Session& session, const AddImageArgs& args)
{
    check_volume_target(args.target);
    const auto array = session.volume(args.target);
    const auto job = session.client().add_raid1_image(array.path, args.members, session.call_options());
    Output out;
    out.json["object"] = array.path;
    out.json["pending"] = false;
    if (args.no_wait) {
        out.json["job"] = to_json(session.client().job_at(job));
        out.text = fmt::format("adding an image to {}: job {}\n", volume_label(array), job);
        return out;
    }
    const auto result = session.wait(job);
    out.json["job"] = to_json(result.final_state);
    out.text = fmt::format("new image of {} {}: {}\n", volume_label(array), result.success ? "in sync" : "failed",
                           result.message);
    if (!result.success)
        out.exit_code = exit_job_failed;
    return out;
}

Output remove_image(Session& session, const std::string& target, std::uint32_t slot)
{
    check_volume_target(target);
    const auto array = session.volume(target);
    session.client().remove_raid1_image(array.path, slot, session.call_options());
    Output out;
    out.json["object"] = array.path;
    out.json["removed_slot"] = slot;
    out.text = fmt::format("removed image {} of {}\n", slot, volume_label(array));
    return out;
}

struct SnapshotArgs {
    std::string target;
    std::string name;
    std::string cow_size;
    std::string chunk_size;
};

Output snapshot(Session& session, const SnapshotArgs& args)
{
    check_volume_target(args.target);
    const auto cow_size = args.cow_size.empty() ? 0 : parse_size(args.cow_size, "--cow-size");
    auto options = session.call_options();
    if (!args.chunk_size.empty())
        options.set("chunk_size", parse_size(args.chunk_size, "--chunk-size"));
    const auto origin = session.volume(args.target);
    const auto path = session.client().create_snapshot(origin.path, args.name, cow_size, options);
    return volume_output(session, path, fmt::format("snapshot of {}:", volume_label(origin)));
}

}  // namespace

void add_raid1_and_snapshot_commands(CLI::App& app, std::vector<Command>& commands)
{
    auto split_track_args = std::make_shared<SplitTrackArgs>();
    auto* split_track_app = app.add_subcommand("split-track", "Split one image off a raid1 read-only, tracking changes");
    split_track_app->add_option("volume", split_track_args->target, "POOL/RAID1")->required();
    split_track_app->add_option("--image", split_track_args->image, "The slot to split off (default the highest)");
    split_track_app->add_option("--name", split_track_args->name, "The image volume's name (default <array>_image_<slot>)");
    split_track_app->add_flag("--allow-no-redundancy", split_track_args->allow_no_redundancy,
                              "Accept a two-image array keeping one image while split");
    commands.push_back({split_track_app, [split_track_args](Session& s) { return split_track(s, *split_track_args); }});

    auto split_target = std::make_shared<std::string>();
    auto split_name = std::make_shared<std::string>();
    auto* split_app = app.add_subcommand("split", "Turn a raid1's tracked image into a volume of its own for good");
    split_app->add_option("volume", *split_target, "POOL/RAID1")->required();
    split_app->add_option("new-name", *split_name, "The new volume's name")->required();
    commands.push_back({split_app, [split_target, split_name](Session& s) { return split(s, *split_target, *split_name); }});

    auto repair_args = std::make_shared<RepairArgs>();
    auto* repair_app = app.add_subcommand(
        "repair", "Replace the images of a raid1 on failed or missing members, waiting for the rebuild");
    repair_app->add_option("volume", repair_args->target, "POOL/RAID1")->required();
    repair_app->add_option("--members", repair_args->members,
                           "Members the new images may go on (device paths or member uuids; default any with room)");
    repair_app->add_flag("--no-wait", repair_args->no_wait, "Return once the rebuild started; do not wait for its job");
    commands.push_back({repair_app, [repair_args](Session& s) { return repair(s, *repair_args); }});

    auto add_image_args = std::make_shared<AddImageArgs>();
    auto* add_image_app =
        app.add_subcommand("add-image", "Give a raid1 one more image, waiting for its sync");
    add_image_app->add_option("volume", add_image_args->target, "POOL/RAID1")->required();
    add_image_app->add_option("--members", add_image_args->members,
                              "Members the new image may go on (device paths or member uuids; default any with room)");
    add_image_app->add_flag("--no-wait", add_image_args->no_wait, "Return once the sync started; do not wait for its job");
    commands.push_back({add_image_app, [add_image_args](Session& s) { return add_image(s, *add_image_args); }});

    auto remove_image_target = std::make_shared<std::string>();
    auto remove_image_slot = std::make_shared<std::uint32_t>(0);
    auto* remove_image_app = app.add_subcommand("remove-image", "Remove the image at a slot of a raid1");
    remove_image_app->add_option("volume", *remove_image_target, "POOL/RAID1")->required();
    remove_image_app->add_option("slot", *remove_image_slot, "The slot (show lists the images)")->required();
    commands.push_back({remove_image_app, [remove_image_target, remove_image_slot](Session& s) {
                            return remove_image(s, *remove_image_target, *remove_image_slot);
                        }});

    auto merge_target = std::make_shared<std::string>();
    auto merge_no_wait = std::make_shared<bool>(false);
    auto* merge_app = app.add_subcommand("merge", "Merge a tracked image back into its raid1 (or a snapshot into its origin)");
    merge_app->add_option("volume", *merge_target, "POOL/IMAGE or POOL/SNAPSHOT")->required();
    merge_app->add_flag("--no-wait", *merge_no_wait, "Return once the merge started; do not wait for its job");
    commands.push_back({merge_app, [merge_target, merge_no_wait](Session& s) { return merge(s, *merge_target, *merge_no_wait); }});

    auto snapshot_args = std::make_shared<SnapshotArgs>();
    auto* snapshot_app = app.add_subcommand("snapshot", "Take a snapshot of a volume");
    snapshot_app->add_option("volume", snapshot_args->target, "POOL/ORIGIN")->required();
    snapshot_app->add_option("name", snapshot_args->name, "The snapshot's name")->required();
    add_size_option(*snapshot_app, "--cow-size", snapshot_args->cow_size, "COW space (0, the default, for a thin snapshot)");
    add_size_option(*snapshot_app, "--chunk-size", snapshot_args->chunk_size, "COW chunk, a power of two from 4K to 512K");
    commands.push_back({snapshot_app, [snapshot_args](Session& s) { return snapshot(s, *snapshot_args); }});

    auto rollback_target = std::make_shared<std::string>();
    auto rollback_no_wait = std::make_shared<bool>(false);
    auto* rollback_app = app.add_subcommand(
        "rollback", "Roll a snapshot's origin back to it (merge), waiting for completion or saying it is pending");
    rollback_app->add_option("snapshot", *rollback_target, "POOL/SNAPSHOT")->required();
    rollback_app->add_flag("--no-wait", *rollback_no_wait, "Return once the merge started; do not wait for its job");
    commands.push_back({rollback_app, [rollback_target, rollback_no_wait](Session& s) {
                            check_volume_target(*rollback_target);
                            const auto volume = s.volume(*rollback_target);
                            if (!volume.snapshot)
                                throw vc::NotSupported("", fmt::format("{} is a {} volume, not a snapshot",
                                                                       volume_label(volume), volume.kind));
                            return rollback(s, volume, *rollback_no_wait);
                        }});
}

}  // namespace volumectl
