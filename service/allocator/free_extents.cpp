#include <algorithm>
#include <vector>

#include "service/allocator/extent_allocator.hpp"
#include "service/allocator/used_extents.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::allocator {

namespace {

// The complement of `used` within [0, extent_count). `used` may overlap itself or reach past
// the member's end; pool_checks reports such documents, the allocator only stays clear of them.
ExtentMap free_runs(const model::Member& member, std::vector<model::ExtentRun> used)
{
    std::sort(used.begin(), used.end(),
              [](const model::ExtentRun& a, const model::ExtentRun& b) { return a.start < b.start; });
    ExtentMap runs;
    std::uint64_t next = 0;
    for (const auto& run : used) {
        if (next >= member.extent_count)
            break;
        if (run.count == 0)
            continue;
        if (run.start > next) {
            const auto end = std::min(run.start, member.extent_count);
            runs.push_back({member.uuid, next, end - next});
        }
        const auto past = run.start + std::min(run.count, UINT64_MAX - run.start);
        next = std::max(next, past);
    }
    if (next < member.extent_count)
        runs.push_back({member.uuid, next, member.extent_count - next});
    return runs;
}

}  // namespace

std::uint64_t MemberFree::extents() const
{
    return model::extent_count(runs);
}

std::vector<MemberFree> free_extents(const Pool& pool)
{
    const auto used = used_extents(pool);
    std::vector<MemberFree> result;
    result.reserve(pool.members.size());
    for (const auto& member : pool.members) {
        if (member.failed) {
            result.push_back({member.uuid, {}});
            continue;
        }
        std::vector<model::ExtentRun> on_member;
        std::copy_if(used.begin(), used.end(), std::back_inserter(on_member),
                     [&](const model::ExtentRun& run) { return run.member == member.uuid; });
        result.push_back({member.uuid, free_runs(member, std::move(on_member))});
    }
    return result;
}

std::uint64_t free_extent_count(const Pool& pool)
{
    std::uint64_t total = 0;
    for (const auto& member : free_extents(pool))
        total += member.extents();
    return total;
}

}  // namespace volumes::allocator
