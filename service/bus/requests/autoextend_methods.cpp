// The autoextend settings, declared for the pipeline: Pool.SetAutoextend, and
// ThinPool.SetAutoextend / Snapshot.SetAutoextend on the volume they are called on.
#include <fmt/core.h>

#include "service/bus/requests/method_parts.hpp"
#include "service/bus/requests/request_handler.hpp"
#include "service/engine/error_translation.hpp"
#include "service/model/autoextend_policy.hpp"

namespace volumes::bus {

namespace {

engine::Result<model::AutoextendPolicy> checked_policy(std::uint32_t threshold, std::uint32_t step,
                                                       std::string_view what)
{
    const model::AutoextendPolicy policy{threshold, step};
    if (auto checked = model::check_autoextend_policy(policy, what); !checked)
        return std::unexpected(engine::from_model(checked.error()));
    return policy;
}

struct PoolAutoextendRequest {
    bool snapshots = false;
    model::AutoextendPolicy policy;
};

engine::Result<PoolAutoextendRequest> parse_pool_autoextend(const std::string& kind, std::uint32_t threshold,
                                                            std::uint32_t step, const Options& options)
{
    if (auto finished = parse_no_options(options); !finished)
        return std::unexpected(finished.error());
    if (kind != "thin_pool" && kind != "snapshot")
        return engine::fail(engine::ErrorCode::InvalidArgument,
                            fmt::format("autoextend applies to kind \"thin_pool\" or \"snapshot\", not \"{}\"", kind));
    auto policy = checked_policy(threshold, step, fmt::format("the pool's {} autoextend", kind));
    if (!policy)
        return std::unexpected(policy.error());
    return PoolAutoextendRequest{kind == "snapshot", *policy};
}

// nullopt: "inherit", the pool's default applies again.
engine::Result<std::optional<model::AutoextendPolicy>> parse_volume_autoextend(std::uint32_t threshold,
                                                                              std::uint32_t step,
                                                                              const Options& options)
{
    OptionReader reader(options);
    const bool inherit = reader.boolean("inherit").value_or(false);
    if (auto finished = reader.finish(); !finished)
        return std::unexpected(finished.error());
    if (inherit) {
        if (threshold != 0 || step != 0)
            return engine::fail(engine::ErrorCode::InvalidArgument,
                                fmt::format("with \"inherit\" the threshold and step must be 0, not {} and {}: the "
                                            "pool's default applies",
                                            threshold, step));
        return std::nullopt;
    }
    auto policy = checked_policy(threshold, step, "the volume's autoextend");
    if (!policy)
        return std::unexpected(policy.error());
    return std::optional<model::AutoextendPolicy>(*policy);
}

}  // namespace

void RequestHandler::set_pool_autoextend(CallContext call, std::string pool, std::string kind, std::uint32_t threshold,
                                         std::uint32_t step, sdbus::Result<> result)
{
    pipeline_.run(call, std::move(result), Method<PoolAutoextendRequest, Done>{
        .action = action::manage,
        .target = {pool, {}, "SetAutoextend"},
        .parse = [kind, threshold, step, options = call.options] {
            return parse_pool_autoextend(kind, threshold, step, options);
        },
        .run = [pool](engine::Engine& engine, const PoolAutoextendRequest& request) {
            return done(engine.set_pool_autoextend(pool, request.snapshots, request.policy));
        },
        .answer = answer_nothing,
    });
}

void RequestHandler::set_volume_autoextend(CallContext call, VolumeRef volume, std::uint32_t threshold,
                                           std::uint32_t step, sdbus::Result<> result)
{
    using Request = std::optional<model::AutoextendPolicy>;
    pipeline_.run(call, std::move(result), Method<Request, Done>{
        .action = action::manage,
        .target = {volume.pool, volume.volume, "SetAutoextend"},
        .parse = [threshold, step, options = call.options] {
            return parse_volume_autoextend(threshold, step, options);
        },
        .run = [volume](engine::Engine& engine, const Request& policy) {
            return done(engine.set_volume_autoextend(volume.pool, volume.volume, policy));
        },
        .answer = answer_nothing,
    });
}

}  // namespace volumes::bus
