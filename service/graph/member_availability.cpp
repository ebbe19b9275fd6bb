#include "service/graph/member_availability.hpp"

#include <optional>
#include <variant>

#include <fmt/core.h>

#include "service/model/volume_lookup.hpp"

namespace volumes::graph {

namespace {

bool placed(const MemberPlacements& members, const model::ExtentMap& map)
{
    for (const auto& run : map)
        if (!members.contains(run.member))
            return false;
    return true;
}

bool marked_failed(const model::Pool& pool, const model::ExtentMap& map)
{
    for (const auto& run : map)
        if (const auto* member = model::find_member(pool, run.member); member && member->failed)
            return true;
    return false;
}

std::optional<model::Uuid> first_missing(const MemberPlacements& members, const model::ExtentMap& map)
{
    for (const auto& run : map)
        if (!members.contains(run.member))
            return run.member;
    return std::nullopt;
}

bool leg_placed(const MemberPlacements& members, const model::Raid1Leg& leg)
{
    return placed(members, leg.meta) && placed(members, leg.data);
}

bool leg_trusted(const model::Pool& pool, const MemberPlacements& members, const model::Raid1Leg& leg)
{
    return leg_placed(members, leg) && !marked_failed(pool, leg.meta) && !marked_failed(pool, leg.data);
}

std::string missing_reason(const model::Uuid& member)
{
    return fmt::format("its extents on member {} are missing", member.to_string());
}

// Why the volume's own extents keep it from running, if they do.
std::optional<std::string> own_reason(const model::Pool& pool, const MemberPlacements& members,
                                      const model::Volume& volume)
{
    auto missing_in = [&](const model::ExtentMap& map) -> std::optional<std::string> {
        if (auto member = first_missing(members, map))
            return missing_reason(*member);
        return std::nullopt;
    };
    if (const auto* linear = std::get_if<model::LinearLayout>(&volume.layout))
        return missing_in(linear->data);
    if (const auto* raid = std::get_if<model::Raid1Layout>(&volume.layout)) {
        std::optional<model::Uuid> missing;
        for (std::size_t slot = 0; slot < raid->legs.size(); ++slot) {
            if (leg_runs(pool, members, *raid, slot))
                return std::nullopt;
            if (!missing)
                missing = first_missing(members, raid->legs[slot].data);
        }
        if (missing)
            return fmt::format("none of its images can run (member {} is missing)", missing->to_string());
        return std::string("none of its images can run");
    }
    if (const auto* image = std::get_if<model::TrackedImageLayout>(&volume.layout)) {
        const auto* array = model::find_volume(pool, image->array);
        const auto* raid = array ? std::get_if<model::Raid1Layout>(&array->layout) : nullptr;
        if (raid && image->slot < raid->legs.size())
            return missing_in(raid->legs[image->slot].data);
        return std::nullopt;
    }
    if (const auto* snapshot = std::get_if<model::SnapshotLayout>(&volume.layout))
        return missing_in(snapshot->cow);
    if (const auto* thin_pool = std::get_if<model::ThinPoolLayout>(&volume.layout)) {
        if (auto meta = missing_in(thin_pool->meta))
            return meta;
        return missing_in(thin_pool->data);
    }
    return std::nullopt;
}

// Why a volume cannot run because of another one that cannot, if it cannot.
std::optional<std::string> inherited_reason(const model::Pool& pool, const model::Volume& volume,
                                            const std::map<model::Uuid, std::string>& own,
                                            const std::map<model::Uuid, std::string>& unavailable)
{
    auto name_of = [&](const model::Uuid& uuid) {
        const auto* other = model::find_volume(pool, uuid);
        return other ? other->name : uuid.to_string();
    };
    if (const auto* snapshot = std::get_if<model::SnapshotLayout>(&volume.layout)) {
        if (unavailable.contains(snapshot->origin))
            return fmt::format("its origin '{}' cannot run", name_of(snapshot->origin));
        return std::nullopt;
    }
    if (const auto* thin = std::get_if<model::ThinLayout>(&volume.layout)) {
        if (unavailable.contains(thin->pool))
            return fmt::format("its thin pool '{}' cannot run", name_of(thin->pool));
        return std::nullopt;
    }
    if (!std::holds_alternative<model::LinearLayout>(volume.layout) &&
        !std::holds_alternative<model::Raid1Layout>(volume.layout))
        return std::nullopt;
    for (const auto& other : pool.volumes) {
        const auto* snapshot = std::get_if<model::SnapshotLayout>(&other.layout);
        if (snapshot && snapshot->origin == volume.uuid && own.contains(other.uuid))
            return fmt::format("its snapshot '{}' cannot run: {}", other.name, own.at(other.uuid));
    }
    return std::nullopt;
}

}  // namespace

bool leg_runs(const model::Pool& pool, const MemberPlacements& members, const model::Raid1Layout& array,
              std::size_t slot)
{
    const auto& leg = array.legs.at(slot);
    if (leg.tracked_image || !leg_placed(members, leg))
        return false;
    if (leg_trusted(pool, members, leg))
        return true;
    for (const auto& other : array.legs)
        if (!other.tracked_image && leg_trusted(pool, members, other))
            return false;
    return true;
}

std::map<model::Uuid, std::string> unavailable_volumes(const model::Pool& pool, const MemberPlacements& members)
{
    std::map<model::Uuid, std::string> own;
    for (const auto& volume : pool.volumes)
        if (auto reason = own_reason(pool, members, volume))
            own.emplace(volume.uuid, std::move(*reason));
    auto unavailable = own;
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& volume : pool.volumes) {
            if (unavailable.contains(volume.uuid))
                continue;
            if (auto reason = inherited_reason(pool, volume, own, unavailable)) {
                unavailable.emplace(volume.uuid, std::move(*reason));
                grew = true;
            }
        }
    }
    return unavailable;
}

}  // namespace volumes::graph
