#pragma once

#include <optional>
#include <set>
#include <string>

#include "service/graph/change_scope.hpp"
#include "service/model/pool_model.hpp"

namespace volumes::engine {

// The volumes whose shown state one change from `before` to `after` can alter, by their name
// in `after`: those with a device in the change's scope, those added or changed in the model,
// and the volumes either of these refers to or is referred to by (a snapshot's origin, a thin
// volume's pool, a split image's array), whose shown state names them. Nullopt when the
// pool itself changed (its name, members or autoextend defaults): every volume may show it.
// Pure.
std::optional<std::set<std::string>> touched_volumes(const model::Pool& before, const model::Pool& after,
                                                     const graph::ChangeScope& scope);

}  // namespace volumes::engine
