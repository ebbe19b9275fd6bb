#pragma once

#include "service/graph/graph_builder.hpp"
#include "service/model/model_error.hpp"
#include "service/model/pool_model.hpp"

// Each volume kind's devices, added to the graph children first. Callers add a snapshot's
// origin and a thin volume's pool before them.
namespace volumes::graph {

model::Result<Mapping> linear_mapping(GraphBuilder& graph, const model::Volume& volume,
                                      const model::LinearLayout& layout);

// The array's mapping, its rmeta and rimage devices added first.
model::Result<Mapping> raid1_mapping(GraphBuilder& graph, const model::Volume& volume,
                                     const model::Raid1Layout& layout);

// A linear or raid1 volume from its own mapping: its visible device, or with snapshots the
// real device and snapshot-origin or snapshot-merge above it (with a merging snapshot's cow).
model::Result<void> add_origin(GraphBuilder& graph, const model::Volume& origin, Mapping own);

model::Result<void> add_snapshot(GraphBuilder& graph, const model::Volume& snapshot,
                                 const model::SnapshotLayout& layout);

model::Result<void> add_tracked_image(GraphBuilder& graph, const model::Volume& image,
                                      const model::TrackedImageLayout& layout);

model::Result<void> add_thin_pool(GraphBuilder& graph, const model::Volume& pool_volume,
                                  const model::ThinPoolLayout& layout);

model::Result<void> add_thin(GraphBuilder& graph, const model::Volume& thin, const model::ThinLayout& layout);

}  // namespace volumes::graph
