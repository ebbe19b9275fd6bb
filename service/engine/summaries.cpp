#include "service/engine/summaries.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "service/allocator/extent_allocator.hpp"
#include "service/graph/member_availability.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {

PoolSummary summarize_pool(const ManagedPool& managed)
{
    const auto& pool = managed.pool;
    PoolSummary summary{pool.uuid,       pool.name,        pool.extent_size, 0,     0, {}, managed.complete(),
                        managed.problems, pool.owner, managed.foreign};
    for (const auto& member : pool.members) {
        MemberSummary entry{member.uuid, {}, member.extent_count, false, member.failed};
        const auto open = std::find_if(managed.members.begin(), managed.members.end(), [&](const OpenMember& m) {
            return m.area.label().member_uuid == member.uuid;
        });
        if (open != managed.members.end()) {
            entry.path = open->device.path();
            entry.present = true;
        }
        if (!entry.present)
            summary.problems.push_back(fmt::format("member {} is missing; the pool runs without it",
                                                   member.uuid.to_string()));
        else if (member.failed)
            summary.problems.push_back(fmt::format(
                "member {} ({}) failed: it could not be written, and is not used until it is re-added (by itself once "
                "it answers again, at start-up or at an Activate)",
                member.uuid.to_string(), entry.path));
        summary.members.push_back(std::move(entry));
        summary.size += member.extent_count * pool.extent_size;
    }
    summary.free = allocator::free_extent_count(pool) * pool.extent_size;
    for (const auto& [name, reason] : unavailable_volumes(managed))
        if (const auto* volume = model::find_volume(pool, name); volume && volume->active)
            summary.problems.push_back(fmt::format("volume '{}' cannot run: {}", name, reason));
    if (!managed.unhealed.empty())
        summary.problems.push_back(managed.unhealed);
    return summary;
}

UnavailableVolumes unavailable_volumes(const ManagedPool& managed)
{
    UnavailableVolumes named;
    for (auto& [uuid, reason] : graph::unavailable_volumes(managed.pool, managed.placements()))
        if (const auto* volume = model::find_volume(managed.pool, uuid))
            named.emplace(volume->name, std::move(reason));
    return named;
}

const char* kind_name(const model::VolumeLayout& layout)
{
    struct Name {
        const char* operator()(const model::LinearLayout&) const { return "linear"; }
        const char* operator()(const model::Raid1Layout&) const { return "raid1"; }
        const char* operator()(const model::TrackedImageLayout&) const { return "tracked_image"; }
        const char* operator()(const model::SnapshotLayout&) const { return "snapshot"; }
        const char* operator()(const model::ThinPoolLayout&) const { return "thin_pool"; }
        const char* operator()(const model::ThinLayout&) const { return "thin"; }
    };
    return std::visit(Name{}, layout);
}

VolumeSummary summarize_volume(const model::Pool& pool, const model::Volume& volume,
                               const UnavailableVolumes& unavailable)
{
    const auto dm_name = model::dm_name(pool.name, volume.name);
    const auto reason = unavailable.find(volume.name);
    return {volume.uuid,
            volume.name,
            pool.name,
            kind_name(volume.layout),
            model::volume_size(pool, volume).value_or(0),
            volume.active,
            std::holds_alternative<model::TrackedImageLayout>(volume.layout),
            dm_name,
            "/dev/mapper/" + dm_name,
            reason == unavailable.end() ? std::string() : reason->second};
}

}  // namespace volumes::engine
