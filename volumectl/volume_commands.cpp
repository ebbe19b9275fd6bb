#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
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

// The number a job's path ends in: later jobs have larger ones.
std::uint64_t job_sequence(const std::string& path)
{
    const auto slash = path.rfind('/');
    try {
        return std::stoull(path.substr(slash + 1));
    } catch (const std::exception&) {
        return 0;
    }
}


struct CreatePoolArgs {
    std::string name;
    std::vector<std::string> devices;
    bool force = false;
    std::string extent_size;
};

Output create_pool(Session& session, const CreatePoolArgs& args)
{
    auto options = session.call_options();
    if (!args.extent_size.empty())
        options.set("extent_size", parse_size(args.extent_size, "--extent-size"));
    if (args.force)
        options.set("force", true);
    check_pool_target(args.name);
    const auto path = session.client().create_pool(args.name, args.devices, options);
    const auto pool = session.client().pool_at(path);
    Output out;
    out.json["pool"] = to_json(pool);
    out.text = fmt::format("created pool {} ({}) on {} devices\n", pool.name, format_size(pool.size), pool.members.size());
    return out;
}

struct CreateArgs {
    std::string target;
    std::string size;
    std::string kind;
    bool raid1 = false;
    std::uint32_t images = 0;
    std::string region_size;
    bool wait = false;
};

Output create(Session& session, const CreateArgs& args)
{
    const auto [pool_name, name] = split_volume_target(args.target);
    const auto size = parse_size(args.size, "SIZE");
    if (size == 0)
        throw UsageError("SIZE: a volume needs more than 0 bytes");
    auto options = session.call_options();
    const std::string kind = args.raid1 ? "raid1" : args.kind;
    if (!kind.empty())
        options.set("kind", kind);
    if (args.images != 0)
        options.set("images", args.images);
    if (!args.region_size.empty())
        options.set("region_size", parse_size(args.region_size, "--region-size"));

    const auto pool = session.client().pool(pool_name);
    const auto path = session.client().create_volume(pool.path, name, size, options);
    Output out;
    out.json["jobs"] = nlohmann::json::array();
    if (args.wait) {
        // A small array can finish its sync before this looks: then its newest job (finished)
        // is the one to report.
        std::vector<std::string> jobs;
        std::optional<vc::JobInfo> newest;
        for (const auto& job : session.client().jobs()) {
            if (std::find(job.objects.begin(), job.objects.end(), path) == job.objects.end())
                continue;
            if (!job.finished)
                jobs.push_back(job.path);
            if (!newest || job_sequence(job.path) > job_sequence(newest->path))
                newest = job;
        }
        if (jobs.empty() && newest)
            jobs.push_back(newest->path);
        out = wait_for_jobs(session, jobs);
    }
    const auto volume = session.client().volume_at(path);
    out.json["volume"] = to_json(volume);
    out.text += fmt::format("created {} volume {} ({}), {}\n", volume.kind, volume_label(volume), format_size(volume.size),
                            volume.device_path);
    return out;
}

Output remove(Session& session, const std::string& target)
{
    Output out;
    if (target.find('/') != std::string::npos && !target.starts_with(std::string(vc::root_path) + "/pools/")) {
        check_volume_target(target);
        const auto volume = session.volume(target);
        session.client().remove_volume(volume.path, session.call_options());
        out.json["removed"] = volume.path;
        out.text = fmt::format("removed volume {}\n", volume_label(volume));
    } else {
        check_pool_target(target);
        const auto pool = session.pool(target);
        session.client().destroy_pool(pool.path, session.call_options());
        out.json["removed"] = pool.path;
        out.text = fmt::format("destroyed pool {}\n", pool.name);
    }
    return out;
}

Output set_active(Session& session, const std::string& target, bool active)
{
    check_volume_target(target);
    const auto volume = session.volume(target);
    if (active)
        session.client().activate(volume.path, session.call_options());
    else
        session.client().deactivate(volume.path, session.call_options());
    const auto now = session.client().volume_at(volume.path);
    Output out;
    out.json["volume"] = to_json(now);
    out.text = fmt::format("{} {}\n", volume_label(now), now.active ? "active, " + now.device_path : "inactive");
    return out;
}

}  // namespace

CLI::Option* add_size_option(CLI::App& app, const std::string& name, std::string& value, const std::string& help)
{
    return app.add_option(name, value, help + " (bytes, or with K, M, G, T)");
}

void add_volume_commands(CLI::App& app, std::vector<Command>& commands)
{
    auto pool_args = std::make_shared<CreatePoolArgs>();
    auto* pool_app = app.add_subcommand("create-pool", "Make block devices the members of a new pool");
    pool_app->add_option("name", pool_args->name, "The pool's name")->required();
    pool_app->add_option("devices", pool_args->devices, "Block devices")->required();
    pool_app->add_flag("--force", pool_args->force, "Erase existing signatures instead of refusing the device");
    add_size_option(*pool_app, "--extent-size", pool_args->extent_size, "Allocation unit, a power of two of at least 1 MiB");
    commands.push_back({pool_app, [pool_args](Session& session) { return create_pool(session, *pool_args); }});

    auto create_args = std::make_shared<CreateArgs>();
    auto* create_app = app.add_subcommand("create", "Create a linear or raid1 volume");
    create_app->add_option("volume", create_args->target, "POOL/NAME")->required();
    add_size_option(*create_app, "size", create_args->size, "Size (per image for raid1)")->required();
    create_app->add_option("--kind", create_args->kind, "linear (default) or raid1")->check(CLI::IsMember({"linear", "raid1"}));
    create_app->add_flag("--raid1", create_args->raid1, "Same as --kind raid1");
    create_app->add_option("--images", create_args->images, "raid1: images, 2 to 8 (default 2)");
    add_size_option(*create_app, "--region-size", create_args->region_size, "raid1: bytes per bitmap bit (default 512K)");
    create_app->add_flag("--wait", create_args->wait, "raid1: wait until the initial sync has finished");
    commands.push_back({create_app, [create_args](Session& session) { return create(session, *create_args); }});

    auto remove_target = std::make_shared<std::string>();
    auto* remove_app = app.add_subcommand("remove", "Remove a volume (POOL/VOLUME) or destroy an empty pool (POOL)");
    remove_app->add_option("target", *remove_target, "POOL/VOLUME or POOL")->required();
    commands.push_back({remove_app, [remove_target](Session& session) { return remove(session, *remove_target); }});

    for (const bool active : {true, false}) {
        auto target = std::make_shared<std::string>();
        auto* sub = app.add_subcommand(active ? "activate" : "deactivate",
                                       active ? "Activate a volume" : "Deactivate a volume");
        sub->add_option("volume", *target, "POOL/VOLUME")->required();
        commands.push_back({sub, [target, active](Session& session) { return set_active(session, *target, active); }});
    }
}

}  // namespace volumectl
