#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>

#include <sdbus-c++/sdbus-c++.h>

#include "service/bus/call_options.hpp"
#include "service/bus/object_paths.hpp"
#include "service/bus/requests/pipeline.hpp"
#include "service/bus/requests/request_parsing.hpp"
#include "service/engine/summaries.hpp"

// The parts many method declarations share.
namespace volumes::bus {

using Path = sdbus::ObjectPath;

// The parser of a method whose only option is "auth.no_user_interaction".
inline std::function<engine::Result<Done>()> no_options(const Options& options)
{
    return [options] { return done(parse_no_options(options)); };
}

// Answers a success with nothing.
inline void answer_nothing(Reply<>& reply, const Done&, uid_t)
{
    reply.reply();
}

// Answers a success with the object path of the volume the engine call made.
inline void answer_volume(Reply<Path>& reply, const engine::VolumeSummary& made, uid_t)
{
    reply.reply(Path(volume_path(made.pool, made.name)));
}

// An engine call on one volume that returns nothing: Engine::remove_volume, activate, ...
using VolumeCall = engine::Result<void> (engine::Engine::*)(std::string_view pool, std::string_view volume);

// A method on a volume that takes nothing but its options, runs `engine_call` on it, and
// answers nothing.
inline Method<Done, Done> plain_volume_method(const char* action, const char* operation, const VolumeRef& volume,
                                              const Options& options, VolumeCall engine_call)
{
    return {
        .action = action,
        .target = {volume.pool, volume.volume, operation},
        .parse = no_options(options),
        .run = [volume, engine_call](engine::Engine& engine, const Done&) {
            return done((engine.*engine_call)(volume.pool, volume.volume));
        },
        .answer = answer_nothing,
    };
}

}  // namespace volumes::bus
