#pragma once

#include "service/model/model_error.hpp"
#include "service/model/pool_model.hpp"

namespace volumes::model {

// Everything a pool must satisfy before it is written or after it is read; Corrupt naming the
// first rule broken:
// - names valid and unique among volumes, uuids unique among members and volumes, none nil;
// - extent_size a positive multiple of 4 KiB; every extent run non-empty, on a member of the
//   pool, inside its extent_count, and no extent used twice in the pool;
// - linear: at least one extent; raid1: a power-of-two region size of at least 4 KiB, 1 to 8
//   legs, every leg with meta and data extents, all on one member per leg, no member shared by
//   two legs, equal data extent counts; a leg's tracked_image names a TrackedImage volume of
//   this array and slot, and back; at least one leg not tracked;
// - snapshot: origin is a linear or raid1 volume, cow non-empty, chunk_size a power of two in
//   4 KiB..1 GiB; at most one snapshot of an origin Pending or Merging;
// - thin pool: meta and data non-empty, block_size a multiple of 64 KiB up to 1 GiB; thin:
//   pool is a thin pool, thin ids unique in their pool and below its next_thin_id and 2^24,
//   virtual_size a positive multiple of 512, origin_thin_id names a thin of the same pool;
// - an autoextend policy (the pool's defaults, a thin pool's, a snapshot's): threshold 50..100
//   and step 1..100 percent (autoextend_policy.hpp);
// - an active snapshot has an active origin, an active thin an active pool;
// - the extent move, if any (extent_move_checks.hpp).
Result<void> check_pool(const Pool& pool);

}  // namespace volumes::model
