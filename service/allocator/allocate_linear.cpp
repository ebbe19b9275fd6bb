#include <algorithm>

#include <fmt/core.h>

#include "service/allocator/extent_allocator.hpp"
#include "service/allocator/most_free_first.hpp"

namespace volumes::allocator {

model::Result<ExtentMap> allocate_linear(const Pool& pool, std::uint64_t count, const std::vector<Uuid>& avoid)
{
    if (count == 0)
        return model::fail(model::ErrorCode::InvalidArgument, "a linear mapping needs at least one extent");

    const auto free = free_extents(pool);
    auto order = most_free_first(free);
    std::stable_partition(order.begin(), order.end(),
                          [&](const MemberFree* member) { return !contains(avoid, member->member); });

    std::uint64_t available = 0;
    for (const auto* member : order)
        available += member->extents();
    if (available < count)
        return model::fail(model::ErrorCode::NoSpace,
                           fmt::format("{} extents asked for, the pool has {} free", count, available));

    // A member's free runs are maximal, so the runs taken need no merging.
    ExtentMap map;
    std::uint64_t missing = count;
    for (const auto* member : order) {
        for (const auto& run : member->runs) {
            if (missing == 0)
                return map;
            const auto take = std::min(run.count, missing);
            map.push_back({run.member, run.start, take});
            missing -= take;
        }
    }
    return map;
}

}  // namespace volumes::allocator
