#pragma once

#include <optional>
#include <string>

#include "kmod/status/raid_status.hpp"
#include "service/engine/engine_error.hpp"
#include "service/engine/volume_status.hpp"
#include "service/model/pool_model.hpp"

namespace volumes::engine {

// The kernel's view of the visible dm device with uuid `dm_uuid`: its info and, with `raid1`,
// its raid status. A device that does not exist (now, or any more by the time its status is
// read) is an inactive volume, not an error.
Result<VolumeStatus> read_volume_status(const std::string& dm_uuid, bool raid1);

RaidSync raid_sync_of(const kmod::RaidStatus& status);

// The usage the snapshot or snapshot-merge target of device `dm_uuid` reports; nullopt when the
// device does not exist or carries another target.
Result<std::optional<SnapshotUsage>> read_snapshot_usage(const std::string& dm_uuid);

// Busy unless the active raid1 `array` is idle and fully in sync (what a split-track, a rename
// and a resize need), with the kernel's position and health in the message.
Result<void> check_raid1_in_sync(const model::Pool& pool, const model::Volume& array);

// Whether anything holds device `dm_uuid` open; false when it does not exist.
Result<bool> device_open(const std::string& dm_uuid);

}  // namespace volumes::engine
