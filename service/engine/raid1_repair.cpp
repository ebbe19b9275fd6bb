#include "service/engine/raid1_repair.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "service/allocator/extent_allocator.hpp"
#include "service/engine/decision_checks.hpp"
#include "service/engine/error_translation.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {

namespace {

bool contains(const std::vector<model::Uuid>& uuids, const model::Uuid& uuid)
{
    return std::find(uuids.begin(), uuids.end(), uuid) != uuids.end();
}

}  // namespace

const model::Uuid* raid1_leg_member(const model::Raid1Leg& leg)
{
    if (!leg.meta.empty())
        return &leg.meta.front().member;
    if (!leg.data.empty())
        return &leg.data.front().member;
    return nullptr;
}

std::vector<model::Uuid> unusable_members(const model::Pool& pool, const std::vector<model::Uuid>& missing)
{
    std::vector<model::Uuid> unusable = missing;
    for (const auto& member : pool.members)
        if (member.failed && !contains(unusable, member.uuid))
            unusable.push_back(member.uuid);
    return unusable;
}

Result<std::vector<allocator::LegAllocation>> allocate_new_raid1_legs(const model::Pool& pool,
                                                                      const model::Volume& array,
                                                                      std::uint32_t count,
                                                                      const std::vector<model::Uuid>& unusable,
                                                                      const std::vector<model::Uuid>& allowed)
{
    const auto& raid = std::get<model::Raid1Layout>(array.layout);
    std::vector<model::Uuid> array_members;
    for (const auto& leg : raid.legs)
        if (const auto* member = raid1_leg_member(leg))
            array_members.push_back(*member);
    std::vector<model::Uuid> exclude = unusable;
    for (const auto& member : array_members)
        if (!contains(exclude, member))
            exclude.push_back(member);
    for (const auto& member : allowed) {
        if (!model::find_member(pool, member))
            return fail(ErrorCode::NotFound,
                        fmt::format("{} is not a member of pool '{}'", member.to_string(), pool.name));
        if (contains(unusable, member))
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("member {} is failed or missing; it cannot hold a new image", member.to_string()));
        if (contains(array_members, member))
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("member {} already holds an image of raid1 volume '{}'; each image needs a "
                                    "member of its own",
                                    member.to_string(), array.name));
    }
    if (!allowed.empty())
        for (const auto& member : pool.members)
            if (!contains(allowed, member.uuid) && !contains(exclude, member.uuid))
                exclude.push_back(member.uuid);

    const auto data_extents = model::extent_count(raid.legs.front().data);
    auto legs = allocator::allocate_raid1_legs(pool, count, data_extents, exclude);
    if (!legs)
        return std::unexpected(from_model(legs.error()));
    return std::move(*legs);
}

bool raid1_rebuilding(const model::Volume& volume)
{
    const auto* raid = std::get_if<model::Raid1Layout>(&volume.layout);
    return raid && std::any_of(raid->legs.begin(), raid->legs.end(), [](const auto& leg) { return leg.rebuilding; });
}

Result<Raid1Repair> repair_raid1(const model::Pool& pool, const model::Uuid& array, const Raid1RepairChoice& choice)
{
    auto volume = existing_volume(pool, array);
    if (!volume)
        return std::unexpected(volume.error());
    const auto& name = (*volume)->name;
    const auto* raid = std::get_if<model::Raid1Layout>(&(*volume)->layout);
    if (!raid)
        return fail(ErrorCode::InvalidArgument, fmt::format("volume '{}' is not a raid1 volume", name));
    if (!(*volume)->active)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("raid1 volume '{}' is not active: activate it first, so its images can be rebuilt",
                                name));

    // A member that cannot hold an image: failed in the model, or not found.
    const auto unusable = unusable_members(pool, choice.missing);

    std::vector<std::uint32_t> slots;
    bool has_source = false;
    for (std::uint32_t slot = 0; slot < raid->legs.size(); ++slot) {
        const auto& leg = raid->legs[slot];
        const auto* member = raid1_leg_member(leg);
        if (leg.tracked_image)
            continue;
        if (member && contains(unusable, *member))
            slots.push_back(slot);
        else if (!leg.rebuilding)
            has_source = true;
    }
    if (slots.empty())
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("no image of raid1 volume '{}' is on a failed or missing member: nothing to repair",
                                name));
    for (std::uint32_t slot = 0; slot < raid->legs.size(); ++slot)
        if (raid->legs[slot].rebuilding && std::find(slots.begin(), slots.end(), slot) == slots.end())
            return fail(ErrorCode::Busy,
                        fmt::format("image {} of raid1 volume '{}' is still being rebuilt; repair again once its job "
                                    "has completed",
                                    slot, name));
    if (!has_source)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("every image of raid1 volume '{}' is on a failed or missing member (or still being "
                                "rebuilt): there is no image to rebuild from",
                                name));

    auto legs = allocate_new_raid1_legs(pool, **volume, static_cast<std::uint32_t>(slots.size()), unusable,
                                        choice.allowed);
    if (!legs)
        return std::unexpected(legs.error());

    Raid1Repair repair{pool, slots};
    auto& next_raid = std::get<model::Raid1Layout>(model::find_volume(repair.next, array)->layout);
    for (std::size_t i = 0; i < slots.size(); ++i) {
        auto& leg = next_raid.legs[slots[i]];
        leg.meta = std::move((*legs)[i].meta);
        leg.data = std::move((*legs)[i].data);
        leg.rebuilding = true;
    }
    return repair;
}

Result<std::optional<model::Pool>> finish_raid1_rebuild(const model::Pool& pool, const model::Uuid& array,
                                                        const std::vector<char>& health)
{
    auto volume = existing_volume(pool, array);
    if (!volume)
        return std::unexpected(volume.error());
    if (!std::holds_alternative<model::Raid1Layout>((*volume)->layout))
        return fail(ErrorCode::InvalidArgument, fmt::format("volume '{}' is not a raid1 volume", (*volume)->name));
    model::Pool next = pool;
    bool cleared = false;
    auto& legs = std::get<model::Raid1Layout>(model::find_volume(next, array)->layout).legs;
    for (std::size_t slot = 0; slot < legs.size(); ++slot)
        if (legs[slot].rebuilding && slot < health.size() && health[slot] == 'A') {
            legs[slot].rebuilding = false;
            cleared = true;
        }
    if (!cleared)
        return std::optional<model::Pool>{};
    return std::optional<model::Pool>{std::move(next)};
}

}  // namespace volumes::engine
