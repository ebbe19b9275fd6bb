#pragma once

#include <vector>

#include "service/engine/managed_pool.hpp"

namespace volumes::engine {

// Re-adds the pool's failed members that are present again (at start-up, or at an Activate):
// clears their mark in `next`, so the commit of `next` writes them again and their raid1 legs
// rejoin their arrays, which resync what their write-intent bitmaps marked meanwhile. A member
// that still cannot be written is marked failed again by that commit, which goes on without
// it. Returns the members re-added.
std::vector<model::Uuid> readd_returned(const ManagedPool& pool, model::Pool& next);

// Whether a failed member's disk answers again while volumesd runs: its path still names the
// device volumesd holds open (a disk that came back as another device is re-added at the next
// start), and its label, read past the page cache, is still that member's. A dead disk fails
// the read, so the probe writes nothing and commits nothing.
bool answers_again(const OpenMember& member);

// How many runtime re-adds of a member may fail in a row before only a start or an Activate
// tries again.
inline constexpr unsigned max_failed_readds = 3;

// readd_returned for the returned members that answer_again and have not failed to be re-added
// max_failed_readds times in a row; the others keep their mark.
std::vector<model::Uuid> readd_answering(const ManagedPool& pool, model::Pool& next);

}  // namespace volumes::engine
