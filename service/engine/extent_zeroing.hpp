#pragma once

#include "service/engine/engine_error.hpp"
#include "service/engine/managed_pool.hpp"

// Writes to extents the committed metadata leaves free, before the transaction that puts a new
// volume on them, so the kernel never reads what an earlier volume left there. Nothing reads
// those extents meanwhile.
namespace volumes::engine {

// The metadata extents of a new raid1 volume's legs: dm-raid would otherwise read an earlier
// superblock and bitmap and could take the new legs for in sync.
Result<void> zero_raid1_metadata(ManagedPool& pool, const model::Volume& volume);

// The metadata extents of the legs of a raid1 marked `rebuilding` (Raid1.Repair's new legs):
// a zeroed rmeta makes dm-raid take the leg as new, and with `rebuild <slot>` copy it in full.
Result<void> zero_rebuilding_raid1_metadata(ManagedPool& pool, const model::Volume& volume);

// The first chunk of a new snapshot's COW: a persistent exception store whose header is zero
// is new, while an old header would make dm-snapshot load an earlier snapshot's exceptions.
Result<void> zero_snapshot_header(ManagedPool& pool, const model::Volume& volume);

// The superblock of a new thin pool's metadata sub-volume: dm-thin formats metadata whose
// superblock is all zeros, and would otherwise open an earlier pool's metadata.
Result<void> zero_thin_pool_superblock(ManagedPool& pool, const model::Volume& volume);

}  // namespace volumes::engine
