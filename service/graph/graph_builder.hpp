#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "kmod/device_number.hpp"
#include "kmod/error.hpp"
#include "kmod/table_line.hpp"
#include "kmod/tables/linear_table.hpp"
#include "service/graph/derive_graph.hpp"
#include "service/model/model_error.hpp"
#include "service/model/pool_model.hpp"

namespace volumes::graph {

// A volume's own mapping before it is given a device: an origin's goes to its real device.
struct Mapping {
    kmod::Table table;
    std::vector<std::string> children;
};

// The graph being derived, with what every volume kind needs to add its devices to it.
class GraphBuilder {
public:
    GraphBuilder(const model::Pool& pool, const MemberPlacements& members, const DeviceNumbers& devices);

    const model::Pool& pool() const { return pool_; }
    const MemberPlacements& members() const { return members_; }

    std::string name(const model::Volume& volume, std::string_view role = {}) const;
    std::string uuid(const model::Volume& volume, std::string_view role = {}) const;

    // Bytes as 512-byte sectors; InvalidArgument naming `what` if they are not whole sectors.
    model::Result<std::uint64_t> sectors(std::uint64_t bytes, std::string_view what) const;

    // One linear segment per extent run, laid end to end, for the device named `device_name`.
    // A run the pool's extent move copies maps its temporary raid1 instead (added to the graph
    // and to `children`; InvalidArgument without `children`).
    model::Result<kmod::Table> linear_over(const model::ExtentMap& extents, std::string_view device_name,
                                           std::vector<std::string>* children = nullptr);
    // The same straight onto the members, moves or not.
    model::Result<kmod::Table> linear_on_members(const model::ExtentMap& extents, std::string_view device_name) const;
    // Where `run` is on its member.
    model::Result<kmod::LinearSegment> segment_on_member(const model::ExtentRun& run,
                                                         std::string_view device_name) const;

    // What the volume's visible device holds, in sectors (model::volume_size).
    model::Result<std::uint64_t> size(const model::Volume& volume) const;

    // A hidden linear sub-device of `volume` over `extents`, default suspend; its dm uuid.
    model::Result<std::string> add_linear(const model::Volume& volume, std::string_view role,
                                          const model::ExtentMap& extents);

    // The number of the graph device `uuid`, for a table stacking on it.
    kmod::DeviceNumber stack_on(const std::string& uuid);

    // The device of `volume`, or of its sub-volume `role`: its name, uuid and udev identity,
    // default suspend.
    planner::DesiredDevice device_of(const model::Volume& volume, std::string_view role, Mapping mapping) const;

    void add(planner::DesiredDevice device);

    DerivedGraph finish() &&;

private:
    const model::Pool& pool_;
    const MemberPlacements& members_;
    const DeviceNumbers& devices_;
    DerivedGraph derived_;
    std::vector<std::size_t> moves_added_;  // the extent move's runs whose devices are in the graph
};

// A device with the default suspend mode.
planner::DesiredDevice device(std::string name, std::string uuid, Mapping mapping);

// A kmod builder's refusal as the model's InvalidArgument, naming the device it was for.
template <class T>
model::Result<T> built(kmod::Result<T> result, std::string_view device_name)
{
    if (!result)
        return model::fail(model::ErrorCode::InvalidArgument, fmt::format("{}: {}", device_name, result.error().message));
    return std::move(*result);
}

}  // namespace volumes::graph
