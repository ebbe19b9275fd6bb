// The ThinPool interface's methods, declared for the pipeline.
#include "service/bus/requests/method_parts.hpp"
#include "service/bus/requests/request_handler.hpp"

namespace volumes::bus {

void RequestHandler::create_thin(CallContext call, VolumeRef thin_pool, std::string name, std::uint64_t virtual_size,
                                 sdbus::Result<sdbus::ObjectPath> result)
{
    pipeline_.run(call, std::move(result), Method<Done, engine::VolumeSummary, Path>{
        .action = action::manage,
        .target = {thin_pool.pool, thin_pool.volume, "CreateThin"},
        .parse = [options = call.options, virtual_size]() -> engine::Result<Done> {
            if (auto parsed = parse_no_options(options); !parsed)
                return std::unexpected(parsed.error());
            return done(check_size("a thin volume's virtual size", virtual_size));
        },
        .run = [thin_pool, name, virtual_size](engine::Engine& engine, const Done&) {
            return engine.create_thin(thin_pool.pool, thin_pool.volume, name, virtual_size);
        },
        .answer = answer_volume,
    });
}

void RequestHandler::reserve_metadata_snap(CallContext call, VolumeRef thin_pool,
                                           sdbus::Result<std::uint64_t, std::string, std::uint64_t> result)
{
    using Hold = engine::Engine::MetadataSnapHold;
    pipeline_.run(call, std::move(result), Method<Done, Hold, std::uint64_t, std::string, std::uint64_t>{
        .action = action::reserve_metadata_snap,
        .target = {thin_pool.pool, thin_pool.volume, "ReserveMetadataSnap"},
        .parse = no_options(call.options),
        .run = [thin_pool](engine::Engine& engine, const Done&) {
            return engine.reserve_metadata_snap(thin_pool.pool, thin_pool.volume);
        },
        .answer = [](Reply<std::uint64_t, std::string, std::uint64_t>& reply, const Hold& held, uid_t) {
            reply.reply(held.held_root, held.metadata_device, held.transaction_id);
        },
    });
}

void RequestHandler::release_metadata_snap(CallContext call, VolumeRef thin_pool, sdbus::Result<> result)
{
    pipeline_.run(call, std::move(result),
                  plain_volume_method(action::reserve_metadata_snap, "ReleaseMetadataSnap", thin_pool, call.options,
                                      &engine::Engine::release_metadata_snap));
}

void RequestHandler::resize_thin_pool(CallContext call, VolumeRef thin_pool, std::uint64_t data_size,
                                      std::uint64_t metadata_size, sdbus::Result<> result)
{
    pipeline_.run(call, std::move(result), Method<Done, engine::VolumeSummary>{
        .action = action::manage,
        .target = {thin_pool.pool, thin_pool.volume, "Resize"},
        .parse = [data_size, metadata_size, options = call.options] {
            return done(parse_resize_thin_pool(data_size, metadata_size, options));
        },
        .run = [thin_pool, data_size, metadata_size](engine::Engine& engine, const Done&) {
            return engine.resize_thin_pool(thin_pool.pool, thin_pool.volume, data_size, metadata_size);
        },
        .answer = [](Reply<>& reply, const engine::VolumeSummary&, uid_t) { reply.reply(); },
    });
}

}  // namespace volumes::bus
