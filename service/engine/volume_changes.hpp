#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "service/engine/engine_error.hpp"
#include "service/model/pool_model.hpp"

// The engine's decisions: each function returns the pool model a request leads to, or why it
// is refused. Pure; uuids come from the caller so the results are reproducible. The caller
// runs the new model through a transaction.
namespace volumes::engine {

using model::Pool;
using model::Uuid;

inline constexpr std::uint64_t kDefaultRegionSize = 512 * 1024;
inline constexpr std::uint32_t kMaxRaid1Images = 8;

struct LinearRequest {
    std::string name;
    std::uint64_t size = 0;  // bytes, rounded up to whole extents
};

struct Raid1Request {
    std::string name;
    std::uint64_t size = 0;  // bytes per image, rounded up to whole extents
    std::uint32_t images = 2;
    std::uint64_t region_size = kDefaultRegionSize;  // a power of two from 4 KiB up to the image size
};

Result<Pool> add_linear_volume(const Pool& pool, const LinearRequest& request, const Uuid& uuid);
Result<Pool> add_raid1_volume(const Pool& pool, const Raid1Request& request, const Uuid& uuid);

// Refuses a volume something else depends on: an array with a tracked image, an origin with
// snapshots, a thin pool with thin volumes; and a tracked image, which is merged or split.
Result<Pool> remove_volume(const Pool& pool, const Uuid& volume);

// The volume is called `new_name` from now on; its dm devices are renamed in place by the
// transaction. Refused: NotFound, InvalidArgument (a bad name), AlreadyExists, Busy while a
// snapshot merge into or out of it is running or pending (the caller refuses a raid1 that is
// still syncing: both have a Job that names the volume).
Result<Pool> rename_volume(const Pool& pool, const Uuid& volume, const std::string& new_name);

// Activating a snapshot or a thin volume activates what it stands on; deactivating an origin
// or a thin pool deactivates what stands on it (as lvm does).
Result<Pool> set_active(const Pool& pool, const Uuid& volume, bool active);

struct SplitTrackRequest {
    std::optional<std::uint32_t> slot;  // default: the highest slot
    std::string image_name;             // default: "<array>_image_<slot>"
    // A two-leg array keeps one leg while split, so it is not redundant until the merge.
    bool allow_no_redundancy = false;
};

// The leg in `slot` leaves the array (its slot "- -") and becomes a read-only tracked image
// volume. The caller checks first that the array is in sync. One tracked image per array.
Result<Pool> split_track(const Pool& pool, const Uuid& array, const SplitTrackRequest& request,
                         const Uuid& image_uuid);

// Split for good: the array's tracked image becomes linear volume `new_name` (read-write, active
// if the image was) over that leg's data extents; the leg's rmeta extent is freed and the
// TrackedImage volume goes. The array loses the slot, so the legs above it move down one slot:
// dm-raid (1.9.0 and later) takes a raid1 table with fewer devices in new positions as they
// are, without a resync (checked on Linux 6.1, raid 1.15.1). A two-leg array becomes a one-leg
// raid1, so its kind never changes under its users; nothing can be split off it any more.
// Refused: NotFound if the array has no tracked image, AlreadyExists for a taken name (the
// image's own too: the new device is created before the image's is removed), InvalidArgument
// for a bad name, a volume that is not raid1, or an inactive array.
Result<Pool> split_image(const Pool& pool, const Uuid& array, std::string new_name, const Uuid& new_uuid);

// The tracked image goes back into its slot; the array's bitmap resyncs what changed. The array
// must be active, so its superblocks can be brought up to date first (raid_superblocks.hpp).
Result<Pool> merge_tracked_image(const Pool& pool, const Uuid& image);

}  // namespace volumes::engine
