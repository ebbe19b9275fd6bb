#include "service/bus/requests/pipeline.hpp"

#include "service/bus/call_options.hpp"
#include "service/bus/state/state_reader.hpp"
#include "service/logging/log.hpp"

namespace volumes::bus {

engine::Result<Done> done(engine::Result<void> result)
{
    if (!result)
        return std::unexpected(result.error());
    return Done{};
}

Pipeline::Pipeline(engine::Engine& engine, BusLoop& loop, WorkQueues& queues, Authority& authority)
    : engine_(engine), loop_(loop), queues_(queues), authority_(authority), healer_(engine, loop, queues)
{
}

void Pipeline::attach(ManagerObject& manager, ObjectTree& tree)
{
    manager_ = &manager;
    tree_ = &tree;
    healer_.attach(tree);
}

void Pipeline::check(const CallContext& call, const char* action, const Target& target,
                     std::function<void(const sdbus::Error&)> refuse, std::function<void(uid_t)> then)
{
    auto interaction = allows_user_interaction(call.options);
    if (!interaction) {
        refuse(to_bus_error(interaction.error()));
        return;
    }
    AuthorizationRequest request{call.sender, action, *interaction, {}};
    if (!target.pool.empty())
        request.details["pool"] = target.pool;
    if (!target.volume.empty())
        request.details["volume"] = target.volume;
    request.details["operation"] = target.operation;
    for (const auto& [key, value] : target.details)
        request.details[key] = value;
    authority_.check(request, [target, action = std::string(action), refuse = std::move(refuse),
                               then = std::move(then)](AuthorizationResult result) {
        if (!result.allowed) {
            logging::notice({target.pool, target.volume, target.operation}, "refused {} to uid {}: {}", action,
                            static_cast<long>(result.uid == static_cast<uid_t>(-1) ? -1 : result.uid), result.message);
            refuse(not_authorized(result.message));
            return;
        }
        then(result.uid);
    });
}

Pipeline::Shown Pipeline::read_shown(const std::optional<std::string>& pool, bool problems,
                                     const std::set<std::string>* touched) const
{
    Shown shown;
    try {
        if (pool)
            shown.pool = read_pool(engine_, *pool, touched);
        shown.kernel_targets = engine_.kernel_targets();
        if (problems)
            shown.problems = engine_.problems();
    } catch (const std::exception& e) {
        // The objects stay as they were; the call is still answered from its outcome.
        logging::error({pool ? std::string_view(*pool) : std::string_view(), {}, {}}, "cannot read what changed: {}",
                       e.what());
    }
    return shown;
}

void Pipeline::show(const std::optional<std::string>& pool, Shown shown)
{
    if (shown.kernel_targets)
        manager_->set_kernel_targets(std::move(*shown.kernel_targets));
    if (shown.problems)
        manager_->set_problems(std::move(*shown.problems));
    if (!pool || !shown.pool)
        return;
    if (*shown.pool)
        tree_->apply(**shown.pool);
    else if (shown.pool->error().code == engine::ErrorCode::NotFound)
        tree_->remove_pool(*pool);
}

void Pipeline::log_outcome(const Target& target, const engine::Error* error)
{
    const logging::Fields fields{target.pool, target.volume, target.operation};
    if (!error)
        logging::info(fields, "{} done", target.operation);
    else
        logging::notice(fields, "{} refused ({}): {}", target.operation, engine::to_string(error->code),
                        error->message);
}

}  // namespace volumes::bus
