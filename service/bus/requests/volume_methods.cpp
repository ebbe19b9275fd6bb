// The Volume interface's methods, declared for the pipeline.
#include <fmt/core.h>

#include "service/bus/requests/method_parts.hpp"
#include "service/bus/requests/request_handler.hpp"

namespace volumes::bus {

void RequestHandler::create_snapshot(CallContext call, VolumeRef volume, std::string name, std::uint64_t cow_size,
                                     sdbus::Result<sdbus::ObjectPath> result)
{
    pipeline_.run(call, std::move(result), Method<engine::SnapshotRequest, engine::VolumeSummary, Path>{
        .action = action::manage,
        .target = {volume.pool, volume.volume, "CreateSnapshot"},
        .parse = [name, cow_size, options = call.options] { return parse_create_snapshot(name, cow_size, options); },
        .run = [volume](engine::Engine& engine, const engine::SnapshotRequest& request) {
            return engine.create_snapshot(volume.pool, volume.volume, request);
        },
        .answer = answer_volume,
    });
}

void RequestHandler::remove_volume(CallContext call, VolumeRef volume, sdbus::Result<> result)
{
    pipeline_.run(call, std::move(result),
                  plain_volume_method(action::manage, "Remove", volume, call.options, &engine::Engine::remove_volume));
}

void RequestHandler::activate(CallContext call, VolumeRef volume, sdbus::Result<> result)
{
    auto method = plain_volume_method(action::manage, "Activate", volume, call.options, &engine::Engine::activate);
    // An array that resyncs after activation gets a job; so does a snapshot merge that starts.
    method.answer = [this, volume](Reply<>& reply, const Done&, uid_t uid) {
        const auto* state = tree_->volume(volume.pool, volume.volume);
        if (state && needs_sync_job(*state))
            start_sync_job(volume.pool, volume.volume, "raid1-sync", uid);
        follow_merges(volume.pool, uid);
        reply.reply();
    };
    pipeline_.run(call, std::move(result), std::move(method));
}

void RequestHandler::resize_volume(CallContext call, VolumeRef volume, std::uint64_t size,
                                   sdbus::Result<std::uint64_t, std::string> result)
{
    pipeline_.run(call, std::move(result), Method<engine::ResizeRequest, engine::Engine::Resized, std::uint64_t, std::string>{
        .action = action::manage,
        .target = {volume.pool, volume.volume, "Resize"},
        .parse = [size, options = call.options] { return parse_resize(size, options); },
        .run = [volume](engine::Engine& engine, const engine::ResizeRequest& request) {
            return engine.resize_volume(volume.pool, volume.volume, request);
        },
        // A raid1 that grew while active resyncs its new region: a job follows it, named in the reply.
        .answer = [this, volume](Reply<std::uint64_t, std::string>& reply, const engine::Engine::Resized& resized,
                                 uid_t uid) {
            if (!resized.resync_from_sector) {
                reply.reply(resized.volume.size, resized.filesystem);
                return;
            }
            const auto job = start_sync_job(volume.pool, volume.volume, "raid1-grow", uid, *resized.resync_from_sector);
            auto said = fmt::format("the new region syncs: job {}", job);
            if (!resized.filesystem.empty())
                said = resized.filesystem + "; " + said;
            reply.reply(resized.volume.size, said);
        },
    });
}

void RequestHandler::rename_volume(CallContext call, VolumeRef volume, std::string new_name,
                                   sdbus::Result<sdbus::ObjectPath> result)
{
    pipeline_.run(call, std::move(result), Method<Done, engine::VolumeSummary, Path>{
        .action = action::manage,
        .target = {volume.pool, volume.volume, "Rename"},
        .parse = no_options(call.options),
        .run = [volume, new_name](engine::Engine& engine, const Done&) {
            return engine.rename_volume(volume.pool, volume.volume, new_name);
        },
        .answer = answer_volume,
    });
}

void RequestHandler::deactivate(CallContext call, VolumeRef volume, sdbus::Result<> result)
{
    pipeline_.run(call, std::move(result),
                  plain_volume_method(action::manage, "Deactivate", volume, call.options, &engine::Engine::deactivate));
}

}  // namespace volumes::bus
