// Volume.ConvertToRaid1, declared for the pipeline.
#include "service/bus/requests/method_parts.hpp"
#include "service/bus/requests/request_handler.hpp"

namespace volumes::bus {

void RequestHandler::convert_to_raid1(CallContext call, VolumeRef volume, sdbus::Result<sdbus::ObjectPath> result)
{
    // The sync of the new image is the job the call answers with; it ends as a repair's does,
    // the array reloaded without "rebuild" (start_sync_job).
    pipeline_.run(call, std::move(result), Method<engine::ConvertToRaid1Request, engine::VolumeSummary, Path>{
        .action = action::manage,
        .target = {volume.pool, volume.volume, "ConvertToRaid1"},
        .parse = [options = call.options] { return parse_convert_to_raid1(options); },
        .run = [volume](engine::Engine& engine, const engine::ConvertToRaid1Request& request) {
            return engine.convert_to_raid1(volume.pool, volume.volume, request);
        },
        .answer = [this, volume](Reply<Path>& reply, const engine::VolumeSummary&, uid_t uid) {
            reply.reply(Path(start_sync_job(volume.pool, volume.volume, "raid1-convert", uid)));
        },
    });
}

}  // namespace volumes::bus
