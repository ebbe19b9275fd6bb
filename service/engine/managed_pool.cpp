#include "service/engine/managed_pool.hpp"

#include "service/model/volume_lookup.hpp"

namespace volumes::engine {

graph::MemberPlacements ManagedPool::placements() const
{
    graph::MemberPlacements placements;
    for (const auto& member : members)
        placements[member.area.label().member_uuid] = {member.device.number(), member.area.label().data_start};
    return placements;
}

std::vector<OpenMember*> ManagedPool::writable(const model::Pool& model)
{
    std::vector<OpenMember*> result;
    for (auto& member : members)
        if (const auto* entry = model::find_member(model, member.area.label().member_uuid); entry && !entry->failed)
            result.push_back(&member);
    return result;
}

std::vector<model::Uuid> ManagedPool::returned(const model::Pool& model) const
{
    std::vector<model::Uuid> result;
    for (const auto& member : members)
        if (const auto* entry = model::find_member(model, member.area.label().member_uuid); entry && entry->failed)
            result.push_back(entry->uuid);
    return result;
}

}  // namespace volumes::engine
