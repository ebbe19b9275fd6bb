// The Snapshot interface's method, declared for the pipeline.
#include <fmt/format.h>

#include "service/bus/requests/method_parts.hpp"
#include "service/bus/requests/request_handler.hpp"
#include "service/logging/log.hpp"

namespace volumes::bus {

void RequestHandler::merge_snapshot(CallContext call, VolumeRef snapshot,
                                    sdbus::Result<sdbus::ObjectPath, bool> result)
{
    using MergeStart = engine::Engine::MergeStart;
    pipeline_.run(call, std::move(result), Method<Done, MergeStart, Path, bool>{
        .action = action::merge,
        .target = {snapshot.pool, snapshot.volume, "Merge"},
        .parse = no_options(call.options),
        .run = [snapshot](engine::Engine& engine, const Done&) {
            return engine.merge_snapshot(snapshot.pool, snapshot.volume);
        },
        // A merge that starts now is followed by a job; a pending one starts at the origin's
        // next activation, and its job then.
        .answer = [this, snapshot](Reply<Path, bool>& reply, const MergeStart& merge, uid_t uid) {
            if (merge == MergeStart::Pending) {
                logging::info({snapshot.pool, snapshot.volume, "Merge"},
                              "merge pending: it starts at the origin's next activation");
                return reply.reply(Path(std::string(kNoObject)), true);
            }
            auto job = start_merge_job(snapshot.pool, snapshot.volume, uid);
            if (!job)
                return reply.fail(to_bus_error(
                    {engine::ErrorCode::Busy, fmt::format("a job already follows the merge of '{}'", snapshot.volume)}));
            reply.reply(Path(*job), false);
        },
    });
}

}  // namespace volumes::bus
