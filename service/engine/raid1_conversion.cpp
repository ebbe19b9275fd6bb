#include "service/engine/raid1_conversion.hpp"

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

// The one extent image 0's metadata takes on `member`: its first free one.
Result<model::ExtentMap> metadata_extent_on(const model::Pool& pool, const model::Uuid& member,
                                            const std::string& name)
{
    for (const auto& free : allocator::free_extents(pool))
        if (free.member == member && !free.runs.empty())
            return model::ExtentMap{{member, free.runs.front().start, 1}};
    return fail(ErrorCode::NoSpace,
                fmt::format("member {} holding volume '{}' has no free extent for the metadata of its image (a "
                            "raid1 image's metadata lives on the image's member)",
                            member.to_string(), name));
}

}  // namespace

Result<model::Pool> convert_to_raid1(const model::Pool& pool, const model::Uuid& uuid, const Raid1RepairChoice& choice,
                                     std::uint64_t region_size)
{
    auto volume = existing_volume(pool, uuid);
    if (!volume)
        return std::unexpected(volume.error());
    const auto& name = (*volume)->name;
    const auto* linear = std::get_if<model::LinearLayout>(&(*volume)->layout);
    if (!linear) {
        if (std::holds_alternative<model::Raid1Layout>((*volume)->layout))
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("volume '{}' is a raid1 volume already; Raid1.AddImage gives it another image",
                                    name));
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("volume '{}' is not a linear volume; only a linear volume converts to raid1", name));
    }
    if (!(*volume)->active)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("linear volume '{}' is not active: activate it first, so its new image can be synced "
                                "by a job",
                                name));
    if (linear->data.empty())
        return fail(ErrorCode::InvalidArgument, fmt::format("linear volume '{}' has no extents", name));
    const auto member = linear->data.front().member;
    for (const auto& run : linear->data)
        if (run.member != member)
            return fail(ErrorCode::NotSupported,
                        fmt::format("linear volume '{}' spans members {} and {}; a raid1 image lives on one member, "
                                    "so only a volume on one member converts",
                                    name, member.to_string(), run.member.to_string()));
    for (const auto& other : pool.volumes)
        if (const auto* snapshot = std::get_if<model::SnapshotLayout>(&other.layout);
            snapshot && snapshot->origin == uuid)
            return fail(ErrorCode::NotSupported,
                        fmt::format("volume '{}' has snapshot '{}'; converting an origin is not supported: remove "
                                    "(or merge) its snapshots first",
                                    name, other.name));

    // A member that cannot hold an image: failed in the model, or not found.
    std::vector<model::Uuid> unusable = choice.missing;
    for (const auto& each : pool.members)
        if (each.failed && !contains(unusable, each.uuid))
            unusable.push_back(each.uuid);
    if (contains(unusable, member))
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("linear volume '{}' is on member {}, which is failed or missing", name,
                                member.to_string()));

    const auto data_extents = model::extent_count(linear->data);
    if (auto checked = check_region_size(region_size, data_extents * pool.extent_size); !checked)
        return std::unexpected(checked.error());

    std::vector<model::Uuid> exclude = unusable;
    exclude.push_back(member);
    for (const auto& allowed : choice.allowed) {
        if (!model::find_member(pool, allowed))
            return fail(ErrorCode::NotFound,
                        fmt::format("{} is not a member of pool '{}'", allowed.to_string(), pool.name));
        if (contains(unusable, allowed))
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("member {} is failed or missing; it cannot hold a new image", allowed.to_string()));
        if (allowed == member)
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("member {} holds volume '{}' itself; its second image needs another member",
                                    allowed.to_string(), name));
    }
    if (!choice.allowed.empty())
        for (const auto& each : pool.members)
            if (!contains(choice.allowed, each.uuid) && !contains(exclude, each.uuid))
                exclude.push_back(each.uuid);

    auto meta = metadata_extent_on(pool, member, name);
    if (!meta)
        return std::unexpected(meta.error());
    // Image 0's member is excluded, so its metadata extent cannot be taken twice.
    auto legs = allocator::allocate_raid1_legs(pool, 1, data_extents, exclude);
    if (!legs)
        return std::unexpected(from_model(legs.error()));

    model::Raid1Layout raid{region_size, {}};
    raid.legs.push_back({std::move(*meta), linear->data, std::nullopt, false});
    raid.legs.push_back({std::move(legs->front().meta), std::move(legs->front().data), std::nullopt, true});
    model::Pool next = pool;
    model::find_volume(next, uuid)->layout = std::move(raid);
    return next;
}

}  // namespace volumes::engine
