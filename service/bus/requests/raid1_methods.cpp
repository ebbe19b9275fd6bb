// The Raid1 and TrackedImage interfaces' methods, declared for the pipeline.
#include <fmt/format.h>

#include "service/bus/requests/method_parts.hpp"
#include "service/bus/requests/request_handler.hpp"

namespace volumes::bus {

void RequestHandler::split_track(CallContext call, VolumeRef array, sdbus::Result<sdbus::ObjectPath> result)
{
    pipeline_.run(call, std::move(result), Method<engine::SplitTrackRequest, engine::VolumeSummary, Path>{
        .action = action::split_track,
        .target = {array.pool, array.volume, "SplitTrack"},
        .parse = [options = call.options] { return parse_split_track(options); },
        .run = [array](engine::Engine& engine, const engine::SplitTrackRequest& request) {
            return engine.split_track(array.pool, array.volume, request);
        },
        .answer = answer_volume,
    });
}

void RequestHandler::split(CallContext call, VolumeRef array, std::string new_name,
                           sdbus::Result<sdbus::ObjectPath> result)
{
    pipeline_.run(call, std::move(result), Method<Done, engine::VolumeSummary, Path>{
        .action = action::split_track,
        .target = {array.pool, array.volume, "Split"},
        .parse = no_options(call.options),
        .run = [array, new_name](engine::Engine& engine, const Done&) {
            return engine.split_image(array.pool, array.volume, new_name);
        },
        .answer = answer_volume,
    });
}

void RequestHandler::merge_tracked_image(CallContext call, VolumeRef image, sdbus::Result<sdbus::ObjectPath> result)
{
    // The request and the outcome are the name of the array the image goes back into: its
    // resync is the job the call answers with.
    pipeline_.run(call, std::move(result), Method<std::string, std::string, Path>{
        .action = action::merge,
        .target = {image.pool, image.volume, "Merge"},
        .parse = [this, image, options = call.options]() -> engine::Result<std::string> {
            if (auto parsed = parse_no_options(options); !parsed)
                return std::unexpected(parsed.error());
            const auto* state = tree_->volume(image.pool, image.volume);
            if (!state || !state->tracked_image)
                return engine::fail(engine::ErrorCode::NotSupported,
                                    fmt::format("'{}' is not a tracked image", image.volume));
            return state->tracked_image->array;
        },
        .run = [image](engine::Engine& engine, const std::string& array) -> engine::Result<std::string> {
            if (auto merged = engine.merge_tracked_image(image.pool, image.volume); !merged)
                return std::unexpected(merged.error());
            return array;
        },
        .answer = [this, image](Reply<Path>& reply, const std::string& array, uid_t uid) {
            reply.reply(Path(start_sync_job(image.pool, array, "raid1-merge", uid)));
        },
    });
}

void RequestHandler::repair_raid1(CallContext call, VolumeRef array, sdbus::Result<sdbus::ObjectPath> result)
{
    // The array's rebuild is the job the call answers with.
    pipeline_.run(call, std::move(result), Method<engine::RepairRequest, std::vector<std::uint32_t>, Path>{
        .action = action::manage,
        .target = {array.pool, array.volume, "Repair"},
        .parse = [options = call.options] { return parse_repair(options); },
        .run = [array](engine::Engine& engine, const engine::RepairRequest& request) {
            return engine.repair_raid1(array.pool, array.volume, request);
        },
        .answer = [this, array](Reply<Path>& reply, const std::vector<std::uint32_t>&, uid_t uid) {
            reply.reply(Path(start_sync_job(array.pool, array.volume, "raid1-repair", uid)));
        },
    });
}

void RequestHandler::add_raid1_image(CallContext call, VolumeRef array, sdbus::Result<sdbus::ObjectPath> result)
{
    // The new image's sync is the job the call answers with.
    pipeline_.run(call, std::move(result), Method<engine::AddImageRequest, std::uint32_t, Path>{
        .action = action::manage,
        .target = {array.pool, array.volume, "AddImage"},
        .parse = [options = call.options] { return parse_repair(options); },
        .run = [array](engine::Engine& engine, const engine::AddImageRequest& request) {
            return engine.add_raid1_image(array.pool, array.volume, request);
        },
        .answer = [this, array](Reply<Path>& reply, const std::uint32_t&, uid_t uid) {
            reply.reply(Path(start_sync_job(array.pool, array.volume, "raid1-add-image", uid)));
        },
    });
}

void RequestHandler::remove_raid1_image(CallContext call, VolumeRef array, std::uint32_t slot, sdbus::Result<> result)
{
    pipeline_.run(call, std::move(result), Method<Done, Done>{
        .action = action::manage,
        .target = {array.pool, array.volume, "RemoveImage"},
        .parse = no_options(call.options),
        .run = [array, slot](engine::Engine& engine, const Done&) {
            return done(engine.remove_raid1_image(array.pool, array.volume, slot));
        },
        .answer = answer_nothing,
    });
}

}  // namespace volumes::bus
