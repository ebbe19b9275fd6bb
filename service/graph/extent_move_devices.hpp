#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "service/graph/graph_builder.hpp"
#include "service/model/model_error.hpp"
#include "service/model/pool_model.hpp"

// The devices that copy a run of the pool's extent move (model::ExtentMove): for run `index` of
// volume V, "V_pvmove<index>_from" (linear over the run), "V_pvmove<index>_to" (linear over its
// destination) and "V_pvmove<index>", a dm-raid raid1 of the two without metadata devices that
// loads with "rebuild 1", so md copies the run to its destination while every write goes to
// both. The volume's table maps the raid1 where it mapped the run.
namespace volumes::graph {

// For each run of `extents`, its index in the pool's extent move, or nullopt when it is not moved.
std::vector<std::optional<std::size_t>> moved_runs(const model::Pool& pool, const model::ExtentMap& extents);

// Adds the devices of run `index` when `fresh` (once per graph); returns the raid1's dm uuid.
model::Result<std::string> add_move_devices(GraphBuilder& graph, std::size_t index, bool fresh);

// The dm uuid of the raid1 that copies run `index`.
std::string move_device_uuid(const model::Pool& pool, std::size_t index);

}  // namespace volumes::graph
