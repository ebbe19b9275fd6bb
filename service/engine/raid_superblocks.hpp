#pragma once

#include "service/engine/engine_error.hpp"
#include "service/executor/udev_reaper.hpp"
#include "service/model/pool_model.hpp"

namespace volumes::engine {

// Suspends and resumes a live raid1 array so md writes its superblocks from what it holds in
// memory. Needed before a tracked image is merged back: the superblocks must mark the
// image's slot as failed for md to resync the regions its bitmap holds, and after the split
// the old table's teardown can leave them without that mark (seen on Linux 6.1: the merge
// then resynced nothing and the returning leg kept stale data).
// udev's probe of the array's change event is left to `udev_reaper`.
Result<void> rewrite_raid_superblocks(const model::Pool& pool, const model::Volume& array,
                                      executor::UdevReaper& udev_reaper);

}  // namespace volumes::engine
