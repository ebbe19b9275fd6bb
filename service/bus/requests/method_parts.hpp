#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

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

}  // namespace volumes::bus
