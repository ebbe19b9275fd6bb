#pragma once

#include <string>
#include <vector>

#include "service/engine/engine_error.hpp"
#include "service/engine/managed_pool.hpp"
#include "service/model/pool_model.hpp"

namespace volumes::engine {

// The member uuids `devices` name (device paths or member uuids of present members), as the
// "members" option of Raid1.Repair, Raid1.AddImage and Volume.ConvertToRaid1 gives them.
Result<std::vector<model::Uuid>> resolve_members(const ManagedPool& managed, const std::vector<std::string>& devices);

}  // namespace volumes::engine
