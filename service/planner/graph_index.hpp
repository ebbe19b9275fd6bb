#pragma once

#include <cstddef>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "service/planner/desired_graph.hpp"
#include "service/planner/error.hpp"
#include "service/planner/live_state.hpp"

namespace volumes::planner {

// The pool's live devices (uuid inside the prefix), in LiveState order, with their stacking
// both ways as indices into `devices`. Views point into the LiveState.
struct LiveIndex {
    std::vector<const LiveDevice*> devices;
    std::unordered_map<std::string_view, std::size_t> by_uuid;
    std::vector<std::vector<std::size_t>> children;
    std::vector<std::vector<std::size_t>> parents;
};

// Refuses two live devices of the pool with one uuid.
Result<LiveIndex> index_live(const LiveState& live, std::string_view uuid_prefix);

// The desired devices' children as indices into DesiredGraph::devices.
struct DesiredIndex {
    std::unordered_map<std::string_view, std::size_t> by_uuid;
    std::vector<std::vector<std::size_t>> children;
    std::vector<std::vector<std::size_t>> quiesced;
};

// Refuses a uuid outside the prefix, a duplicate name or uuid, a name held by another live
// device, a live uuid under a new name, an invalid table, and a child that is not in the graph.
Result<DesiredIndex> index_desired(const DesiredGraph& desired, const LiveState& live_state, const LiveIndex& live,
                                   std::string_view uuid_prefix);

}  // namespace volumes::planner
