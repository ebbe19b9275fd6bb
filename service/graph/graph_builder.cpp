#include "service/graph/graph_builder.hpp"

#include <algorithm>
#include <vector>

#include <fmt/core.h>

#include "kmod/tables/linear_table.hpp"
#include "service/graph/extent_move_devices.hpp"
#include "service/graph/udev_identity.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::graph {

namespace {

constexpr std::uint64_t sector_size = 512;

}  // namespace

GraphBuilder::GraphBuilder(const model::Pool& pool, const MemberPlacements& members, const DeviceNumbers& devices)
    : pool_(pool), members_(members), devices_(devices)
{
}

std::string GraphBuilder::name(const model::Volume& volume, std::string_view role) const
{
    return model::dm_name(pool_.name, volume.name, role);
}

std::string GraphBuilder::uuid(const model::Volume& volume, std::string_view role) const
{
    return model::dm_uuid(pool_.uuid, volume.uuid, role);
}

model::Result<std::uint64_t> GraphBuilder::sectors(std::uint64_t bytes, std::string_view what) const
{
    if (bytes % sector_size != 0)
        return model::fail(model::ErrorCode::InvalidArgument,
                           fmt::format("{} of {} bytes is not a whole number of 512-byte sectors", what, bytes));
    return bytes / sector_size;
}

model::Result<kmod::Table> GraphBuilder::linear_over(const model::ExtentMap& extents, std::string_view device_name,
                                                     std::vector<std::string>* children)
{
    const auto moved = moved_runs(pool_, extents);
    if (std::none_of(moved.begin(), moved.end(), [](const auto& index) { return index.has_value(); }))
        return linear_on_members(extents, device_name);
    if (!children)
        return model::fail(model::ErrorCode::InvalidArgument,
                           fmt::format("{}: maps extents being moved but cannot stack on their copies", device_name));
    std::vector<kmod::LinearSegment> segments;
    for (std::size_t i = 0; i < extents.size(); ++i) {
        if (!moved[i]) {
            auto segment = segment_on_member(extents[i], device_name);
            if (!segment)
                return std::unexpected(segment.error());
            segments.push_back(*segment);
            continue;
        }
        const auto index = *moved[i];
        const bool fresh = std::find(moves_added_.begin(), moves_added_.end(), index) == moves_added_.end();
        auto uuid = add_move_devices(*this, index, fresh);
        if (!uuid)
            return std::unexpected(uuid.error());
        if (fresh)
            moves_added_.push_back(index);
        children->push_back(*uuid);
        const auto length = sectors(extents[i].count * pool_.extent_size, "an extent run");
        if (!length)
            return std::unexpected(length.error());
        segments.push_back(kmod::LinearSegment{stack_on(*uuid), 0, *length});
    }
    return built(kmod::linear_table(segments), device_name);
}

model::Result<kmod::LinearSegment> GraphBuilder::segment_on_member(const model::ExtentRun& run,
                                                                   std::string_view device_name) const
{
    const auto extent_sectors = sectors(pool_.extent_size, "the extent size");
    if (!extent_sectors)
        return std::unexpected(extent_sectors.error());
    const auto member = members_.find(run.member);
    if (member == members_.end())
        return model::fail(model::ErrorCode::InvalidArgument,
                           fmt::format("{}: member {} has no placement", device_name, run.member.to_string()));
    const auto data_start = sectors(member->second.data_start, "the data area start of a member");
    if (!data_start)
        return std::unexpected(data_start.error());
    return kmod::LinearSegment{
        member->second.device,
        *data_start + run.start * *extent_sectors,
        run.count * *extent_sectors,
    };
}

model::Result<kmod::Table> GraphBuilder::linear_on_members(const model::ExtentMap& extents,
                                                           std::string_view device_name) const
{
    std::vector<kmod::LinearSegment> segments;
    for (const auto& run : extents) {
        auto segment = segment_on_member(run, device_name);
        if (!segment)
            return std::unexpected(segment.error());
        segments.push_back(*segment);
    }
    return built(kmod::linear_table(segments), device_name);
}

model::Result<std::uint64_t> GraphBuilder::size(const model::Volume& volume) const
{
    const auto bytes = model::volume_size(pool_, volume);
    if (!bytes)
        return model::fail(model::ErrorCode::InvalidArgument,
                           fmt::format("volume '{}' has no size: it refers to a volume that is not in the pool, "
                                       "or is a raid1 array without legs",
                                       volume.name));
    return sectors(*bytes, fmt::format("the size of volume '{}'", volume.name));
}

model::Result<std::string> GraphBuilder::add_linear(const model::Volume& volume, std::string_view role,
                                                    const model::ExtentMap& extents)
{
    std::vector<std::string> children;
    auto table = linear_over(extents, name(volume, role), &children);
    if (!table)
        return std::unexpected(table.error());
    add(device_of(volume, role, Mapping{std::move(*table), std::move(children)}));
    return uuid(volume, role);
}

kmod::DeviceNumber GraphBuilder::stack_on(const std::string& uuid)
{
    if (const auto found = devices_.find(uuid); found != devices_.end())
        return found->second;
    auto& unresolved = derived_.unresolved;
    auto listed = std::find(unresolved.begin(), unresolved.end(), uuid);
    if (listed == unresolved.end())
        listed = unresolved.insert(unresolved.end(), uuid);
    // Distinct stand-ins, as snapshot and thin-pool tables refuse one device in two places.
    return kmod::DeviceNumber{0, static_cast<std::uint32_t>(listed - unresolved.begin())};
}

planner::DesiredDevice GraphBuilder::device_of(const model::Volume& volume, std::string_view role,
                                               Mapping mapping) const
{
    auto result = device(name(volume, role), uuid(volume, role), std::move(mapping));
    result.udev_identity = udev_identity(volume, role);
    return result;
}

void GraphBuilder::add(planner::DesiredDevice device)
{
    derived_.graph.devices.push_back(std::move(device));
}

DerivedGraph GraphBuilder::finish() &&
{
    return std::move(derived_);
}

planner::DesiredDevice device(std::string name, std::string uuid, Mapping mapping)
{
    planner::DesiredDevice result;
    result.name = std::move(name);
    result.uuid = std::move(uuid);
    result.table = std::move(mapping.table);
    result.children = std::move(mapping.children);
    return result;
}

}  // namespace volumes::graph
