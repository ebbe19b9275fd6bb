#include "service/graph/extent_move_devices.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "kmod/tables/raid1_table.hpp"
#include "service/model/extent_move_roles.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::graph {

std::vector<std::optional<std::size_t>> moved_runs(const model::Pool& pool, const model::ExtentMap& extents)
{
    std::vector<std::optional<std::size_t>> moved(extents.size());
    if (!pool.extent_move)
        return moved;
    const auto& runs = pool.extent_move->runs;
    for (std::size_t i = 0; i < extents.size(); ++i) {
        const auto found = std::find_if(runs.begin(), runs.end(),
                                        [&](const model::MovedRun& run) { return run.from == extents[i]; });
        if (found != runs.end())
            moved[i] = static_cast<std::size_t>(found - runs.begin());
    }
    return moved;
}

std::string move_device_uuid(const model::Pool& pool, std::size_t index)
{
    return model::dm_uuid(pool.uuid, pool.extent_move->runs[index].volume, model::role::pvmove(index));
}

model::Result<std::string> add_move_devices(GraphBuilder& graph, std::size_t index, bool fresh)
{
    const auto& pool = graph.pool();
    const auto& moved = pool.extent_move->runs[index];
    const auto* volume = model::find_volume(pool, moved.volume);
    if (!volume)
        return model::fail(model::ErrorCode::InvalidArgument,
                           fmt::format("run {} of the extent move names volume {}, which is not in the pool", index,
                                       moved.volume.to_string()));
    const auto uuid = graph.uuid(*volume, model::role::pvmove(index));
    if (!fresh)
        return uuid;

    const auto from_role = model::role::pvmove_from(index);
    const auto to_role = model::role::pvmove_to(index);
    auto from = graph.linear_on_members({moved.from}, graph.name(*volume, from_role));
    if (!from)
        return std::unexpected(from.error());
    auto to = graph.linear_on_members(moved.to, graph.name(*volume, to_role));
    if (!to)
        return std::unexpected(to.error());
    graph.add(graph.device_of(*volume, from_role, Mapping{std::move(*from), {}}));
    graph.add(graph.device_of(*volume, to_role, Mapping{std::move(*to), {}}));

    const auto from_uuid = graph.uuid(*volume, from_role);
    const auto to_uuid = graph.uuid(*volume, to_role);
    kmod::Raid1Table table;
    const auto length = graph.sectors(moved.from.count * pool.extent_size, "an extent run");
    if (!length)
        return std::unexpected(length.error());
    table.length = *length;
    // The destination is copied in full from the run once the move is copying: without metadata
    // devices md keeps no record of what it copied, and a reload (or a restart) starts the copy
    // again. Reads avoid the destination until then (and md avoids it while it recovers).
    if (pool.extent_move->copying)
        table.rebuild = {1};
    table.write_mostly = {1};
    table.max_recovery_rate_kbs = pool.extent_move->max_rate_kibs;
    table.legs = {kmod::Raid1Leg{std::nullopt, graph.stack_on(from_uuid)},
                  kmod::Raid1Leg{std::nullopt, graph.stack_on(to_uuid)}};
    const auto name = graph.name(*volume, model::role::pvmove(index));
    auto line = built(kmod::raid1_table_line(table), name);
    if (!line)
        return std::unexpected(line.error());
    Mapping mapping;
    mapping.table.push_back(std::move(*line));
    mapping.children = {from_uuid, to_uuid};
    graph.add(graph.device_of(*volume, model::role::pvmove(index), std::move(mapping)));
    return uuid;
}

}  // namespace volumes::graph
