#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "kmod/device_number.hpp"
#include "service/model/model_error.hpp"
#include "service/model/pool_model.hpp"
#include "service/planner/desired_graph.hpp"

// From a pool model to the dm devices that should exist for its active volumes, every table
// built with the kmod/ builders. Pure.
namespace volumes::graph {

// Where a member's extents are: its block device and the byte offset of extent 0.
struct MemberPlacement {
    kmod::DeviceNumber device;
    std::uint64_t data_start = 0;
};
using MemberPlacements = std::map<model::Uuid, MemberPlacement>;

// The numbers of dm devices that exist now, by dm uuid. A table stacks on a child by number,
// so a child that does not exist yet cannot be named.
using DeviceNumbers = std::unordered_map<std::string, kmod::DeviceNumber>;

struct DerivedGraph {
    planner::DesiredGraph graph;
    // Uuids of devices some table stacks on but that are not in DeviceNumbers: those tables
    // name 0:<its index here> in their place (0:0 for the first; distinct, as snapshot and
    // thin-pool tables refuse one device in two places), and the caller creates these devices
    // before deriving again.
    std::vector<std::string> unresolved;
    // The volumes that cannot run on the members at hand (member_availability.hpp), by uuid,
    // with why: they get no devices, active or not.
    std::map<model::Uuid, std::string> unavailable;
};

// The devices, children before parents, volume by volume in the pool's order:
// - linear: one device, linear over its extents;
// - raid1: per slot "rmeta_<n>" and "rimage_<n>" (linear), and the array (raid raid1, region
//   size, every leg; a slot whose leg is tracked is "- -" and has no sub-devices);
// - tracked image: one read-only device, linear over its leg's data extents;
// - an origin (linear or raid1) with at least one active snapshot not merging: its own table
//   moves to "<origin>_real" (with the same children) and the visible device becomes
//   snapshot-origin over it; with a Merging snapshot the visible device is snapshot-merge
//   over the real device and that snapshot's cow; suspend with skip_lockfs off for both;
// - CoW snapshot (merge None, Pending or Failed): "_cow" (linear) and the visible device,
//   snapshot <real> <cow> P <chunk>, skip_lockfs off; a Merging snapshot keeps only "_cow";
// - thin pool: "_tmeta", "_tdata" (linear) and the visible thin-pool device, no_flush;
// - thin: thin <pool device> <thin id>.
// A raid1 slot whose member is missing or failed is "- -" too (member_availability.hpp), and a
// volume that cannot run on the members at hand gets no devices.
// Inactive volumes have no devices, except what an active volume stacks on (an origin's
// real device is its own, so an inactive origin takes its snapshots down with it; check_pool
// refuses that model anyway). Sizes: extents × extent_size / 512.
// InvalidArgument if a kmod builder refuses a table (its message included).
model::Result<DerivedGraph> derive_graph(const model::Pool& pool, const MemberPlacements& members,
                                         const DeviceNumbers& devices);

}  // namespace volumes::graph
