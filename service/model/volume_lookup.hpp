#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "service/model/pool_model.hpp"

namespace volumes::model {

const Volume* find_volume(const Pool& pool, const Uuid& uuid);
const Volume* find_volume(const Pool& pool, std::string_view name);
Volume* find_volume(Pool& pool, const Uuid& uuid);
Member* find_member(Pool& pool, const Uuid& uuid);
const Member* find_member(const Pool& pool, const Uuid& uuid);

std::uint64_t extent_count(const ExtentMap& map);

// The volumes `volume`'s layout names: a snapshot's origin, a thin volume's pool, a split
// image's array, a raid1's split images. Their devices stack on or shape one another.
std::vector<Uuid> volumes_referred(const Volume& volume);

// Whether two models of one pool differ in anything but their volumes.
bool same_apart_from_volumes(const Pool& a, const Pool& b);

// What the volume's visible device holds, in bytes: the data extents of a linear volume or of
// one raid1 leg (for a tracked image, its leg), the origin's size for a CoW snapshot, the data
// size of a thin pool, the virtual size of a thin volume. nullopt if the volume refers to one
// that is not in the pool, or a raid1 array has no legs.
std::optional<std::uint64_t> volume_size(const Pool& pool, const Volume& volume);

}  // namespace volumes::model
