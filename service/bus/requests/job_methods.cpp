// Job.Cancel: no engine call, and its authorization depends on whose job it is.
#include <fmt/format.h>

#include "service/bus/requests/method_parts.hpp"
#include "service/bus/requests/request_handler.hpp"

namespace volumes::bus {

void RequestHandler::cancel_job(CallContext call, std::uint64_t job, sdbus::Result<> result)
{
    const Target target{{}, {}, "Cancel"};
    auto reply = pipeline_.guard(std::move(result), target);
    if (auto interaction = allows_user_interaction(call.options); !interaction)
        return reply->fail(to_bus_error(interaction.error()));
    auto decide = [this, reply, job, options = call.options](uid_t) {
        if (auto parsed = parse_no_options(options); !parsed)
            return reply->fail(to_bus_error(parsed.error()));
        const auto* state = jobs_->find(job);
        if (!state)
            return reply->fail(to_bus_error({engine::ErrorCode::NotFound, fmt::format("no job {}", job)}));
        if (state->finished)
            return reply->fail(
                to_bus_error({engine::ErrorCode::Busy, fmt::format("job {} has already finished", job)}));
        if (state->cancelable)
            return cancel_move_job(job, [reply](engine::Result<void> cancelled) {
                if (!cancelled)
                    return reply->fail(to_bus_error(cancelled.error()));
                reply->reply();
            });
        reply->fail(to_bus_error(
            {engine::ErrorCode::NotSupported,
             fmt::format("job {} ({}) cannot be cancelled: the kernel finishes it on its own", job, state->operation)}));
    };
    // Its own job the caller may cancel without asking polkit; anyone else's needs cancel-job.
    reply->step("asking the bus who calls");
    pipeline_.authority().caller_uid(call.sender, [this, call, target, reply, job, decide](std::optional<uid_t> uid,
                                                                                          std::string error) {
        guarded(*reply, [&] {
            const auto* state = jobs_->find(job);
            if (uid && state && state->started_by_uid == *uid)
                return decide(*uid);
            if (!uid)
                return reply->fail(not_authorized(fmt::format("cannot tell who is calling: {}", error)));
            pipeline_.authorize(call, action::cancel_job, target, reply, decide);
        });
    });
}

}  // namespace volumes::bus
