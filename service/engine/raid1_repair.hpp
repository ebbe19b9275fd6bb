#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "service/allocator/extent_allocator.hpp"
#include "service/engine/engine_error.hpp"
#include "service/model/pool_model.hpp"

// The engine's decisions about repairing a raid1 array (Raid1.Repair, as lvm2's
// `lvconvert --repair`), pure like volume_changes.hpp.
namespace volumes::engine {

struct RepairRequest {
    // Where the new images may go: device paths or member uuids (Engine::repair_raid1 resolves
    // them to `Raid1RepairChoice::allowed`). Empty: any member with room.
    std::vector<std::string> members;
};

struct Raid1RepairChoice {
    // The members the new images may go on; empty: any member that may hold them.
    std::vector<model::Uuid> allowed;
    // Members the pool lists that were not found (ManagedPool::missing). The committed model in
    // memory marks them failed too; they count either way.
    std::vector<model::Uuid> missing;
};

struct Raid1Repair {
    model::Pool next;
    std::vector<std::uint32_t> slots;  // the slots given new images, ascending
};

// Every image of `array` whose member is failed or missing (a leg split off as a tracked image
// is left alone) gets new extents (one rmeta extent and as many data extents as the others) on
// a member that holds no other image of the array, is neither failed nor missing, and is in
// `allowed` when that is given; the leg is marked `rebuilding`, so the array's table carries
// `rebuild <slot>` until the kernel has copied it in full (then finish_raid1_rebuild). The old
// extents are free in `next`: the leg no longer names them. Refused, with nothing changed:
// NotFound (no such volume); InvalidArgument (not a raid1, inactive, no image on a failed or
// missing member: nothing to repair, every image on one: nothing to rebuild from, an allowed
// member that is failed, missing or already holds an image of the array); Busy (another leg
// is still being rebuilt); NoSpace (as allocator::allocate_raid1_legs says it).
Result<Raid1Repair> repair_raid1(const model::Pool& pool, const model::Uuid& array, const Raid1RepairChoice& choice);

// `array` without the `rebuilding` mark on each leg the kernel shows alive ('A' at its slot in
// `health`, dm-raid's health characters), once the array is idle and in sync (the caller
// checks that): the reload without `rebuild <slot>` then copies nothing. A marked leg shown
// otherwise ('-': its member failed since, and it runs as "- -") keeps the mark, so it is
// rebuilt in full once it runs again. nullopt when no mark goes (nothing to do).
// NotFound / InvalidArgument (not a raid1) otherwise.
Result<std::optional<model::Pool>> finish_raid1_rebuild(const model::Pool& pool, const model::Uuid& array,
                                                        const std::vector<char>& health);

// Whether a leg of the raid1 `volume` is marked rebuilding; false for other kinds.
bool raid1_rebuilding(const model::Volume& volume);

// Shared with raid1_images.hpp (Raid1.AddImage).
// The member a leg lives on (its metadata's, else its data's); nullptr for a leg with none.
const model::Uuid* raid1_leg_member(const model::Raid1Leg& leg);
// The members that cannot hold an image: `missing` and those the model marks failed.
std::vector<model::Uuid> unusable_members(const model::Pool& pool, const std::vector<model::Uuid>& missing);
// `count` new legs for the raid1 `array` (each one metadata extent and as many data extents as
// its first leg), each on its own member, none in `unusable` nor holding a leg of the array,
// and in `allowed` when that is given. NotFound (an allowed uuid is not a member);
// InvalidArgument (an allowed member is unusable or holds a leg of the array); NoSpace.
Result<std::vector<allocator::LegAllocation>> allocate_new_raid1_legs(const model::Pool& pool,
                                                                      const model::Volume& array,
                                                                      std::uint32_t count,
                                                                      const std::vector<model::Uuid>& unusable,
                                                                      const std::vector<model::Uuid>& allowed);

}  // namespace volumes::engine
