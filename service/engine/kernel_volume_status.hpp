#pragma once

#include <string>

#include "kmod/status/raid_status.hpp"
#include "service/engine/engine_error.hpp"
#include "service/engine/volume_status.hpp"

namespace volumes::engine {

// The kernel's view of the visible dm device with uuid `dm_uuid`: its info and, with `raid1`,
// its raid status. A device that does not exist (now, or any more by the time its status is
// read) is an inactive volume, not an error.
Result<VolumeStatus> read_volume_status(const std::string& dm_uuid, bool raid1);

RaidSync raid_sync_of(const kmod::RaidStatus& status);

}  // namespace volumes::engine
