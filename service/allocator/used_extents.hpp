#pragma once

#include "service/model/pool_model.hpp"

namespace volumes::allocator {

// Every extent run a volume of the pool owns, in volume order. A tracked image and a thin
// volume own none: their data lives in a raid1 leg and in a thin pool. Then the destinations of
// the pool's extent move, if any.
model::ExtentMap used_extents(const model::Pool& pool);

}  // namespace volumes::allocator
