#pragma once

#include "service/engine/engine_error.hpp"
#include "service/engine/managed_pool.hpp"

// The steps of destroying a pool; the caller holds the pool's lock.
namespace volumes::engine {

// InUse while the pool has volumes, Busy while it misses members (the missing ones would
// keep their labels and come back as an incomplete pool).
// InUse while the pool has volumes; Busy while it misses members, unless `force` (the present
// members are then erased and the missing ones keep their labels).
Result<void> check_destroyable(const ManagedPool& pool, bool force = false);

// Reads the kernel: InUse when a dm device with the pool's uuid prefix is open, Busy when one
// exists at all (a pool without volumes has none once reconciled).
Result<void> check_no_pool_devices(const ManagedPool& pool);

// For each member in turn: erases its label, then zeroes its metadata area, and flushes. A
// member stops being one with its label, so the scan never finds a member without its area.
// On a failure the members already erased leave `pool.members` for `pool.missing`, a problem
// says what happened, and the pool stays incomplete: the members still labelled are what a
// fresh start assembles, as an incomplete pool missing the erased ones.
Result<void> erase_members(ManagedPool& pool);

}  // namespace volumes::engine
