#include "service/engine/extent_move.hpp"

#include <algorithm>
#include <numeric>
#include <string>

#include <fmt/core.h>

#include "service/allocator/extent_allocator.hpp"
#include "service/model/extent_maps.hpp"
#include "service/model/extent_move_roles.hpp"
#include "service/model/names.hpp"

namespace volumes::engine {

namespace {

bool on_member(const model::ExtentMap& map, const model::Uuid& member)
{
    return std::any_of(map.begin(), map.end(), [&](const model::ExtentRun& run) { return run.member == member; });
}

std::uint64_t extents_on(const model::ExtentMap& map, const model::Uuid& member)
{
    std::uint64_t count = 0;
    for (const auto& run : map)
        if (run.member == member)
            count += run.count;
    return count;
}

bool uses_member(const model::Volume& volume, const model::Uuid& member)
{
    bool uses = false;
    model::for_each_extent_map(volume, [&](const model::ExtentMap& map) { uses = uses || on_member(map, member); });
    return uses;
}

// The first `count` extents of `source`, taken off its front.
model::ExtentMap take(model::ExtentMap& source, std::uint64_t count)
{
    model::ExtentMap taken;
    while (count > 0 && !source.empty()) {
        auto& front = source.front();
        const auto part = std::min(count, front.count);
        taken.push_back({front.member, front.start, part});
        front.start += part;
        front.count -= part;
        count -= part;
        if (front.count == 0)
            source.erase(source.begin());
    }
    return taken;
}

// Each run of `map` on `member`, moved to the next extents of `destination`.
void record_runs(model::ExtentMove& move, const model::Uuid& volume, const model::ExtentMap& map,
                 model::ExtentMap& destination)
{
    for (const auto& run : map)
        if (run.member == move.member)
            move.runs.push_back({volume, run, take(destination, run.count)});
}

Result<void> refuse_busy_pool(const model::Pool& pool, const model::Uuid& member, const std::vector<model::Uuid>& missing)
{
    if (pool.extent_move)
        return fail(ErrorCode::Busy,
                    fmt::format("pool '{}' is moving the extents of member {} already: wait for its job, or cancel it",
                                pool.name, pool.extent_move->member.to_string()));
    if (!missing.empty())
        return fail(ErrorCode::Busy, fmt::format("pool '{}' is missing member {}: extents are moved only while every "
                                                 "member is present",
                                                 pool.name, missing.front().to_string()));
    for (const auto& m : pool.members)
        if (m.failed)
            return fail(ErrorCode::Busy, fmt::format("member {} of pool '{}' has failed: repair or remove what uses it "
                                                     "before moving extents",
                                                     m.uuid.to_string(), pool.name));
    for (const auto& volume : pool.volumes) {
        if (const auto* snapshot = std::get_if<model::SnapshotLayout>(&volume.layout);
            snapshot && snapshot->merge != model::SnapshotMergeState::None)
            return fail(ErrorCode::Busy, fmt::format("snapshot '{}' has a merge pending, running or failed: finish it "
                                                     "before moving extents",
                                                     volume.name));
        if (const auto* raid = std::get_if<model::Raid1Layout>(&volume.layout))
            for (std::size_t slot = 0; slot < raid->legs.size(); ++slot) {
                if (raid->legs[slot].rebuilding)
                    return fail(ErrorCode::Busy, fmt::format("leg {} of raid1 '{}' is being rebuilt: wait for its job "
                                                             "before moving extents",
                                                             slot, volume.name));
                if (raid->legs[slot].tracked_image)
                    return fail(ErrorCode::Busy, fmt::format("leg {} of raid1 '{}' is split off as a tracked image: "
                                                             "merge or split it before moving extents",
                                                             slot, volume.name));
            }
    }
    (void)member;
    return {};
}

}  // namespace

Result<model::Pool> start_extent_move(const model::Pool& pool, const model::Uuid& member,
                                      const ExtentMoveRequest& request, const std::vector<model::Uuid>& missing)
{
    const auto found = std::find_if(pool.members.begin(), pool.members.end(),
                                    [&](const model::Member& m) { return m.uuid == member; });
    if (found == pool.members.end())
        return fail(ErrorCode::NotFound, fmt::format("{} is not a member of pool '{}'", member.to_string(), pool.name));
    if (auto busy = refuse_busy_pool(pool, member, missing); !busy)
        return std::unexpected(busy.error());
    if (pool.members.size() == 1)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("{} is the only member of pool '{}': there is nowhere to move its extents",
                                member.to_string(), pool.name));
    if (request.max_rate_kibs && *request.max_rate_kibs == 0)
        return fail(ErrorCode::InvalidArgument, "a max rate of 0 KiB/s would never copy anything");

    std::vector<const model::Volume*> users;
    for (const auto& volume : pool.volumes)
        if (uses_member(volume, member))
            users.push_back(&volume);
    if (users.empty())
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("member {} of pool '{}' holds no extents: Pool.RemoveMember removes it as it is",
                                member.to_string(), pool.name));
    for (const auto* volume : users)
        if (!volume->active)
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("volume '{}' has extents on member {} but is inactive: the kernel copies only "
                                    "active volumes, so activate it first",
                                    volume->name, member.to_string()));

    // The allocator gives nothing on a failed member: the one being emptied counts as one, and
    // the move recorded so far takes its destinations.
    model::Pool work = pool;
    for (auto& m : work.members)
        if (m.uuid == member)
            m.failed = true;
    work.extent_move = model::ExtentMove{member, request.remove_member, false, request.max_rate_kibs, {}};
    auto& move = *work.extent_move;

    for (const auto* volume : users) {
        if (const auto* raid = std::get_if<model::Raid1Layout>(&volume->layout)) {
            for (std::size_t slot = 0; slot < raid->legs.size(); ++slot) {
                const auto& leg = raid->legs[slot];
                if (!on_member(leg.meta, member) && !on_member(leg.data, member))
                    continue;
                std::vector<model::Uuid> exclude{member};
                for (const auto& other : raid->legs)
                    for (const auto* map : {&other.meta, &other.data})
                        for (const auto& run : *map)
                            exclude.push_back(run.member);
                const auto data = extents_on(leg.data, member);
                auto legs = allocator::allocate_raid1_legs(work, 1, data, exclude);
                if (!legs)
                    return fail(ErrorCode::NoSpace,
                                fmt::format("leg {} of raid1 '{}' cannot move to a member that holds no other leg of "
                                            "it: {}",
                                            slot, volume->name, legs.error().message));
                auto& to = legs->front();
                if (extents_on(leg.meta, member) != std::accumulate(to.meta.begin(), to.meta.end(), std::uint64_t{0},
                                                                    [](auto sum, const auto& run) {
                                                                        return sum + run.count;
                                                                    }))
                    return fail(ErrorCode::InvalidArgument,
                                fmt::format("leg {} of raid1 '{}' has a metadata sub-volume of other than one extent",
                                            slot, volume->name));
                record_runs(move, volume->uuid, leg.meta, to.meta);
                record_runs(move, volume->uuid, leg.data, to.data);
            }
            continue;
        }
        std::vector<const model::ExtentMap*> maps;
        model::for_each_extent_map(*volume, [&](const model::ExtentMap& map) { maps.push_back(&map); });
        for (const auto* map : maps) {
            const auto count = extents_on(*map, member);
            if (count == 0)
                continue;
            auto to = allocator::allocate_linear(work, count);
            if (!to)
                return fail(ErrorCode::NoSpace, fmt::format("the extents of '{}' on member {} cannot move: {}",
                                                            volume->name, member.to_string(), to.error().message));
            record_runs(move, volume->uuid, *map, *to);
        }
    }

    for (std::size_t i = 0; i < move.runs.size(); ++i) {
        const auto* volume = &*std::find_if(pool.volumes.begin(), pool.volumes.end(),
                                          [&](const model::Volume& v) { return v.uuid == move.runs[i].volume; });
        const auto name = model::dm_name(pool.name, volume->name, model::role::pvmove_from(i));
        if (name.size() > model::max_dm_name_bytes)
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("moving '{}' needs the dm name '{}', longer than the kernel's {} bytes",
                                    volume->name, name, model::max_dm_name_bytes));
    }

    model::Pool next = pool;
    next.extent_move = std::move(move);
    return next;
}

Result<model::Pool> start_extent_copies(const model::Pool& pool)
{
    if (!pool.extent_move || pool.extent_move->copying)
        return fail(ErrorCode::InvalidArgument, fmt::format("pool '{}' has no move waiting to copy", pool.name));
    model::Pool next = pool;
    next.extent_move->copying = true;
    return next;
}

Result<model::Pool> finish_extent_move(const model::Pool& pool)
{
    if (!pool.extent_move)
        return fail(ErrorCode::InvalidArgument, fmt::format("pool '{}' is not moving extents", pool.name));
    if (!pool.extent_move->copying)
        return fail(ErrorCode::InvalidArgument, fmt::format("pool '{}' has not started copying", pool.name));
    model::Pool next = pool;
    for (const auto& moved : pool.extent_move->runs)
        for (auto& volume : next.volumes) {
            if (volume.uuid != moved.volume)
                continue;
            model::for_each_extent_map(volume, [&](model::ExtentMap& map) {
                const auto at = std::find(map.begin(), map.end(), moved.from);
                if (at == map.end())
                    return;
                const auto index = at - map.begin();
                map.erase(at);
                map.insert(map.begin() + index, moved.to.begin(), moved.to.end());
            });
        }
    next.extent_move.reset();
    return next;
}

Result<model::Pool> cancel_extent_move(const model::Pool& pool)
{
    if (!pool.extent_move)
        return fail(ErrorCode::InvalidArgument, fmt::format("pool '{}' is not moving extents", pool.name));
    model::Pool next = pool;
    next.extent_move.reset();
    return next;
}

bool extent_move_copied(const std::vector<MoveCopyStatus>& copies)
{
    return std::all_of(copies.begin(), copies.end(),
                       [](const MoveCopyStatus& copy) { return copy.present && copy.synced; });
}

}  // namespace volumes::engine
