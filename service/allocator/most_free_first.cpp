#include "service/allocator/most_free_first.hpp"

#include <algorithm>

namespace volumes::allocator {

std::vector<const MemberFree*> most_free_first(const std::vector<MemberFree>& free)
{
    std::vector<const MemberFree*> order;
    order.reserve(free.size());
    for (const auto& member : free)
        order.push_back(&member);
    std::stable_sort(order.begin(), order.end(),
                     [](const MemberFree* a, const MemberFree* b) { return a->extents() > b->extents(); });
    return order;
}

bool contains(const std::vector<Uuid>& uuids, const Uuid& uuid)
{
    return std::find(uuids.begin(), uuids.end(), uuid) != uuids.end();
}

}  // namespace volumes::allocator
