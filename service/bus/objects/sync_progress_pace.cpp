#include "service/bus/objects/sync_progress_pace.hpp"

namespace volumes::bus {

namespace {

bool runs(const RaidSyncState& sync)
{
    return !sync.synced && (sync.action == "resync" || sync.action == "recover" || sync.action == "check" ||
                            sync.action == "repair" || sync.action == "reshape");
}

}  // namespace

bool sync_progress_due(const RaidSyncState& before, const RaidSyncState& after,
                       std::chrono::steady_clock::time_point last, std::chrono::steady_clock::time_point now)
{
    if (after.action.empty())
        return false;
    if (!(before == after))
        return true;
    // Samples come every 250 ms: due from 750 ms on, the next one goes out within a second.
    return runs(after) && now - last >= std::chrono::milliseconds(750);
}

}  // namespace volumes::bus
