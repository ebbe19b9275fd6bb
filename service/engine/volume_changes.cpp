#include "service/engine/volume_changes.hpp"

#include <algorithm>
#include <bit>

#include <fmt/core.h>

#include "service/allocator/extent_allocator.hpp"
#include "service/engine/decision_checks.hpp"
#include "service/engine/error_translation.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {

namespace {

bool stands_on(const model::Volume& volume, const Uuid& base)
{
    if (const auto* snapshot = std::get_if<model::SnapshotLayout>(&volume.layout))
        return snapshot->origin == base;
    if (const auto* thin = std::get_if<model::ThinLayout>(&volume.layout))
        return thin->pool == base;
    return false;
}

const Uuid* base_of(const model::Volume& volume)
{
    if (const auto* snapshot = std::get_if<model::SnapshotLayout>(&volume.layout))
        return &snapshot->origin;
    if (const auto* thin = std::get_if<model::ThinLayout>(&volume.layout))
        return &thin->pool;
    return nullptr;
}

}  // namespace

Result<Pool> add_linear_volume(const Pool& pool, const LinearRequest& request, const Uuid& uuid)
{
    if (auto checked = check_new_name(pool, request.name); !checked)
        return std::unexpected(checked.error());
    auto extents = extents_for(pool, request.size);
    if (!extents)
        return std::unexpected(extents.error());
    auto data = allocator::allocate_linear(pool, *extents);
    if (!data)
        return std::unexpected(from_model(data.error()));
    Pool next = pool;
    next.volumes.push_back({uuid, request.name, true, model::LinearLayout{std::move(*data)}});
    return next;
}

Result<Pool> add_raid1_volume(const Pool& pool, const Raid1Request& request, const Uuid& uuid)
{
    if (auto checked = check_new_name(pool, request.name); !checked)
        return std::unexpected(checked.error());
    if (request.images < 2 || request.images > kMaxRaid1Images)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("a raid1 volume has 2 to {} images, not {}", kMaxRaid1Images, request.images));
    auto extents = extents_for(pool, request.size);
    if (!extents)
        return std::unexpected(extents.error());
    const auto image_bytes = *extents * pool.extent_size;
    if (auto checked = check_region_size(request.region_size, image_bytes); !checked)
        return std::unexpected(checked.error());
    auto legs = allocator::allocate_raid1_legs(pool, request.images, *extents);
    if (!legs)
        return std::unexpected(from_model(legs.error()));
    model::Raid1Layout raid{request.region_size, {}};
    for (auto& leg : *legs)
        raid.legs.push_back({std::move(leg.meta), std::move(leg.data), std::nullopt});
    Pool next = pool;
    next.volumes.push_back({uuid, request.name, true, std::move(raid)});
    return next;
}

Result<Pool> remove_volume(const Pool& pool, const Uuid& uuid)
{
    auto volume = existing_volume(pool, uuid);
    if (!volume)
        return std::unexpected(volume.error());
    const auto& name = (*volume)->name;
    if (std::holds_alternative<model::TrackedImageLayout>((*volume)->layout))
        return fail(ErrorCode::NotSupported,
                    fmt::format("'{}' is a tracked raid1 image: merge it back or split it off instead", name));
    if (const auto* raid = std::get_if<model::Raid1Layout>(&(*volume)->layout))
        for (const auto& leg : raid->legs)
            if (leg.tracked_image)
                return fail(ErrorCode::InUse,
                            fmt::format("raid1 volume '{}' has a tracked image: merge it back or split it off first",
                                        name));
    if (const auto* snapshot = std::get_if<model::SnapshotLayout>(&(*volume)->layout);
        snapshot && snapshot->merge == model::SnapshotMergeState::Merging)
        return fail(ErrorCode::Busy,
                    fmt::format("snapshot '{}' is merging into its origin; it goes when the merge ends", name));
    for (const auto& other : pool.volumes)
        if (stands_on(other, uuid))
            return fail(ErrorCode::InUse, fmt::format("volume '{}' stands on '{}': remove it first", other.name, name));
    Pool next = pool;
    std::erase_if(next.volumes, [&](const model::Volume& v) { return v.uuid == uuid; });
    return next;
}

Result<Pool> rename_volume(const Pool& pool, const Uuid& uuid, const std::string& new_name)
{
    auto volume = existing_volume(pool, uuid);
    if (!volume)
        return std::unexpected(volume.error());
    if (auto checked = check_new_name(pool, new_name); !checked)
        return std::unexpected(checked.error());
    for (const auto& other : pool.volumes) {
        const auto* snapshot = std::get_if<model::SnapshotLayout>(&other.layout);
        if (snapshot && snapshot->merge != model::SnapshotMergeState::None &&
            (other.uuid == uuid || snapshot->origin == uuid))
            return fail(ErrorCode::Busy, fmt::format("'{}' takes part in the merge of snapshot '{}'; rename it once "
                                                     "the merge has finished",
                                                     (*volume)->name, other.name));
    }
    Pool next = pool;
    model::find_volume(next, uuid)->name = new_name;
    return next;
}

Result<Pool> set_active(const Pool& pool, const Uuid& uuid, bool active)
{
    auto volume = existing_volume(pool, uuid);
    if (!volume)
        return std::unexpected(volume.error());
    Pool next = pool;
    model::find_volume(next, uuid)->active = active;
    if (active) {
        if (const auto* base = base_of(**volume))
            if (auto* base_volume = model::find_volume(next, *base))
                base_volume->active = true;
    } else {
        for (auto& other : next.volumes)
            if (stands_on(other, uuid))
                other.active = false;
    }
    return next;
}

Result<Pool> split_track(const Pool& pool, const Uuid& array, const SplitTrackRequest& request,
                         const Uuid& image_uuid)
{
    auto volume = existing_volume(pool, array);
    if (!volume)
        return std::unexpected(volume.error());
    const auto* raid = std::get_if<model::Raid1Layout>(&(*volume)->layout);
    if (!raid)
        return fail(ErrorCode::InvalidArgument, fmt::format("volume '{}' is not a raid1 volume", (*volume)->name));
    if (!(*volume)->active)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("raid1 volume '{}' is not active: activate it first", (*volume)->name));
    if (std::any_of(raid->legs.begin(), raid->legs.end(), [](const auto& leg) { return leg.tracked_image; }))
        return fail(ErrorCode::Busy,
                    fmt::format("raid1 volume '{}' already has a tracked image: merge it back or split it off first",
                                (*volume)->name));
    if (raid->legs.size() < 2)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("raid1 volume '{}' has a single image; there is none to split off", (*volume)->name));
    const auto slot = request.slot.value_or(static_cast<std::uint32_t>(raid->legs.size() - 1));
    if (slot >= raid->legs.size())
        return fail(ErrorCode::InvalidArgument, fmt::format("raid1 volume '{}' has images 0 to {}, not {}",
                                                            (*volume)->name, raid->legs.size() - 1, slot));
    if (raid->legs.size() < 3 && !request.allow_no_redundancy)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("splitting an image off two-image raid1 volume '{}' leaves it without redundancy "
                                "until the merge; pass allow_no_redundancy to accept that",
                                (*volume)->name));
    const auto image_name = request.image_name.empty() ? fmt::format("{}_image_{}", (*volume)->name, slot)
                                                       : request.image_name;
    if (auto checked = check_new_name(pool, image_name); !checked)
        return std::unexpected(checked.error());
    Pool next = pool;
    auto& next_raid = std::get<model::Raid1Layout>(model::find_volume(next, array)->layout);
    next_raid.legs[slot].tracked_image = image_uuid;
    next.volumes.push_back({image_uuid, image_name, true, model::TrackedImageLayout{array, slot}});
    return next;
}

Result<Pool> merge_tracked_image(const Pool& pool, const Uuid& image)
{
    auto volume = existing_volume(pool, image);
    if (!volume)
        return std::unexpected(volume.error());
    const auto* tracked = std::get_if<model::TrackedImageLayout>(&(*volume)->layout);
    if (!tracked)
        return fail(ErrorCode::InvalidArgument, fmt::format("volume '{}' is not a tracked raid1 image", (*volume)->name));
    Pool next = pool;
    auto* array = model::find_volume(next, tracked->array);
    if (!array || !std::holds_alternative<model::Raid1Layout>(array->layout))
        return fail(ErrorCode::Failed, fmt::format("the array of tracked image '{}' is missing", (*volume)->name));
    if (!array->active)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("raid1 volume '{}' is not active: activate it before merging '{}' back", array->name,
                                (*volume)->name));
    auto& raid = std::get<model::Raid1Layout>(array->layout);
    raid.legs.at(tracked->slot).tracked_image.reset();
    std::erase_if(next.volumes, [&](const model::Volume& v) { return v.uuid == image; });
    return next;
}

Result<Pool> split_image(const Pool& pool, const Uuid& array, std::string new_name, const Uuid& new_uuid)
{
    auto volume = existing_volume(pool, array);
    if (!volume)
        return std::unexpected(volume.error());
    const auto& name = (*volume)->name;
    const auto* raid = std::get_if<model::Raid1Layout>(&(*volume)->layout);
    if (!raid)
        return fail(ErrorCode::InvalidArgument, fmt::format("volume '{}' is not a raid1 volume", name));
    const auto tracked = std::find_if(raid->legs.begin(), raid->legs.end(),
                                      [](const model::Raid1Leg& leg) { return leg.tracked_image.has_value(); });
    if (tracked == raid->legs.end())
        return fail(ErrorCode::NotFound,
                    fmt::format("raid1 volume '{}' has no tracked image: split-track an image first", name));
    if (!(*volume)->active)
        return fail(ErrorCode::InvalidArgument, fmt::format("raid1 volume '{}' is not active: activate it first", name));
    if (auto checked = check_new_name(pool, new_name); !checked)
        return std::unexpected(checked.error());
    const auto* image = model::find_volume(pool, *tracked->tracked_image);
    if (!image)
        return fail(ErrorCode::Failed, fmt::format("the tracked image of raid1 volume '{}' is missing", name));

    Pool next = pool;
    next.volumes.push_back({new_uuid, std::move(new_name), image->active, model::LinearLayout{tracked->data}});
    auto& legs = std::get<model::Raid1Layout>(model::find_volume(next, array)->layout).legs;
    legs.erase(legs.begin() + (tracked - raid->legs.begin()));
    std::erase_if(next.volumes, [&](const model::Volume& v) { return v.uuid == image->uuid; });
    return next;
}

}  // namespace volumes::engine
