// evacuate: move every extent off a pool member (Pool.EvacuateMember), and cancel: Job.Cancel.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <fmt/core.h>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "json_output.hpp"
#include "text_output.hpp"

namespace volumectl {

namespace {

struct EvacuateArgs {
    std::string target;
    std::string device;
    bool remove = false;
    std::uint32_t max_rate = 0;
    bool no_wait = false;
};

Output evacuate(Session& session, const EvacuateArgs& args)
{
    check_pool_target(args.target);
    const auto pool = session.pool(args.target);
    const auto job = session.client().evacuate_member(
        pool.path, args.device, args.remove, args.max_rate ? std::optional<std::uint32_t>(args.max_rate) : std::nullopt,
        session.call_options());
    Output out;
    out.json["object"] = pool.path;
    out.json["pending"] = false;
    if (args.no_wait) {
        out.json["job"] = to_json(session.client().job_at(job));
        out.text = fmt::format("moving the extents off {} in pool {}: job {}\n", args.device, pool.name, job);
        return out;
    }
    const auto result = session.wait(job);
    out.json["job"] = to_json(result.final_state);
    out.text = fmt::format("move off {} in pool {} {}: {}\n", args.device, pool.name,
                           result.success ? "completed" : "failed", result.message);
    if (!result.success)
        out.exit_code = exit_job_failed;
    return out;
}

Output cancel(Session& session, const std::string& job)
{
    session.client().cancel_job(job, session.call_options());
    Output out;
    out.json["job"] = to_json(session.client().job_at(job));
    out.text = fmt::format("job {} cancelled\n", job);
    return out;
}

}  // namespace

void add_evacuate_commands(CLI::App& app, std::vector<Command>& commands)
{
    auto args = std::make_shared<EvacuateArgs>();
    auto* evacuate_app = app.add_subcommand(
        "evacuate", "Move every extent off a pool member (pvmove), waiting for the copy; --remove then removes it");
    evacuate_app->add_option("pool", args->target, "POOL")->required();
    evacuate_app->add_option("device", args->device, "The member's block device or member uuid")->required();
    evacuate_app->add_flag("--remove", args->remove, "Remove the member from the pool once it is empty");
    evacuate_app->add_option("--max-rate", args->max_rate, "Copy at most this many KiB/s per moved run");
    evacuate_app->add_flag("--no-wait", args->no_wait, "Return once the move started; do not wait for its job");
    commands.push_back({evacuate_app, [args](Session& s) { return evacuate(s, *args); }});

    auto job = std::make_shared<std::string>();
    auto* cancel_app = app.add_subcommand("cancel", "Cancel a job that can be cancelled (an evacuate's move)");
    cancel_app->add_option("job", *job, "The job's object path")->required();
    commands.push_back({cancel_app, [job](Session& s) { return cancel(s, *job); }});
}

}  // namespace volumectl
