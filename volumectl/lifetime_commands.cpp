// The commands that keep volumes alive over time: resize, rename, add-member, remove-member.
#include <memory>
#include <string>

#include <fmt/core.h>

#include "commands.hpp"
#include "json_output.hpp"
#include "sizes.hpp"
#include "text_output.hpp"
#include "usage_error.hpp"

namespace volumectl {

namespace vc = volumes::client;

namespace {

struct ResizeArgs {
    std::string target;
    std::string size;
    std::string metadata_size;
    bool allow_shrink = false;
    bool resize_filesystem = false;
};

Output resize(Session& session, const ResizeArgs& args)
{
    check_volume_target(args.target);
    const auto volume = session.volume(args.target);
    auto options = session.call_options();
    Output out;
    if (!args.metadata_size.empty()) {
        const auto data = args.size.empty() ? 0 : parse_size(args.size, "size");
        session.client().resize_thin_pool(volume.path, data, parse_size(args.metadata_size, "--metadata-size"),
                                          options);
    } else {
        if (args.allow_shrink)
            options.set("allow_shrink", true);
        if (args.resize_filesystem)
            options.set("resize_filesystem", true);
        const auto resized = session.client().resize(volume.path, parse_size(args.size, "size"), options);
        out.json["filesystem"] = resized.filesystem;
        if (!resized.filesystem.empty())
            out.text = fmt::format("filesystem: {}\n", resized.filesystem);
    }
    const auto now = session.client().volume_at(volume.path);
    out.json["volume"] = to_json(now);
    out.text = fmt::format("{} is {} now\n", volume_label(now), format_size(now.size)) + out.text;
    return out;
}

Output rename(Session& session, const std::string& target, const std::string& new_name)
{
    check_volume_target(target);
    const auto volume = session.volume(target);
    const auto path = session.client().rename(volume.path, new_name, session.call_options());
    const auto now = session.client().volume_at(path);
    Output out;
    out.json["volume"] = to_json(now);
    out.text = fmt::format("{} is {} now, {}\n", volume_label(volume), volume_label(now),
                           now.active ? now.device_path : "inactive");
    return out;
}

Output members_now(Session& session, const std::string& pool_path)
{
    const auto now = session.client().pool_at(pool_path);
    Output out;
    out.json["pool"] = to_json(now);
    out.text = fmt::format("pool {} has {} members now, {} free of {}\n", now.name, now.members.size(),
                           format_size(now.free), format_size(now.size));
    return out;
}

Output add_member(Session& session, const std::string& target, const std::string& device, bool force)
{
    check_pool_target(target);
    const auto pool = session.pool(target);
    auto options = session.call_options();
    if (force)
        options.set("force", true);
    session.client().add_member(pool.path, device, options);
    return members_now(session, pool.path);
}

Output remove_member(Session& session, const std::string& target, const std::string& device)
{
    check_pool_target(target);
    const auto pool = session.pool(target);
    session.client().remove_member(pool.path, device, session.call_options());
    return members_now(session, pool.path);
}

}  // namespace

void add_lifetime_commands(CLI::App& app, std::vector<Command>& commands)
{
    auto resize_args = std::make_shared<ResizeArgs>();
    auto* resize_app = app.add_subcommand("resize", "Grow (or shrink) a volume, a thin pool or a snapshot's COW");
    resize_app->add_option("volume", resize_args->target, "POOL/VOLUME")->required();
    add_size_option(*resize_app, "size", resize_args->size,
                    "New size: a thin volume's virtual size, a snapshot's COW, a thin pool's data");
    add_size_option(*resize_app, "--metadata-size", resize_args->metadata_size,
                    "Thin pool: the metadata's new size (the data's too when a size is given)");
    resize_app->add_flag("--allow-shrink", resize_args->allow_shrink,
                         "Allow a smaller size (refused anyway while the volume carries a signature)");
    resize_app->add_flag("--resize-filesystem,-r", resize_args->resize_filesystem,
                         "Grow a mounted ext4 or xfs on the volume with it");
    commands.push_back({resize_app, [resize_args](Session& session) {
                            if (resize_args->size.empty() && resize_args->metadata_size.empty())
                                throw UsageError("resize needs a size, or --metadata-size for a thin pool");
                            return resize(session, *resize_args);
                        }});

    auto rename_target = std::make_shared<std::string>();
    auto rename_name = std::make_shared<std::string>();
    auto* rename_app = app.add_subcommand("rename", "Rename a volume in place (it stays active and mounted)");
    rename_app->add_option("volume", *rename_target, "POOL/VOLUME")->required();
    rename_app->add_option("new_name", *rename_name, "The volume's new name")->required();
    commands.push_back(
        {rename_app, [rename_target, rename_name](Session& session) { return rename(session, *rename_target, *rename_name); }});

    auto member_pool = std::make_shared<std::string>();
    auto member_device = std::make_shared<std::string>();
    auto member_force = std::make_shared<bool>(false);
    auto* member_app = app.add_subcommand("add-member", "Make a block device a member of a pool; its space is free at once");
    member_app->add_option("pool", *member_pool, "POOL")->required();
    member_app->add_option("device", *member_device, "Block device")->required();
    member_app->add_flag("--force", *member_force, "Erase existing signatures instead of refusing the device");
    commands.push_back({member_app, [member_pool, member_device, member_force](Session& session) {
                            return add_member(session, *member_pool, *member_device, *member_force);
                        }});

    auto leaving_pool = std::make_shared<std::string>();
    auto leaving_device = std::make_shared<std::string>();
    auto* leaving_app =
        app.add_subcommand("remove-member", "Take a member that holds no extents out of a pool and erase its label");
    leaving_app->add_option("pool", *leaving_pool, "POOL")->required();
    leaving_app->add_option("device", *leaving_device, "The member's block device or member uuid")->required();
    commands.push_back({leaving_app, [leaving_pool, leaving_device](Session& session) {
                            return remove_member(session, *leaving_pool, *leaving_device);
                        }});
}

}  // namespace volumectl
