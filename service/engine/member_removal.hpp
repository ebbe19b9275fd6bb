#pragma once

#include <string>
#include <vector>

#include "service/engine/engine_error.hpp"
#include "service/model/pool_model.hpp"

// The engine's decision about a member leaving its pool (Pool.RemoveMember), pure like
// volume_changes.hpp.
namespace volumes::engine {

// The pool without `member`. Refused: NotFound (not a member), InvalidArgument (the last
// member: destroy the pool instead), InUse (a volume still has extents on it; the message names
// each one and points to Pool.EvacuateMember), Busy (an extent move is under way).
Result<model::Pool> without_member(const model::Pool& pool, const model::Uuid& member);

// Which of `members` (the member uuids in the pool's order) `device` names: a member uuid, or
// a device path whose block device number is that of a member's open device (`numbers`, in the
// same order). NotFound naming the device otherwise.
struct MemberIdentity {
    model::Uuid uuid;
    std::string path;
    std::uint64_t device_number = 0;
};
Result<std::size_t> member_named(const std::vector<MemberIdentity>& members, const std::string& device,
                                 std::uint64_t device_number);

}  // namespace volumes::engine
