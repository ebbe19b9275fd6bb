#include "service/graph/change_scope.hpp"

#include <algorithm>
#include <map>

#include "service/model/volume_lookup.hpp"

namespace volumes::graph {

namespace {

using Devices = std::map<std::string, const planner::DesiredDevice*>;

Devices by_uuid(const planner::DesiredGraph& graph)
{
    Devices devices;
    for (const auto& device : graph.devices)
        devices.emplace(device.uuid, &device);
    return devices;
}

// Every device of both graphs under one made-up number each: tables then differ only where
// the mapping does.
DeviceNumbers stand_in_numbers(const DerivedGraph& before, const DerivedGraph& after)
{
    std::set<std::string> uuids;
    for (const auto* graph : {&before, &after}) {
        for (const auto& device : graph->graph.devices)
            uuids.insert(device.uuid);
        uuids.insert(graph->unresolved.begin(), graph->unresolved.end());
    }
    DeviceNumbers numbers;
    std::uint32_t minor = 0;
    for (const auto& uuid : uuids)
        numbers.emplace(uuid, kmod::DeviceNumber{0, minor++});
    return numbers;
}

// The volumes added, removed or changed from `before` to `after`, and every volume they stack
// with in either model, transitively. Empty when the pool itself changed.
std::set<model::Uuid> volumes_involved(const model::Pool& before, const model::Pool& after)
{
    std::set<model::Uuid> involved;
    if (!model::same_apart_from_volumes(before, after))
        return involved;
    std::map<model::Uuid, const model::Volume*> old_volumes;
    for (const auto& volume : before.volumes)
        old_volumes.emplace(volume.uuid, &volume);
    std::vector<model::Uuid> pending;
    std::set<model::Uuid> kept;
    for (const auto& volume : after.volumes) {
        kept.insert(volume.uuid);
        const auto old = old_volumes.find(volume.uuid);
        if (old == old_volumes.end() || !(*old->second == volume))
            pending.push_back(volume.uuid);
    }
    for (const auto& volume : before.volumes)
        if (!kept.contains(volume.uuid))
            pending.push_back(volume.uuid);

    std::multimap<model::Uuid, model::Uuid> related;
    for (const auto* pool : {&before, &after})
        for (const auto& volume : pool->volumes)
            for (const auto& other : model::volumes_referred(volume)) {
                related.emplace(volume.uuid, other);
                related.emplace(other, volume.uuid);
            }
    while (!pending.empty()) {
        const auto uuid = pending.back();
        pending.pop_back();
        if (!involved.insert(uuid).second)
            continue;
        const auto [first, last] = related.equal_range(uuid);
        for (auto it = first; it != last; ++it)
            pending.push_back(it->second);
    }
    return involved;
}

model::Pool only(const model::Pool& pool, const std::set<model::Uuid>& volumes)
{
    model::Pool part{pool.uuid, pool.name, pool.owner, pool.extent_size, pool.members, {},
                     pool.thin_pool_autoextend, pool.snapshot_autoextend};
    part.extent_move = pool.extent_move;  // the volumes' moved runs map their copies
    for (const auto& volume : pool.volumes)
        if (volumes.contains(volume.uuid))
            part.volumes.push_back(volume);
    return part;
}

}  // namespace

model::Pool scoped_pool(const model::Pool& pool, const ChangeScope& scope)
{
    return scope.volumes.empty() ? pool : only(pool, scope.volumes);
}

model::Result<ChangeScope> change_scope(const model::Pool& whole_before, const model::Pool& whole_after,
                                        const MemberPlacements& members)
{
    // Only the volumes involved can have devices that differ: the others' devices, and every
    // device they stack on, are derived from unchanged volumes.
    auto involved = volumes_involved(whole_before, whole_after);
    const bool whole = involved.empty();
    if (whole && whole_before == whole_after)
        return ChangeScope{};
    const auto before = whole ? whole_before : only(whole_before, involved);
    const auto after = whole ? whole_after : only(whole_after, involved);
    auto first_before = derive_graph(before, members, {});
    if (!first_before)
        return std::unexpected(first_before.error());
    auto first_after = derive_graph(after, members, {});
    if (!first_after)
        return std::unexpected(first_after.error());
    const auto numbers = stand_in_numbers(*first_before, *first_after);
    auto derived_before = derive_graph(before, members, numbers);
    if (!derived_before)
        return std::unexpected(derived_before.error());
    auto derived_after = derive_graph(after, members, numbers);
    if (!derived_after)
        return std::unexpected(derived_after.error());
    const auto old_devices = by_uuid(derived_before->graph);
    const auto new_devices = by_uuid(derived_after->graph);

    ChangeScope scope;
    std::vector<std::string> pending;
    for (const auto& [uuid, device] : new_devices) {
        const auto old = old_devices.find(uuid);
        if (old == old_devices.end() || !(*old->second == *device))
            pending.push_back(uuid);
        if (old == old_devices.end() || old->second->name != device->name)
            scope.new_names.push_back(device->name);
    }
    for (const auto& [uuid, device] : old_devices)
        if (!new_devices.contains(uuid))
            pending.push_back(uuid);

    // Parents and quiesced devices, in either graph, of every device in the scope.
    std::multimap<std::string, std::string> follows;
    for (const auto* devices : {&old_devices, &new_devices})
        for (const auto& [uuid, device] : *devices) {
            for (const auto& child : device->children)
                follows.emplace(child, uuid);
            for (const auto& quiesced : device->quiesced)
                follows.emplace(uuid, quiesced);
        }
    while (!pending.empty()) {
        auto uuid = std::move(pending.back());
        pending.pop_back();
        if (!scope.devices.insert(uuid).second)
            continue;
        const auto [first, last] = follows.equal_range(uuid);
        for (auto it = first; it != last; ++it)
            pending.push_back(it->second);
    }

    for (const auto* devices : {&old_devices, &new_devices})
        for (const auto& uuid : scope.devices)
            if (const auto found = devices->find(uuid); found != devices->end())
                for (const auto& child : found->second->children)
                    if (!scope.devices.contains(child))
                        scope.stacked_on.insert(child);
    if (!whole)
        scope.volumes = std::move(involved);
    return scope;
}

DerivedGraph within(DerivedGraph derived, const ChangeScope& scope)
{
    auto& devices = derived.graph.devices;
    std::erase_if(devices, [&](const planner::DesiredDevice& device) { return !scope.devices.contains(device.uuid); });
    std::set<std::string> named;
    for (const auto& device : devices) {
        named.insert(device.children.begin(), device.children.end());
        named.insert(device.quiesced.begin(), device.quiesced.end());
    }
    std::erase_if(derived.unresolved, [&](const std::string& uuid) { return !named.contains(uuid); });
    derived.graph.outside.assign(scope.stacked_on.begin(), scope.stacked_on.end());
    return derived;
}

}  // namespace volumes::graph
