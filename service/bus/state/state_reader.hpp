#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "service/bus/state/service_state.hpp"
#include "service/engine/engine.hpp"

// Reads what the bus objects show from the engine and the kernel. Blocks on both: call it on a
// worker, never on the bus thread.
namespace volumes::bus {

std::vector<std::string> pool_names(const engine::Engine& engine);

// NotFound when the pool no longer exists. With `only`, the volumes not named there are
// listed as unchanged instead of read: a change costs what it touched, not the pool's size.
engine::Result<PoolSnapshot> read_pool(const engine::Engine& engine, std::string_view pool,
                                       const std::set<std::string>* only = nullptr);

// The Pool properties from the engine's summary; MissingMembers and FailedMembers in member order.
PoolState pool_state(const engine::PoolSummary& summary);
// The raid1 part of a volume from its model, its pool's missing and failed members (`members`),
// its status (nullopt: inactive) and why it cannot run (VolumeState::unavailable).
Raid1State raid1_state(const model::Pool& pool, const PoolState& members, const model::Raid1Layout& layout,
                       const std::optional<engine::RaidSync>& status, std::string_view unavailable);
RaidSyncState raid_sync_state(const engine::RaidSync& status);
// The snapshot part of a volume from its model and its COW usage (zero counts when unknown);
// "Merge failed" from the kernel shows as merge state "failed".
// The thin pool part of a volume: transaction id, usage in bytes, mode and held root from its
// status, the committed transaction id while it is inactive.
ThinPoolState thin_pool_state(const model::Pool& pool, const model::Volume& volume, const model::ThinPoolLayout& layout,
                              const engine::Result<std::optional<engine::ThinPoolUsage>>& usage);
SnapshotState snapshot_state(const model::SnapshotLayout& layout,
                             const engine::Result<std::optional<engine::SnapshotUsage>>& usage);

}  // namespace volumes::bus
