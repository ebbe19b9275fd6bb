#pragma once

#include <set>
#include <string>
#include <vector>

#include "service/graph/derive_graph.hpp"

// Which of a pool's dm devices one change concerns, so that a transaction reads and plans
// those only and its cost does not grow with the pool. Pure.
namespace volumes::graph {

struct ChangeScope {
    // Devices whose table, name or presence changes, those quiesced while one of them loads,
    // and every device stacked on any of these: all that a plan may load, suspend, resume,
    // rename or remove. Read from the kernel in full.
    std::set<std::string> devices;
    // Devices outside `devices` that one of them maps onto: their numbers are read, nothing
    // else, and they keep their tables.
    std::set<std::string> stacked_on;
    // The dm names that devices of `devices` take and did not have before: another device
    // holding one is found before anything is created.
    std::vector<std::string> new_names;
    // The volumes whose devices were compared: those added, removed or changed and, in
    // either model, every volume they stack with (model::volumes_referred, both ways,
    // transitively). Every device of `devices` and `stacked_on` is one of theirs. Empty when
    // the pool itself changed: then every volume was.
    std::set<model::Uuid> volumes;
};

// The scope of going from `before` (the committed model, whose devices the kernel has) to
// `after`. Both graphs are derived with the same stand-in numbers, so a table compares equal
// exactly when it maps the same devices in the same way.
model::Result<ChangeScope> change_scope(const model::Pool& before, const model::Pool& after,
                                        const MemberPlacements& members);

// `pool` with only the scope's volumes (all of them when the scope names none): what a graph
// over the scope needs derived.
model::Pool scoped_pool(const model::Pool& pool, const ChangeScope& scope);

// `derived` cut down to the scope's devices: the others are left out of the plan, the scope's
// `stacked_on` become the graph's `outside`, and only the unresolved children of the kept
// devices stay.
DerivedGraph within(DerivedGraph derived, const ChangeScope& scope);

}  // namespace volumes::graph
