#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "service/engine/engine_error.hpp"
#include "service/engine/raid1_repair.hpp"
#include "service/model/pool_model.hpp"

// The engine's decisions about adding an image to a raid1 array and removing one
// (Raid1.AddImage / Raid1.RemoveImage, as lvm2's `lvconvert -m+1` / `-m-1 [PV]`), pure like
// raid1_repair.hpp, whose member choice they share.
namespace volumes::engine {

// Raid1.AddImage's options: as Raid1.Repair's, where the new image may go.
using AddImageRequest = RepairRequest;

struct Raid1ImageAddition {
    model::Pool next;
    std::uint32_t slot = 0;  // the new image's slot: the array's last
};

// A new leg for the raid1 `array` (one rmeta extent and as many data extents as the others),
// on a member that holds no image of it, is neither failed nor missing and is in
// `choice.allowed` when that is given, appended as the next slot and marked `rebuilding`: the
// array loads it with `rebuild <slot>` over its zeroed rmeta until the kernel has copied it in
// full (then finish_raid1_rebuild). Refused, with nothing changed: NotFound (no such volume, an
// allowed uuid that is no member); InvalidArgument (not a raid1, inactive, already the most
// images a raid1 may have, an image on a failed or missing member: repair it first, an allowed
// member that is failed, missing or holds an image); Busy (a leg is still being rebuilt); InUse
// (a leg is split off as a tracked image); NoSpace.
Result<Raid1ImageAddition> add_raid1_image(const model::Pool& pool, const model::Uuid& array,
                                           const Raid1RepairChoice& choice);

// What the kernel shows of an active array, read by the caller before a removal.
struct Raid1KernelView {
    bool synced = false;       // idle and in sync
    std::vector<char> health;  // dm-raid's health characters, one a slot
};

// `array` without the leg at `slot`: the legs after it move down a slot, the leg's extents are
// free in the result. Allowed on an inactive array (only the metadata changes). On an active
// one removing the last slot changes no other leg's devices; removing an earlier slot maps
// each later slot's devices onto the next leg's extents, and dm-raid reads the superblocks of
// a table it loads through the devices' live tables, before they change: that reads the right
// superblocks only when every leg holds the same thing, so it is allowed only while `kernel`
// shows the array idle, in sync and every leg alive ('A'). Refused, with nothing changed:
// NotFound (no such volume); InvalidArgument (not a raid1, slot out of range, fewer than three
// images: a raid1 keeps two, no other image would hold the data in full (the others are on
// failed or missing members); Busy (another image is still being rebuilt and none of the others
// holds the data in full; an earlier slot of an active array that is not idle, in sync and
// whole, or whose kernel state `kernel` does not give); InUse (the slot is split off as a
// tracked image, or a later slot is, whose slot number would change).
Result<model::Pool> remove_raid1_image(const model::Pool& pool, const model::Uuid& array, std::uint32_t slot,
                                       const std::vector<model::Uuid>& missing,
                                       const std::optional<Raid1KernelView>& kernel);

}  // namespace volumes::engine
