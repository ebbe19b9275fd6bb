#include "kmod/tables/raid1_table.hpp"
#include "service/graph/member_availability.hpp"
#include "service/graph/volume_devices.hpp"
#include "service/model/names.hpp"

namespace volumes::graph {

model::Result<Mapping> raid1_mapping(GraphBuilder& graph, const model::Volume& volume,
                                     const model::Raid1Layout& layout)
{
    const auto name = graph.name(volume);
    kmod::Raid1Table table;
    const auto length = graph.size(volume);
    if (!length)
        return std::unexpected(length.error());
    table.length = *length;
    const auto region_size = graph.sectors(layout.region_size, name + " region size");
    if (!region_size)
        return std::unexpected(region_size.error());
    table.region_size = *region_size;

    Mapping mapping;
    bool source = false;  // a leg runs that is not being rebuilt
    for (unsigned slot = 0; slot < layout.legs.size(); ++slot) {
        const auto& leg = layout.legs[slot];
        if (!leg_runs(graph.pool(), graph.members(), layout, slot)) {
            table.legs.push_back(kmod::Raid1Leg{});
            continue;
        }
        const auto meta = graph.add_linear(volume, model::role::rmeta(slot), leg.meta);
        if (!meta)
            return std::unexpected(meta.error());
        const auto data = graph.add_linear(volume, model::role::rimage(slot), leg.data);
        if (!data)
            return std::unexpected(data.error());
        table.legs.push_back(kmod::Raid1Leg{graph.stack_on(*meta), graph.stack_on(*data)});
        // A replacement leg with a zeroed rmeta must be recovered in full; only while it is
        // being rebuilt (a reload keeping "rebuild" copies the whole leg again).
        if (leg.rebuilding)
            table.rebuild.push_back(slot);
        else
            source = true;
        mapping.children.push_back(*meta);
        mapping.children.push_back(*data);
    }

    // With no other leg to copy from (it failed while the new one was rebuilt), dm-raid would
    // refuse the table: the leg runs with what it holds.
    if (!source)
        table.rebuild.clear();

    auto line = built(kmod::raid1_table_line(table), name);
    if (!line)
        return std::unexpected(line.error());
    mapping.table.push_back(std::move(*line));
    return mapping;
}

}  // namespace volumes::graph
