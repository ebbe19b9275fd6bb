#include "service/graph/derive_graph.hpp"

#include <set>

#include "service/graph/graph_builder.hpp"
#include "service/graph/member_availability.hpp"
#include "service/graph/volume_devices.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::graph {

namespace {

// The volume whose devices this one's stack on: a snapshot's origin, a thin volume's pool.
const model::Uuid* base_of(const model::Volume& volume)
{
    if (const auto* snapshot = std::get_if<model::SnapshotLayout>(&volume.layout))
        return &snapshot->origin;
    if (const auto* thin = std::get_if<model::ThinLayout>(&volume.layout))
        return &thin->pool;
    return nullptr;
}

struct AddDevices {
    GraphBuilder& graph;
    const model::Volume& volume;

    model::Result<void> operator()(const model::LinearLayout& layout) const
    {
        auto own = linear_mapping(graph, volume, layout);
        if (!own)
            return std::unexpected(own.error());
        return add_origin(graph, volume, std::move(*own));
    }
    model::Result<void> operator()(const model::Raid1Layout& layout) const
    {
        auto own = raid1_mapping(graph, volume, layout);
        if (!own)
            return std::unexpected(own.error());
        return add_origin(graph, volume, std::move(*own));
    }
    model::Result<void> operator()(const model::TrackedImageLayout& layout) const
    {
        return add_tracked_image(graph, volume, layout);
    }
    model::Result<void> operator()(const model::SnapshotLayout& layout) const
    {
        return add_snapshot(graph, volume, layout);
    }
    model::Result<void> operator()(const model::ThinPoolLayout& layout) const
    {
        return add_thin_pool(graph, volume, layout);
    }
    model::Result<void> operator()(const model::ThinLayout& layout) const { return add_thin(graph, volume, layout); }
};

struct Adding {
    std::set<model::Uuid> added;
    const std::map<model::Uuid, std::string>& unavailable;
};

model::Result<void> add_volume(GraphBuilder& graph, const model::Volume& volume, Adding& adding)
{
    if (!volume.active || adding.unavailable.contains(volume.uuid) || !adding.added.insert(volume.uuid).second)
        return {};
    if (const auto* base_uuid = base_of(volume))
        if (const auto* base = model::find_volume(graph.pool(), *base_uuid))
            if (auto base_added = add_volume(graph, *base, adding); !base_added)
                return base_added;
    return std::visit(AddDevices{graph, volume}, volume.layout);
}

}  // namespace

model::Result<DerivedGraph> derive_graph(const model::Pool& pool, const MemberPlacements& members,
                                         const DeviceNumbers& devices)
{
    GraphBuilder graph(pool, members, devices);
    auto unavailable = unavailable_volumes(pool, members);
    Adding adding{{}, unavailable};
    for (const auto& volume : pool.volumes)
        if (auto volume_added = add_volume(graph, volume, adding); !volume_added)
            return std::unexpected(volume_added.error());
    auto derived = std::move(graph).finish();
    derived.unavailable = std::move(unavailable);
    return derived;
}

}  // namespace volumes::graph
