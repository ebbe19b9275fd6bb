#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "service/engine/engine_error.hpp"
#include "service/engine/raid1_repair.hpp"
#include "service/engine/volume_changes.hpp"
#include "service/model/pool_model.hpp"

// The engine's decision to turn a linear volume into a two-image raid1 in place
// (Volume.ConvertToRaid1, as lvm2's `lvconvert --type raid1 -m1`), pure like raid1_repair.hpp.
namespace volumes::engine {

struct ConvertToRaid1Request {
    // Where the new image may go: device paths or member uuids, resolved as Raid1.Repair's
    // (Engine::convert_to_raid1). Empty: any member with room.
    std::vector<std::string> members;
    std::uint64_t region_size = kDefaultRegionSize;  // as Raid1Request's
};

// The linear volume `volume` becomes a raid1 of two images under the same uuid and name, so
// its visible device keeps its dm name and uuid and only its table changes (linear to raid1,
// reloaded while it stays open). Image 0 is the volume's data extents as they are (dm-raid's
// raid1 keeps no data offset: the image maps the same bytes), with one new metadata extent on
// the same member; image 1 is a new leg (one metadata extent and as many data extents) on a
// member holding none of the volume's extents, neither failed nor missing, and in
// `choice.allowed` when that is given, marked `rebuilding`: the table carries "rebuild 1"
// until the kernel has copied image 0 onto it (then finish_raid1_rebuild). Both metadata
// extents must be zeroed before the commit (a new array).
// Refused, with nothing changed: NotFound (no such volume, an allowed member that is not in
// the pool); InvalidArgument (not a linear volume, inactive, on a failed or missing member, a
// bad region size, an allowed member that is failed, missing or holds the volume's extents);
// NotSupported (its extents span several members: a raid1 image lives on one member; it has
// CoW snapshots); NoSpace (no free extent for image 0's metadata on its member, or no allowed
// member with room for image 1, as allocator::allocate_raid1_legs says it).
Result<model::Pool> convert_to_raid1(const model::Pool& pool, const model::Uuid& volume,
                                     const Raid1RepairChoice& choice, std::uint64_t region_size);

}  // namespace volumes::engine
