#include "service/engine/touched_volumes.hpp"

#include <map>
#include <vector>

#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {

std::optional<std::set<std::string>> touched_volumes(const model::Pool& before, const model::Pool& after,
                                                     const graph::ChangeScope& scope)
{
    if (!model::same_apart_from_volumes(before, after))
        return std::nullopt;
    std::map<model::Uuid, const model::Volume*> old_volumes;
    for (const auto& volume : before.volumes)
        old_volumes.emplace(volume.uuid, &volume);

    // A device's uuid is the prefix, the volume's uuid, then "-<role>" for a sub-device.
    const auto prefix = model::dm_uuid_prefix(after.uuid);
    std::set<model::Uuid> in_scope;
    for (const auto& device : scope.devices)
        if (auto uuid = model::Uuid::parse(std::string_view(device).substr(prefix.size(), 36)))
            in_scope.insert(*uuid);

    std::set<model::Uuid> touched;
    for (const auto& volume : after.volumes) {
        const auto old = old_volumes.find(volume.uuid);
        if (in_scope.contains(volume.uuid) || old == old_volumes.end() || !(*old->second == volume))
            touched.insert(volume.uuid);
    }
    // A removed volume touches what it referred to.
    std::set<model::Uuid> kept;
    for (const auto& volume : after.volumes)
        kept.insert(volume.uuid);
    for (const auto& volume : before.volumes)
        if (!kept.contains(volume.uuid))
            touched.insert(volume.uuid);

    std::set<model::Uuid> related = touched;
    for (const auto* pool : {&before, &after})
        for (const auto& volume : pool->volumes)
            for (const auto& other : model::volumes_referred(volume)) {
                if (touched.contains(volume.uuid))
                    related.insert(other);
                if (touched.contains(other))
                    related.insert(volume.uuid);
            }
    std::set<std::string> names;
    for (const auto& volume : after.volumes)
        if (related.contains(volume.uuid))
            names.insert(volume.name);
    return names;
}

}  // namespace volumes::engine
