#include <fmt/core.h>

#include "kmod/tables/snapshot_table.hpp"
#include "service/graph/volume_devices.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::graph {

namespace {

// What an origin's snapshots ask of its devices.
struct OriginSnapshots {
    bool any_active_not_merging = false;
    const model::Volume* merging = nullptr;
};

model::Result<OriginSnapshots> snapshots_of(const model::Pool& pool, const model::Volume& origin)
{
    OriginSnapshots found;
    for (const auto& volume : pool.volumes) {
        const auto* snapshot = std::get_if<model::SnapshotLayout>(&volume.layout);
        if (!snapshot || snapshot->origin != origin.uuid)
            continue;
        // Merging whether active or not: the origin's snapshot-merge holds its cow.
        if (snapshot->merge == model::SnapshotMergeState::Merging) {
            if (found.merging)
                return model::fail(model::ErrorCode::InvalidArgument,
                                   fmt::format("origin '{}' has two merging snapshots, '{}' and '{}'", origin.name,
                                               found.merging->name, volume.name));
            found.merging = &volume;
        } else if (volume.active) {
            found.any_active_not_merging = true;
        }
    }
    return found;
}

model::Result<std::string> add_cow(GraphBuilder& graph, const model::Volume& snapshot,
                                   const model::SnapshotLayout& layout)
{
    return graph.add_linear(snapshot, model::role::cow, layout.cow);
}

model::Result<kmod::SnapshotTable> snapshot_table(GraphBuilder& graph, const model::Volume& snapshot,
                                                  const model::SnapshotLayout& layout, std::uint64_t length,
                                                  const std::string& real_uuid, const std::string& cow_uuid)
{
    const auto chunk_size = graph.sectors(layout.chunk_size, fmt::format("snapshot '{}' chunk size", snapshot.name));
    if (!chunk_size)
        return std::unexpected(chunk_size.error());
    kmod::SnapshotTable table;
    table.length = length;
    table.origin = graph.stack_on(real_uuid);
    table.cow = graph.stack_on(cow_uuid);
    table.store = kmod::SnapshotStore::Persistent;
    table.chunk_size = static_cast<std::uint32_t>(*chunk_size);
    return table;
}

// Snapshots and their origins freeze a mounted filesystem before they suspend.
planner::DesiredDevice with_lockfs(planner::DesiredDevice device)
{
    device.suspend.skip_lockfs = false;
    return device;
}

model::Result<Mapping> visible_origin(GraphBuilder& graph, const model::Volume& origin, const model::Volume* merging,
                                      std::uint64_t length, const std::string& real_uuid)
{
    const auto name = graph.name(origin);
    if (!merging) {
        auto line = built(kmod::snapshot_origin_table_line(length, graph.stack_on(real_uuid)), name);
        if (!line)
            return std::unexpected(line.error());
        return Mapping{{std::move(*line)}, {real_uuid}};
    }

    const auto& layout = std::get<model::SnapshotLayout>(merging->layout);
    const auto cow_uuid = add_cow(graph, *merging, layout);
    if (!cow_uuid)
        return std::unexpected(cow_uuid.error());
    const auto table = snapshot_table(graph, *merging, layout, length, real_uuid, *cow_uuid);
    if (!table)
        return std::unexpected(table.error());
    auto line = built(kmod::snapshot_merge_table_line(*table), name);
    if (!line)
        return std::unexpected(line.error());
    return Mapping{{std::move(*line)}, {real_uuid, *cow_uuid}};
}

}  // namespace

model::Result<void> add_origin(GraphBuilder& graph, const model::Volume& origin, Mapping own)
{
    const auto snapshots = snapshots_of(graph.pool(), origin);
    if (!snapshots)
        return std::unexpected(snapshots.error());
    if (!snapshots->merging && !snapshots->any_active_not_merging) {
        graph.add(graph.device_of(origin, {}, std::move(own)));
        return {};
    }

    const auto length = kmod::table_length(own.table);
    const auto real_uuid = graph.uuid(origin, model::role::real);
    graph.add(graph.device_of(origin, model::role::real, std::move(own)));
    auto visible = visible_origin(graph, origin, snapshots->merging, length, real_uuid);
    if (!visible)
        return std::unexpected(visible.error());
    graph.add(with_lockfs(graph.device_of(origin, {}, std::move(*visible))));
    return {};
}

model::Result<void> add_snapshot(GraphBuilder& graph, const model::Volume& snapshot,
                                 const model::SnapshotLayout& layout)
{
    const auto* origin = model::find_volume(graph.pool(), layout.origin);
    if (!origin || !(std::holds_alternative<model::LinearLayout>(origin->layout) ||
                     std::holds_alternative<model::Raid1Layout>(origin->layout)))
        return model::fail(model::ErrorCode::InvalidArgument,
                           fmt::format("snapshot '{}': its origin {} is not a linear or raid1 volume of the pool",
                                       snapshot.name, layout.origin.to_string()));
    if (!origin->active)
        return model::fail(model::ErrorCode::InvalidArgument,
                           fmt::format("snapshot '{}' is active but its origin '{}' is not", snapshot.name,
                                       origin->name));
    if (layout.merge == model::SnapshotMergeState::Merging)
        return {};

    const auto cow_uuid = add_cow(graph, snapshot, layout);
    if (!cow_uuid)
        return std::unexpected(cow_uuid.error());
    const auto length = graph.size(snapshot);
    if (!length)
        return std::unexpected(length.error());
    const auto real_uuid = graph.uuid(*origin, model::role::real);
    const auto table = snapshot_table(graph, snapshot, layout, *length, real_uuid, *cow_uuid);
    if (!table)
        return std::unexpected(table.error());
    const auto name = graph.name(snapshot);
    auto line = built(kmod::snapshot_table_line(*table), name);
    if (!line)
        return std::unexpected(line.error());
    auto snapshot_device = with_lockfs(graph.device_of(snapshot, {}, Mapping{{std::move(*line)}, {real_uuid, *cow_uuid}}));
    snapshot_device.quiesced = {graph.uuid(*origin)};
    graph.add(std::move(snapshot_device));
    return {};
}

}  // namespace volumes::graph
