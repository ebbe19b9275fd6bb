#include "service/model/extent_move_checks.hpp"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "service/model/extent_maps.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::model {

namespace {

std::unexpected<Error> corrupt(std::string message)
{
    return fail(ErrorCode::Corrupt, "the extent move: " + std::move(message));
}

std::string describe(const ExtentRun& run)
{
    return fmt::format("{} extents from extent {} of member {}", run.count, run.start, run.member.to_string());
}

bool volume_holds(const Volume& volume, const ExtentRun& run)
{
    bool found = false;
    for_each_extent_map(volume, [&](const ExtentMap& map) {
        found = found || std::find(map.begin(), map.end(), run) != map.end();
    });
    return found;
}

}  // namespace

Result<void> check_extent_move(const Pool& pool)
{
    if (!pool.extent_move)
        return {};
    const auto& move = *pool.extent_move;
    std::map<Uuid, std::uint64_t> extent_counts;
    for (const auto& member : pool.members)
        extent_counts.emplace(member.uuid, member.extent_count);
    if (!extent_counts.contains(move.member))
        return corrupt(fmt::format("member {} is not in the pool", move.member.to_string()));

    // Every run some volume uses, and every destination, to find overlaps.
    std::vector<ExtentRun> taken;
    for (const auto& volume : pool.volumes)
        for_each_extent_map(volume, [&](const ExtentMap& map) { taken.insert(taken.end(), map.begin(), map.end()); });
    const auto used_before = taken.size();

    std::vector<ExtentRun> moved_from;
    for (std::size_t i = 0; i < move.runs.size(); ++i) {
        const auto& moved = move.runs[i];
        const auto* volume = find_volume(pool, moved.volume);
        if (!volume)
            return corrupt(fmt::format("run {} names volume {}, which is not in the pool", i, moved.volume.to_string()));
        if (moved.from.member != move.member || moved.from.count == 0 || !volume_holds(*volume, moved.from))
            return corrupt(fmt::format("run {} ({}) is not a run of volume '{}' on member {}", i,
                                       describe(moved.from), volume->name, move.member.to_string()));
        if (std::find(moved_from.begin(), moved_from.end(), moved.from) != moved_from.end())
            return corrupt(fmt::format("run {} ({}) is moved twice", i, describe(moved.from)));
        moved_from.push_back(moved.from);
        std::uint64_t extents = 0;
        for (const auto& run : moved.to) {
            const auto member = extent_counts.find(run.member);
            if (run.count == 0 || member == extent_counts.end() || run.member == move.member ||
                run.start >= member->second || run.count > member->second - run.start)
                return corrupt(fmt::format("run {} goes to {}, not extents of another member of the pool", i,
                                           describe(run)));
            extents += run.count;
            taken.push_back(run);
        }
        if (extents != moved.from.count)
            return corrupt(fmt::format("run {} moves {} extents to {}", i, moved.from.count, extents));
    }

    for (std::size_t i = used_before; i < taken.size(); ++i)
        for (std::size_t j = 0; j < taken.size(); ++j) {
            const auto& a = taken[i];
            const auto& b = taken[j];
            if (i == j || a.member != b.member)
                continue;
            if (a.start < b.start + b.count && b.start < a.start + a.count)
                return corrupt(fmt::format("the destination {} overlaps {}", describe(a), describe(b)));
        }
    return {};
}

}  // namespace volumes::model
