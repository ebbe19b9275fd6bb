#pragma once

#include "service/model/model_error.hpp"
#include "service/model/pool_model.hpp"

namespace volumes::model {

// The pool's extent move, if any (check_pool's last rule), Corrupt naming the first rule broken:
// its member is one of the pool's; every moved run names a volume of the pool and is, as it
// stands, a run of that volume's maps on that member, moved once; its destination holds as many
// extents, in non-empty runs on other members of the pool, inside their extent counts, on
// extents no volume uses and no other destination takes.
Result<void> check_extent_move(const Pool& pool);

}  // namespace volumes::model
