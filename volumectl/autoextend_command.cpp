// volumectl autoextend: the policies that grow thin pools and CoW snapshots on their own.
#include <charconv>
#include <memory>
#include <optional>

#include <fmt/core.h>

#include "commands.hpp"
#include "json_output.hpp"
#include "text_output.hpp"
#include "usage_error.hpp"

namespace volumectl {

namespace vc = volumes::client;

namespace {

struct AutoextendArgs {
    std::string target;
    std::string policy;      // a volume's "T/S" or "off"
    std::string thin_pools;  // a pool's defaults, "T/S" or "off"
    std::string snapshots;
    bool inherit = false;
};

struct Policy {
    std::uint32_t threshold = 0;
    std::uint32_t step = 0;
};

std::uint32_t parse_percent(std::string_view text, const std::string& what)
{
    std::uint32_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty())
        throw UsageError(fmt::format("{}: '{}' is not a whole number of percent", what, text));
    return value;
}

// "THRESHOLD/STEP" in percent, or "off": nullopt, a threshold of 100 with the step as it is
// (known only once the object is read). Only the syntax is checked here; the daemon checks the
// ranges.
std::optional<Policy> parse_policy(const std::string& text, const std::string& what)
{
    if (text == "off")
        return std::nullopt;
    const auto slash = text.find('/');
    if (slash == std::string::npos)
        throw UsageError(fmt::format("{}: write THRESHOLD/STEP in percent (such as 80/20) or off, not '{}'", what, text));
    return Policy{parse_percent(std::string_view(text).substr(0, slash), what),
                  parse_percent(std::string_view(text).substr(slash + 1), what)};
}

Policy or_off(const std::optional<Policy>& policy, std::uint32_t current_step)
{
    return policy.value_or(Policy{100, current_step});
}

bool names_pool(const std::string& target)
{
    if (target.starts_with('/'))
        return target.starts_with(std::string(vc::root_path) + "/pools/");
    return target.find('/') == std::string::npos;
}

Output pool_autoextend(Session& session, const AutoextendArgs& args)
{
    check_pool_target(args.target);
    if (!args.policy.empty() || args.inherit)
        throw UsageError("a pool takes --thin-pools and --snapshots; a policy or --inherit is for POOL/VOLUME");
    // Outer nullopt: not given; inner nullopt: "off".
    using Given = std::optional<std::optional<Policy>>;
    const Given thin_pools = args.thin_pools.empty() ? Given() : Given(parse_policy(args.thin_pools, "--thin-pools"));
    const Given snapshots = args.snapshots.empty() ? Given() : Given(parse_policy(args.snapshots, "--snapshots"));
    auto pool = session.pool(args.target);
    const auto options = session.call_options();
    if (thin_pools) {
        const auto policy = or_off(*thin_pools, pool.thin_pool_autoextend.step);
        session.client().set_pool_autoextend(pool.path, "thin_pool", policy.threshold, policy.step, options);
    }
    if (snapshots) {
        const auto policy = or_off(*snapshots, pool.snapshot_autoextend.step);
        session.client().set_pool_autoextend(pool.path, "snapshot", policy.threshold, policy.step, options);
    }
    pool = session.client().pool_at(pool.path);
    Output out;
    out.json["pool"] = to_json(pool);
    out.text = describe(pool);
    return out;
}

Output volume_autoextend(Session& session, const AutoextendArgs& args)
{
    check_volume_target(args.target);
    if (!args.thin_pools.empty() || !args.snapshots.empty())
        throw UsageError("--thin-pools and --snapshots set a pool's defaults: name POOL, not POOL/VOLUME");
    if (args.inherit == !args.policy.empty())
        throw UsageError("give POOL/VOLUME either THRESHOLD/STEP (or off) or --inherit");
    const auto parsed = args.inherit ? std::nullopt : parse_policy(args.policy, "POLICY");
    auto volume = session.volume(args.target);
    const vc::AutoextendInfo* current = volume.thin_pool ? &volume.thin_pool->autoextend
                                        : volume.snapshot ? &volume.snapshot->autoextend
                                                          : nullptr;
    if (!current)
        throw vc::NotSupported("", fmt::format("{} is a {} volume: only thin pools and CoW snapshots grow on their own",
                                               volume_label(volume), volume.kind));
    auto options = session.call_options();
    Policy policy;  // 0/0 with "inherit"
    if (args.inherit)
        options.set("inherit", true);
    else
        policy = or_off(parsed, current->step);
    if (volume.thin_pool)
        session.client().set_thin_pool_autoextend(volume.path, policy.threshold, policy.step, options);
    else
        session.client().set_snapshot_autoextend(volume.path, policy.threshold, policy.step, options);
    volume = session.client().volume_at(volume.path);
    Output out;
    out.json["volume"] = to_json(volume);
    out.text = describe(volume);
    return out;
}

}  // namespace

void add_autoextend_command(CLI::App& app, std::vector<Command>& commands)
{
    auto args = std::make_shared<AutoextendArgs>();
    auto* autoextend = app.add_subcommand(
        "autoextend", "Show or set when thin pools and CoW snapshots grow on their own from the pool's free space");
    autoextend->add_option("target", args->target, "POOL (its defaults) or POOL/VOLUME (a thin pool or snapshot)")
        ->required();
    autoextend->add_option("policy", args->policy, "THRESHOLD/STEP in percent (such as 80/20), or off");
    autoextend->add_option("--thin-pools", args->thin_pools, "POOL: the default for its thin pools, T/S or off");
    autoextend->add_option("--snapshots", args->snapshots, "POOL: the default for its CoW snapshots, T/S or off");
    autoextend->add_flag("--inherit", args->inherit, "POOL/VOLUME: drop its own policy, the pool's default applies");
    commands.push_back({autoextend, [args](Session& session) {
                            return names_pool(args->target) ? pool_autoextend(session, *args)
                                                            : volume_autoextend(session, *args);
                        }});
}

}  // namespace volumectl
