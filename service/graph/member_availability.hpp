#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "service/graph/derive_graph.hpp"
#include "service/model/pool_model.hpp"

// What can run on the members at hand. A member without a placement is missing; a member the
// model marks failed is present but not trusted. Pure.
namespace volumes::graph {

// Whether slot `slot` of `array` is loaded with its leg (otherwise "- -"): not split off, and
// its member placed and not failed. When no leg of the array would run that way, the legs on
// failed members that are still placed run after all: an array is never given up for a
// member that can still be read.
bool leg_runs(const model::Pool& pool, const MemberPlacements& members, const model::Raid1Layout& array,
              std::size_t slot);

// The volumes that cannot run, by uuid, each with why: extents on a missing member (a raid1
// only when none of its legs runs), a snapshot or thin volume whose origin or thin pool cannot
// run, an origin one of whose snapshots' COW is missing (its writes would go uncopied), a split
// image whose leg is missing. Active or not.
std::map<model::Uuid, std::string> unavailable_volumes(const model::Pool& pool, const MemberPlacements& members);

}  // namespace volumes::graph
