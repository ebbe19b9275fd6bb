#include <algorithm>
#include <limits>
#include <string>

#include <fmt/core.h>

#include "service/allocator/extent_allocator.hpp"
#include "service/allocator/most_free_first.hpp"

namespace volumes::allocator {

namespace {

std::string counted(std::uint64_t n, const char* one, const char* many)
{
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

// The metadata extent goes first in the first run that holds the whole leg, else in the first
// run of at least two extents, so that where it can the image starts right after its metadata.
// The image then takes the rest of that run and the member's other runs in ascending order.
LegAllocation place_leg(const MemberFree& member, std::uint64_t data_extents)
{
    const auto& runs = member.runs;
    auto home = std::find_if(runs.begin(), runs.end(),
                             [&](const model::ExtentRun& run) { return run.count > data_extents; });
    if (home == runs.end())
        home = std::find_if(runs.begin(), runs.end(), [](const model::ExtentRun& run) { return run.count >= 2; });
    if (home == runs.end())
        home = runs.begin();

    LegAllocation leg{member.member, {{member.member, home->start, 1}}, {}};
    std::uint64_t missing = data_extents;
    auto take = [&](std::uint64_t start, std::uint64_t count) {
        const auto n = std::min(count, missing);
        if (n == 0)
            return;
        leg.data.push_back({member.member, start, n});
        missing -= n;
    };
    take(home->start + 1, home->count - 1);
    for (auto run = runs.begin(); run != runs.end(); ++run)
        if (run != home)
            take(run->start, run->count);
    return leg;
}

std::string no_space_message(std::uint32_t legs, std::uint64_t data_extents, std::size_t fitting,
                             const std::vector<const MemberFree*>& candidates, std::size_t excluded)
{
    std::string message = fmt::format("raid1 with {} of {} needs {} with {} free extents{}; {} {} that many",
                                      counted(legs, "image", "images"), counted(data_extents, "extent", "extents"),
                                      counted(legs, "member", "members"), data_extents + 1, legs == 1 ? "" : " each",
                                      fitting, fitting == 1 ? "has" : "have");
    if (!candidates.empty()) {
        message += " (";
        for (std::size_t i = 0; i < candidates.size(); ++i)
            message += fmt::format("{}{}: {}", i == 0 ? "" : ", ", candidates[i]->member.to_string(),
                                   candidates[i]->extents());
        message += ")";
    }
    if (excluded > 0)
        message += fmt::format(", not counting {} excluded {}", excluded, excluded == 1 ? "member" : "members");
    return message;
}

}  // namespace

model::Result<std::vector<LegAllocation>> allocate_raid1_legs(const Pool& pool, std::uint32_t legs,
                                                              std::uint64_t data_extents,
                                                              const std::vector<Uuid>& exclude)
{
    if (legs == 0)
        return model::fail(model::ErrorCode::InvalidArgument, "a raid1 allocation needs at least one leg");
    if (data_extents == 0)
        return model::fail(model::ErrorCode::InvalidArgument, "a raid1 image needs at least one data extent");
    if (data_extents == std::numeric_limits<std::uint64_t>::max())
        return model::fail(model::ErrorCode::InvalidArgument,
                           fmt::format("a raid1 image of {} extents cannot be addressed", data_extents));

    const auto free = free_extents(pool);
    std::vector<const MemberFree*> candidates;
    std::size_t excluded = 0;
    for (const auto* member : most_free_first(free)) {
        if (contains(exclude, member->member))
            ++excluded;
        else
            candidates.push_back(member);
    }
    const auto fitting = static_cast<std::size_t>(
        std::count_if(candidates.begin(), candidates.end(),
                      [&](const MemberFree* member) { return member->extents() > data_extents; }));
    if (fitting < legs)
        return model::fail(model::ErrorCode::NoSpace,
                           no_space_message(legs, data_extents, fitting, candidates, excluded));

    std::vector<LegAllocation> result;
    result.reserve(legs);
    for (std::uint32_t i = 0; i < legs; ++i)
        result.push_back(place_leg(*candidates[i], data_extents));
    return result;
}

}  // namespace volumes::allocator
