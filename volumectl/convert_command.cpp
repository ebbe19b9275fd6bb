// volumectl convert: a linear volume becomes a raid1 in place (Volume.ConvertToRaid1).
#include <memory>

#include <fmt/core.h>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "json_output.hpp"
#include "sizes.hpp"
#include "text_output.hpp"
#include "usage_error.hpp"

namespace volumectl {

namespace {

struct ConvertArgs {
    std::string target;
    std::string type;
    std::vector<std::string> members;
    std::string region_size;
    bool no_wait = false;
};

Output convert(Session& session, const ConvertArgs& args)
{
    check_volume_target(args.target);
    if (args.type != "raid1")
        throw UsageError(fmt::format("--type: a linear volume converts to raid1 only, not '{}'", args.type));
    const auto region_size = args.region_size.empty() ? 0 : parse_size(args.region_size, "--region-size");
    if (!args.region_size.empty() && region_size == 0)
        throw UsageError("--region-size: a region needs more than 0 bytes");
    const auto volume = session.volume(args.target);
    const auto job =
        session.client().convert_to_raid1(volume.path, args.members, region_size, session.call_options());
    Output out;
    out.json["object"] = volume.path;
    out.json["pending"] = false;
    if (args.no_wait) {
        out.json["job"] = to_json(session.client().job_at(job));
        out.text = fmt::format("converting {} to raid1: job {}\n", volume_label(volume), job);
        return out;
    }
    const auto result = session.wait(job);
    out.json["job"] = to_json(result.final_state);
    out.text = fmt::format("conversion of {} to raid1 {}: {}\n", volume_label(volume),
                           result.success ? "completed" : "failed", result.message);
    if (!result.success)
        out.exit_code = exit_job_failed;
    return out;
}

}  // namespace

void add_convert_command(CLI::App& app, std::vector<Command>& commands)
{
    auto args = std::make_shared<ConvertArgs>();
    auto* convert_app = app.add_subcommand(
        "convert", "Turn a linear volume into a two-image raid1 in place, waiting for the new image's sync");
    convert_app->add_option("volume", args->target, "POOL/VOLUME")->required();
    convert_app->add_option("--type", args->type, "The new kind: raid1")->required();
    convert_app->add_option("--members", args->members,
                            "Members the new image may go on (device paths or member uuids; default any with room)");
    add_size_option(*convert_app, "--region-size", args->region_size, "raid1: bytes per bitmap bit (default 512K)");
    convert_app->add_flag("--no-wait", args->no_wait, "Return once the sync started; do not wait for its job");
    commands.push_back({convert_app, [args](Session& s) { return convert(s, *args); }});
}

}  // namespace volumectl
