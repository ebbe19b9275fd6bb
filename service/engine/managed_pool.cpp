#include "service/engine/managed_pool.hpp"

namespace volumes::engine {

graph::MemberPlacements ManagedPool::placements() const
{
    graph::MemberPlacements placements;
    for (const auto& member : members)
        placements[member.area.label().member_uuid] = {member.device.number(), member.area.label().data_start};
    return placements;
}

}  // namespace volumes::engine
