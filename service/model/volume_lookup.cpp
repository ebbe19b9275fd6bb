#include "service/model/volume_lookup.hpp"

#include <algorithm>
#include <numeric>

namespace volumes::model {

namespace {

template <class Volumes, class Match>
auto find_in(Volumes& volumes, Match match) -> decltype(&volumes.front())
{
    const auto found = std::find_if(volumes.begin(), volumes.end(), match);
    return found == volumes.end() ? nullptr : &*found;
}

}  // namespace

const Volume* find_volume(const Pool& pool, const Uuid& uuid)
{
    return find_in(pool.volumes, [&](const Volume& v) { return v.uuid == uuid; });
}

const Volume* find_volume(const Pool& pool, std::string_view name)
{
    return find_in(pool.volumes, [&](const Volume& v) { return v.name == name; });
}

Volume* find_volume(Pool& pool, const Uuid& uuid)
{
    return find_in(pool.volumes, [&](const Volume& v) { return v.uuid == uuid; });
}

Member* find_member(Pool& pool, const Uuid& uuid)
{
    for (auto& member : pool.members)
        if (member.uuid == uuid)
            return &member;
    return nullptr;
}

const Member* find_member(const Pool& pool, const Uuid& uuid)
{
    for (const auto& member : pool.members)
        if (member.uuid == uuid)
            return &member;
    return nullptr;
}

std::uint64_t extent_count(const ExtentMap& map)
{
    return std::accumulate(map.begin(), map.end(), std::uint64_t{0},
                           [](std::uint64_t sum, const ExtentRun& run) { return sum + run.count; });
}

std::vector<Uuid> volumes_referred(const Volume& volume)
{
    std::vector<Uuid> uuids;
    if (const auto* snapshot = std::get_if<SnapshotLayout>(&volume.layout))
        uuids.push_back(snapshot->origin);
    if (const auto* thin = std::get_if<ThinLayout>(&volume.layout))
        uuids.push_back(thin->pool);
    if (const auto* image = std::get_if<TrackedImageLayout>(&volume.layout))
        uuids.push_back(image->array);
    if (const auto* raid = std::get_if<Raid1Layout>(&volume.layout))
        for (const auto& leg : raid->legs)
            if (leg.tracked_image)
                uuids.push_back(*leg.tracked_image);
    return uuids;
}

bool same_apart_from_volumes(const Pool& a, const Pool& b)
{
    return a.uuid == b.uuid && a.name == b.name && a.owner == b.owner && a.extent_size == b.extent_size &&
           a.members == b.members && a.thin_pool_autoextend == b.thin_pool_autoextend &&
           a.snapshot_autoextend == b.snapshot_autoextend && a.extent_move == b.extent_move;
}

std::optional<std::uint64_t> volume_size(const Pool& pool, const Volume& volume)
{
    struct Size {
        const Pool& pool;
        std::optional<std::uint64_t> operator()(const LinearLayout& l) const
        {
            return extent_count(l.data) * pool.extent_size;
        }
        std::optional<std::uint64_t> operator()(const Raid1Layout& r) const
        {
            if (r.legs.empty())
                return std::nullopt;
            return extent_count(r.legs.front().data) * pool.extent_size;
        }
        std::optional<std::uint64_t> operator()(const TrackedImageLayout& t) const
        {
            const Volume* array = find_volume(pool, t.array);
            if (!array)
                return std::nullopt;
            const auto* raid = std::get_if<Raid1Layout>(&array->layout);
            if (!raid || t.slot >= raid->legs.size())
                return std::nullopt;
            return extent_count(raid->legs[t.slot].data) * pool.extent_size;
        }
        std::optional<std::uint64_t> operator()(const SnapshotLayout& s) const
        {
            const Volume* origin = find_volume(pool, s.origin);
            if (!origin || std::holds_alternative<SnapshotLayout>(origin->layout))
                return std::nullopt;
            return volume_size(pool, *origin);
        }
        std::optional<std::uint64_t> operator()(const ThinPoolLayout& t) const
        {
            return extent_count(t.data) * pool.extent_size;
        }
        std::optional<std::uint64_t> operator()(const ThinLayout& t) const { return t.virtual_size; }
    };
    return std::visit(Size{pool}, volume.layout);
}

}  // namespace volumes::model
