#include <algorithm>
#include <string>

#include <fmt/core.h>

#include "service/allocator/extent_allocator.hpp"

namespace volumes::allocator {

namespace {

const MemberFree* free_on(const std::vector<MemberFree>& free, const Uuid& member)
{
    auto found = std::find_if(free.begin(), free.end(), [&](const MemberFree& m) { return m.member == member; });
    return found == free.end() ? nullptr : &*found;
}

void append(ExtentMap& map, model::ExtentRun run)
{
    if (!map.empty() && map.back().member == run.member && map.back().start + map.back().count == run.start)
        map.back().count += run.count;
    else
        map.push_back(run);
}

// `data` with `extra` extents of `runs` (the member's free runs, ascending, and enough of them).
ExtentMap grown_leg(ExtentMap data, const ExtentMap& runs, std::uint64_t extra)
{
    const auto& last = data.back();
    const auto end = last.start + last.count;
    auto next = std::find_if(runs.begin(), runs.end(), [&](const model::ExtentRun& run) { return run.start == end; });
    std::vector<model::ExtentRun> order;
    if (next != runs.end())
        order.push_back(*next);
    for (auto run = runs.begin(); run != runs.end(); ++run)
        if (run != next)
            order.push_back(*run);
    for (auto run : order) {
        if (extra == 0)
            break;
        run.count = std::min(run.count, extra);
        extra -= run.count;
        append(data, run);
    }
    return data;
}

}  // namespace

model::Result<std::vector<ExtentMap>> grow_raid1_legs(const Pool& pool, const std::vector<model::Raid1Leg>& legs,
                                                      std::uint64_t extra)
{
    if (extra == 0)
        return model::fail(model::ErrorCode::InvalidArgument, "a raid1 grow needs at least one more extent");
    const auto free = free_extents(pool);
    std::string lacking;
    for (std::size_t slot = 0; slot < legs.size(); ++slot) {
        const auto& leg = legs[slot];
        if (leg.meta.empty() || leg.data.empty())
            return model::fail(model::ErrorCode::InvalidArgument, fmt::format("leg {} has no extents", slot));
        const auto& member = leg.meta.front().member;
        const auto* room = free_on(free, member);
        const auto available = room ? room->extents() : 0;
        if (available < extra)
            lacking += fmt::format("{}leg {} needs {} more extents on member {}, which has {} free ({} short)",
                                   lacking.empty() ? "" : "; ", slot, extra, member.to_string(), available,
                                   extra - available);
    }
    if (!lacking.empty())
        return model::fail(model::ErrorCode::NoSpace, lacking);

    std::vector<ExtentMap> grown;
    grown.reserve(legs.size());
    for (const auto& leg : legs)
        grown.push_back(grown_leg(leg.data, free_on(free, leg.meta.front().member)->runs, extra));
    return grown;
}

}  // namespace volumes::allocator
