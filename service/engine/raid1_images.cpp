#include "service/engine/raid1_images.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "service/engine/decision_checks.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {

namespace {

// Mirrors pool_checks' bound, which a document with more legs fails.
constexpr std::size_t most_legs = 8;

bool on_unusable(const model::Raid1Leg& leg, const std::vector<model::Uuid>& unusable)
{
    const auto* member = raid1_leg_member(leg);
    return member && std::find(unusable.begin(), unusable.end(), *member) != unusable.end();
}

std::string tracked_name(const model::Pool& pool, const model::Uuid& uuid)
{
    const auto* image = model::find_volume(pool, uuid);
    return image ? image->name : uuid.to_string();
}

Result<const model::Raid1Layout*> raid1_of(const model::Volume& volume)
{
    const auto* raid = std::get_if<model::Raid1Layout>(&volume.layout);
    if (!raid)
        return fail(ErrorCode::InvalidArgument, fmt::format("volume '{}' is not a raid1 volume", volume.name));
    return raid;
}

}  // namespace

Result<Raid1ImageAddition> add_raid1_image(const model::Pool& pool, const model::Uuid& array,
                                           const Raid1RepairChoice& choice)
{
    auto volume = existing_volume(pool, array);
    if (!volume)
        return std::unexpected(volume.error());
    const auto& name = (*volume)->name;
    auto raid = raid1_of(**volume);
    if (!raid)
        return std::unexpected(raid.error());
    const auto& legs = (*raid)->legs;
    if (!(*volume)->active)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("raid1 volume '{}' is not active: activate it first, so the new image can be synced",
                                name));
    if (legs.size() >= most_legs)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("raid1 volume '{}' has {} images already, the most a raid1 may have", name,
                                legs.size()));
    const auto unusable = unusable_members(pool, choice.missing);
    for (std::uint32_t slot = 0; slot < legs.size(); ++slot) {
        const auto& leg = legs[slot];
        if (leg.tracked_image)
            return fail(ErrorCode::InUse,
                        fmt::format("image {} of raid1 volume '{}' is split off as tracked image '{}'; merge it "
                                    "back or split it for good first",
                                    slot, name, tracked_name(pool, *leg.tracked_image)));
        if (leg.rebuilding)
            return fail(ErrorCode::Busy,
                        fmt::format("image {} of raid1 volume '{}' is still being rebuilt; add an image once its job "
                                    "has completed",
                                    slot, name));
        if (on_unusable(leg, unusable))
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("image {} of raid1 volume '{}' is on a failed or missing member; repair it first",
                                    slot, name));
    }

    auto allocated = allocate_new_raid1_legs(pool, **volume, 1, unusable, choice.allowed);
    if (!allocated)
        return std::unexpected(allocated.error());
    Raid1ImageAddition addition{pool, static_cast<std::uint32_t>(legs.size())};
    auto& next_legs = std::get<model::Raid1Layout>(model::find_volume(addition.next, array)->layout).legs;
    model::Raid1Leg leg;
    leg.meta = std::move(allocated->front().meta);
    leg.data = std::move(allocated->front().data);
    leg.rebuilding = true;
    next_legs.push_back(std::move(leg));
    return addition;
}

Result<model::Pool> remove_raid1_image(const model::Pool& pool, const model::Uuid& array, std::uint32_t slot,
                                       const std::vector<model::Uuid>& missing,
                                       const std::optional<Raid1KernelView>& kernel)
{
    auto volume = existing_volume(pool, array);
    if (!volume)
        return std::unexpected(volume.error());
    const auto& name = (*volume)->name;
    auto raid = raid1_of(**volume);
    if (!raid)
        return std::unexpected(raid.error());
    const auto& legs = (*raid)->legs;
    if (slot >= legs.size())
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("raid1 volume '{}' has no image {}: its slots are 0 to {}", name, slot,
                                legs.size() - 1));
    if (legs.size() <= 2)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("raid1 volume '{}' has {} images; removing one would leave it without a mirror (a "
                                "raid1 keeps at least two)",
                                name, legs.size()));
    for (std::uint32_t other = slot; other < legs.size(); ++other)
        if (legs[other].tracked_image)
            return fail(ErrorCode::InUse,
                        other == slot
                            ? fmt::format("image {} of raid1 volume '{}' is split off as tracked image '{}'; merge "
                                          "it back or split it for good first",
                                          slot, name, tracked_name(pool, *legs[other].tracked_image))
                            : fmt::format("image {} of raid1 volume '{}' is split off as tracked image '{}', whose "
                                          "slot removing image {} would change; merge it back or split it first",
                                          other, name, tracked_name(pool, *legs[other].tracked_image), slot));

    // The data in full must stay on a leg that runs: not rebuilding, not split off, not on a
    // failed or missing member.
    const auto unusable = unusable_members(pool, missing);
    bool source_left = false;
    bool rebuilding_left = false;
    for (std::uint32_t other = 0; other < legs.size(); ++other) {
        if (other == slot)
            continue;
        const auto& leg = legs[other];
        rebuilding_left = rebuilding_left || leg.rebuilding;
        source_left = source_left || (!leg.rebuilding && !leg.tracked_image && !on_unusable(leg, unusable));
    }
    if (!source_left) {
        const auto why = fmt::format("removing image {} of raid1 volume '{}' would lose its data: no other image "
                                     "holds it in full",
                                     slot, name);
        if (rebuilding_left)
            return fail(ErrorCode::Busy, why + " until the rebuild under way has completed");
        return fail(ErrorCode::InvalidArgument, why + " (the others are on failed or missing members)");
    }

    if ((*volume)->active && slot + 1 < legs.size()) {
        const bool whole = kernel && kernel->synced && kernel->health.size() == legs.size() &&
                           std::all_of(kernel->health.begin(), kernel->health.end(), [](char c) { return c == 'A'; });
        if (!whole)
            return fail(ErrorCode::Busy,
                        fmt::format("raid1 volume '{}' is not idle and in sync with every image alive; until it is "
                                    "only its last image ({}) can be removed, since removing image {} moves the "
                                    "images after it down a slot",
                                    name, legs.size() - 1, slot));
    }

    model::Pool next = pool;
    auto& next_legs = std::get<model::Raid1Layout>(model::find_volume(next, array)->layout).legs;
    next_legs.erase(next_legs.begin() + slot);
    // A tracked image before the slot keeps its number; none is after it (refused above).
    return next;
}

}  // namespace volumes::engine
