#include <fmt/core.h>

#include "kmod/tables/thin_pool_table.hpp"
#include "kmod/tables/thin_table.hpp"
#include "service/graph/volume_devices.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::graph {

model::Result<void> add_thin_pool(GraphBuilder& graph, const model::Volume& pool_volume,
                                  const model::ThinPoolLayout& layout)
{
    const auto tmeta = graph.add_linear(pool_volume, model::role::tmeta, layout.meta);
    if (!tmeta)
        return std::unexpected(tmeta.error());
    const auto tdata = graph.add_linear(pool_volume, model::role::tdata, layout.data);
    if (!tdata)
        return std::unexpected(tdata.error());

    auto name = graph.name(pool_volume);
    kmod::ThinPoolTable table;
    const auto length = graph.size(pool_volume);
    if (!length)
        return std::unexpected(length.error());
    table.length = *length;
    const auto block_size = graph.sectors(layout.block_size, name + " block size");
    if (!block_size)
        return std::unexpected(block_size.error());
    table.block_size = static_cast<std::uint32_t>(*block_size);
    table.metadata = graph.stack_on(*tmeta);
    table.data = graph.stack_on(*tdata);
    table.low_water_mark = layout.low_water_blocks;
    table.error_if_no_space = layout.error_if_no_space;
    auto line = built(kmod::thin_pool_table_line(table), name);
    if (!line)
        return std::unexpected(line.error());

    auto result = graph.device_of(pool_volume, {}, Mapping{{std::move(*line)}, {*tmeta, *tdata}});
    // I/O queued while the pool is out of data space waits for the next table.
    result.suspend.no_flush = true;
    graph.add(std::move(result));
    return {};
}

model::Result<void> add_thin(GraphBuilder& graph, const model::Volume& thin, const model::ThinLayout& layout)
{
    const auto* pool_volume = model::find_volume(graph.pool(), layout.pool);
    if (!pool_volume || !std::holds_alternative<model::ThinPoolLayout>(pool_volume->layout))
        return model::fail(model::ErrorCode::InvalidArgument,
                           fmt::format("thin volume '{}': its pool {} is not a thin pool of the pool", thin.name,
                                       layout.pool.to_string()));
    if (!pool_volume->active)
        return model::fail(model::ErrorCode::InvalidArgument,
                           fmt::format("thin volume '{}' is active but its thin pool '{}' is not", thin.name,
                                       pool_volume->name));

    auto name = graph.name(thin);
    kmod::ThinTable table;
    const auto length = graph.size(thin);
    if (!length)
        return std::unexpected(length.error());
    table.length = *length;
    const auto pool_uuid = graph.uuid(*pool_volume);
    table.pool = graph.stack_on(pool_uuid);
    table.device_id = layout.thin_id;
    auto line = built(kmod::thin_table_line(table), name);
    if (!line)
        return std::unexpected(line.error());

    auto result = graph.device_of(thin, {}, Mapping{{std::move(*line)}, {pool_uuid}});
    result.suspend.no_flush = true;
    graph.add(std::move(result));
    return {};
}

}  // namespace volumes::graph
