#include <algorithm>
#include <memory>

#include <fmt/core.h>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "json_output.hpp"
#include "show_target.hpp"
#include "text_output.hpp"

namespace volumectl {

namespace vc = volumes::client;

namespace {

Output list(Session& session)
{
    const auto objects = session.client().objects();
    Output out;
    out.json["pools"] = nlohmann::json::array();
    for (const auto& pool : objects.pools)
        out.json["pools"].push_back(to_json(pool));
    out.json["volumes"] = nlohmann::json::array();
    for (const auto& volume : objects.volumes)
        out.json["volumes"].push_back(to_json(volume));
    out.text = pool_table(objects.pools) + "\n" + volume_table(objects.volumes);
    return out;
}

Output show_job(const vc::JobInfo& job)
{
    Output out;
    out.json["job"] = to_json(job);
    out.text = describe(job);
    return out;
}

Output show(Session& session, const std::string& target)
{
    const auto shown = classify_show_target(target);
    Output out;
    switch (shown.kind) {
    case ShowTarget::Kind::Job:
        return show_job(session.client().job_at(shown.job_path));
    case ShowTarget::Kind::PoolOrJob:
        if (!session.client().find_pool(shown.name)) {
            const auto jobs = session.client().jobs();
            const auto job = std::find_if(jobs.begin(), jobs.end(),
                                          [&](const vc::JobInfo& j) { return j.path == shown.job_path; });
            if (job == jobs.end())
                throw vc::NotFound("", fmt::format("no pool named '{}' and no job {}", shown.name, shown.job_path));
            return show_job(*job);
        }
        [[fallthrough]];
    case ShowTarget::Kind::Pool: {
        const auto pool = session.pool(shown.name);
        out.json["pool"] = to_json(pool);
        out.text = describe(pool);
        return out;
    }
    case ShowTarget::Kind::Volume: {
        const auto volume = session.volume(shown.name);
        out.json["volume"] = to_json(volume);
        out.text = describe(volume);
        return out;
    }
    }
    return out;
}

Output jobs(Session& session)
{
    const auto jobs = session.client().jobs();
    Output out;
    out.json["jobs"] = nlohmann::json::array();
    for (const auto& job : jobs)
        out.json["jobs"].push_back(to_json(job));
    out.text = job_table(jobs);
    return out;
}

// A job (number or path), or every unfinished job working on a volume.
std::vector<std::string> jobs_named_by(Session& session, const std::string& target)
{
    if (target.find('/') == std::string::npos || target.starts_with(std::string(vc::root_path) + "/jobs/"))
        return {session.job_path(target)};
    const auto volume = session.volume(target);
    std::vector<std::string> found;
    for (const auto& job : session.client().jobs())
        if (!job.finished && std::find(job.objects.begin(), job.objects.end(), volume.path) != job.objects.end())
            found.push_back(job.path);
    return found;
}

}  // namespace

Output wait_for_jobs(Session& session, const std::vector<std::string>& jobs)
{
    Output out;
    out.json["jobs"] = nlohmann::json::array();
    for (const auto& job : jobs) {
        const auto result = session.wait(job);
        out.json["jobs"].push_back(to_json(result.final_state));
        out.text += fmt::format("{} {}: {}\n", job, result.success ? "succeeded" : "failed", result.message);
        if (!result.success)
            out.exit_code = exit_job_failed;
    }
    return out;
}

void add_query_commands(CLI::App& app, std::vector<Command>& commands)
{
    commands.push_back({app.add_subcommand("list", "List pools and volumes"), list});

    auto target = std::make_shared<std::string>();
    auto* show_app = app.add_subcommand("show", "Show a pool (POOL), a volume (POOL/VOLUME) or a job (JOB: its number or object path)");
    show_app->add_option("target", *target, "POOL, POOL/VOLUME, JOB or an object path")->required();
    commands.push_back({show_app, [target](Session& session) { return show(session, *target); }});

    commands.push_back({app.add_subcommand("jobs", "List jobs, running and recently finished"), jobs});

    auto targets = std::make_shared<std::vector<std::string>>();
    auto* wait_app = app.add_subcommand("wait", "Wait for jobs: by number or object path, or every running job of POOL/VOLUME");
    wait_app->add_option("target", *targets, "JOB or POOL/VOLUME")->required();
    commands.push_back({wait_app, [targets](Session& session) {
                            for (const auto& target : *targets)
                                if (target.find('/') != std::string::npos && !target.starts_with("/"))
                                    check_volume_target(target);
                            std::vector<std::string> jobs;
                            for (const auto& target : *targets)
                                for (auto& job : jobs_named_by(session, target))
                                    jobs.push_back(std::move(job));
                            return wait_for_jobs(session, jobs);
                        }});
}

}  // namespace volumectl
