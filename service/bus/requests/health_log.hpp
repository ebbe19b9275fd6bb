#pragma once

#include <optional>
#include <string>

#include "service/bus/state/service_state.hpp"
#include "service/logging/log.hpp"

// What the log says when a raid1 array's Health changes (Raid1.Health), whichever way the new
// state came: a dm event's refresh, a call, a job.
namespace volumes::bus {

struct HealthChange {
    logging::Level level = logging::Level::Warning;
    std::string message;
};

// From what the volume's object shows (nullptr: not exported yet) to `next`: a warning when
// the array's Health leaves "ok" or changes between "degraded" and "failed", or when it first
// shows as not "ok"; a notice when it is "ok" again; each with every slot and its word, and why
// the volume is unavailable if it is. Nothing when Health stays, or for a volume that is no
// raid1.
std::optional<HealthChange> health_change(const VolumeState* shown, const VolumeState& next);

// Logs health_change's message, if any, for the volume (ObjectTree::watch_volumes).
void log_health_change(const VolumeState* shown, const VolumeState& next);

}  // namespace volumes::bus
