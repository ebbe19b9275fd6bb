#include "tests/executor/layered_graph.hpp"

#include <algorithm>
#include <stdexcept>

#include "kmod/tables/linear_table.hpp"
#include "kmod/tables/thin_table.hpp"

namespace volumes::executor::test {

std::string uuid_of(const std::string& role)
{
    return pool_prefix + role;
}

std::string name_of(const std::string& role)
{
    return "volumes-exec-test-" + role;
}

namespace {

struct Resolved {
    std::vector<kmod::LinearSegment> segments;
    std::vector<std::string> children;
};

Resolved resolve(const Layer& layer, const graph::DeviceNumbers& numbers, std::vector<std::string>& unresolved)
{
    Resolved resolved;
    for (const auto& extent : layer.extents) {
        kmod::DeviceNumber number;
        if (const auto* disk = std::get_if<kmod::DeviceNumber>(&extent.device)) {
            number = *disk;
        } else {
            const auto uuid = uuid_of(std::get<std::string>(extent.device));
            resolved.children.push_back(uuid);
            if (auto found = numbers.find(uuid); found != numbers.end())
                number = found->second;
            else if (std::ranges::find(unresolved, uuid) == unresolved.end())
                unresolved.push_back(uuid);
        }
        resolved.segments.push_back({number, extent.offset, extent.length});
    }
    return resolved;
}

kmod::Table table_of(const Layer& layer, const Resolved& resolved)
{
    if (layer.target == Target::Thin) {
        const auto& extent = resolved.segments.at(0);
        auto line = kmod::thin_table_line({.length = extent.length, .pool = extent.device, .device_id = 1, .external_origin = std::nullopt});
        if (!line)
            throw std::runtime_error(line.error().message);
        return {*line};
    }
    auto table = kmod::linear_table(resolved.segments);
    if (!table)
        throw std::runtime_error(table.error().message);
    return *table;
}

}  // namespace

graph::DerivedGraph derive(const Layers& layers, const graph::DeviceNumbers& numbers)
{
    graph::DerivedGraph derived;
    for (const auto& layer : layers) {
        const auto resolved = resolve(layer, numbers, derived.unresolved);
        planner::DesiredDevice device;
        device.name = name_of(layer.role);
        device.uuid = uuid_of(layer.role);
        device.table = table_of(layer, resolved);
        device.children = resolved.children;
        derived.graph.devices.push_back(std::move(device));
    }
    return derived;
}

GraphSource source_of(Layers layers)
{
    return [layers = std::move(layers)](const graph::DeviceNumbers& numbers) -> model::Result<graph::DerivedGraph> {
        return derive(layers, numbers);
    };
}

}  // namespace volumes::executor::test
