#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "service/engine/engine_error.hpp"
#include "service/engine/managed_pool.hpp"
#include "service/engine/raid1_repair.hpp"
#include "service/model/pool_model.hpp"

namespace volumes::engine {

// The index in `managed.members` of the member `device` names: a device path (any path to the
// same block device) or a member uuid. NotFound when it names none; the caller has bounded the
// argument (check_member_argument).
Result<std::size_t> member_index(const ManagedPool& managed, const std::string& device);

// The member uuids `devices` name (device paths or member uuids of present members), as the
// "members" option of Raid1.Repair, Raid1.AddImage and Volume.ConvertToRaid1 gives them.
Result<std::vector<model::Uuid>> resolve_members(const ManagedPool& managed, const std::vector<std::string>& devices);

// Where those methods' new images may go: the members `devices` name (any when empty), and
// the pool's missing members.
Result<Raid1RepairChoice> member_choice(const ManagedPool& managed, const std::vector<std::string>& devices);

}  // namespace volumes::engine
