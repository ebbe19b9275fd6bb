#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "service/model/pool_model.hpp"

namespace volumes::model {

const Volume* find_volume(const Pool& pool, const Uuid& uuid);
const Volume* find_volume(const Pool& pool, std::string_view name);
Volume* find_volume(Pool& pool, const Uuid& uuid);

std::uint64_t extent_count(const ExtentMap& map);

// What the volume's visible device holds, in bytes: the data extents of a linear volume or of
// one raid1 leg (for a tracked image, its leg), the origin's size for a CoW snapshot, the data
// size of a thin pool, the virtual size of a thin volume. nullopt if the volume refers to one
// that is not in the pool, or a raid1 array has no legs.
std::optional<std::uint64_t> volume_size(const Pool& pool, const Volume& volume);

}  // namespace volumes::model
