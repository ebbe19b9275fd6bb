#include "service/engine/member_return.hpp"

#include "service/model/volume_lookup.hpp"

namespace volumes::engine {

std::vector<model::Uuid> readd_returned(const ManagedPool& pool, model::Pool& next)
{
    auto returned = pool.returned(next);
    for (const auto& uuid : returned)
        if (auto* member = model::find_member(next, uuid))
            member->failed = false;
    return returned;
}

}  // namespace volumes::engine
