#pragma once

#include "service/engine/engine_error.hpp"
#include "service/engine/managed_pool.hpp"

namespace volumes::engine {

// Zeroes the metadata extents of a new raid1 volume's legs through the member devices, before
// the transaction that creates it: dm-raid would otherwise read whatever superblock and bitmap
// an earlier volume left in those extents and could take the new legs for in sync. The
// extents are free in the committed metadata, so nothing reads them meanwhile.
Result<void> zero_raid1_metadata(ManagedPool& pool, const model::Volume& volume);

}  // namespace volumes::engine
