#include <fmt/core.h>

#include "service/graph/volume_devices.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::graph {

model::Result<Mapping> linear_mapping(GraphBuilder& graph, const model::Volume& volume,
                                      const model::LinearLayout& layout)
{
    std::vector<std::string> children;
    auto table = graph.linear_over(layout.data, graph.name(volume), &children);
    if (!table)
        return std::unexpected(table.error());
    return Mapping{std::move(*table), std::move(children)};
}

model::Result<void> add_tracked_image(GraphBuilder& graph, const model::Volume& image,
                                      const model::TrackedImageLayout& layout)
{
    const auto* array = model::find_volume(graph.pool(), layout.array);
    const auto* raid = array ? std::get_if<model::Raid1Layout>(&array->layout) : nullptr;
    if (!raid || layout.slot >= raid->legs.size())
        return model::fail(model::ErrorCode::InvalidArgument,
                           fmt::format("tracked image '{}' names slot {} of {}, which is not a raid1 leg of the pool",
                                       image.name, layout.slot, layout.array.to_string()));
    const auto& leg = raid->legs[layout.slot];
    // Otherwise the array would still map the leg the image maps read-only.
    if (leg.tracked_image != image.uuid)
        return model::fail(model::ErrorCode::InvalidArgument,
                           fmt::format("tracked image '{}': slot {} of '{}' does not track it", image.name,
                                       layout.slot, array->name));

    auto name = graph.name(image);
    auto table = graph.linear_over(leg.data, name);
    if (!table)
        return std::unexpected(table.error());
    auto result = graph.device_of(image, {}, Mapping{std::move(*table), {}});
    result.read_only = true;
    graph.add(std::move(result));
    return {};
}

}  // namespace volumes::graph
