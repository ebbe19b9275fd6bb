#pragma once

#include <string>
#include <vector>

#include "service/engine/shared_targets.hpp"
#include "service/executor/udev_reaper.hpp"
#include "service/engine/engine_error.hpp"
#include "service/engine/managed_pool.hpp"

// What the kernel says about snapshot merges, for the engine's decisions (snapshot_changes.hpp).
namespace volumes::engine {

// Whether the origin or the snapshot device of `snapshot` is open, which defers its merge
// (kernel-targets.md §2.5). Waits for udev first: its probe of a new device holds it open.
Result<bool> merge_held_open(const model::Pool& pool, const model::Volume& snapshot);

// Refuses (NotSupported) a snapshot whose active device reports it invalid.
Result<void> check_snapshot_valid(const model::Pool& pool, const model::Volume& snapshot);

// Starts each pending merge of the pool whose origin is active and not held open: one
// transaction each. Returns the names of the snapshots now merging. The caller holds the pool.
Result<std::vector<std::string>> start_pending_merges(ManagedPool& pool, SharedTargets& targets,
                                                      executor::UdevReaper& udev_reaper);

}  // namespace volumes::engine
