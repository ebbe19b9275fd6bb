#pragma once

#include <chrono>

#include "service/bus/state/service_state.hpp"

namespace volumes::bus {

// Whether Raid1.SyncProgress goes out for a new sample: when the sync moved, and at least
// once a second while one runs even if md's reported position stood still (it moves in
// bursts), as Raid1.xml promises. `last` is when the previous one went out.
bool sync_progress_due(const RaidSyncState& before, const RaidSyncState& after,
                       std::chrono::steady_clock::time_point last, std::chrono::steady_clock::time_point now);

}  // namespace volumes::bus
