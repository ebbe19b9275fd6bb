#include "service/planner/graph_index.hpp"

#include <algorithm>
#include <limits>

#include <fmt/core.h>

namespace volumes::planner {

namespace {

Result<void> check_table(const DesiredDevice& device)
{
    const auto invalid = [&device](std::string message) {
        return fail(ErrorCode::InvalidTable, fmt::format("{}: {}", device.name, message));
    };
    if (device.table.empty())
        return invalid("empty table");
    std::uint64_t next = 0;
    for (std::size_t i = 0; i < device.table.size(); ++i) {
        const auto& line = device.table[i];
        if (line.length == 0)
            return invalid(fmt::format("table line {} has zero length", i));
        if (line.target_type.empty())
            return invalid(fmt::format("table line {} has no target type", i));
        // The kernel refuses a gap between targets ("Gap in table").
        if (line.start != next)
            return invalid(fmt::format("table line {} starts at sector {}, expected {}", i, line.start, next));
        if (line.length > std::numeric_limits<std::uint64_t>::max() - next)
            return invalid("table lines add up to more sectors than a device can address");
        next += line.length;
    }
    return {};
}

}  // namespace

Result<LiveIndex> index_live(const LiveState& live, std::string_view uuid_prefix)
{
    LiveIndex index;
    for (const auto& device : live.devices) {
        if (!device.uuid.starts_with(uuid_prefix))
            continue;
        if (!index.by_uuid.emplace(device.uuid, index.devices.size()).second)
            return fail(ErrorCode::DuplicateUuid, fmt::format("two live devices have uuid {}", device.uuid));
        index.devices.push_back(&device);
    }

    index.children.resize(index.devices.size());
    index.parents.resize(index.devices.size());
    for (std::size_t parent = 0; parent < index.devices.size(); ++parent) {
        for (const auto& uuid : index.devices[parent]->children) {
            const auto child = index.by_uuid.find(uuid);
            if (child == index.by_uuid.end())
                continue;
            auto& children = index.children[parent];
            if (std::find(children.begin(), children.end(), child->second) != children.end())
                continue;
            children.push_back(child->second);
            index.parents[child->second].push_back(parent);
        }
    }
    return index;
}

Result<DesiredIndex> index_desired(const DesiredGraph& desired, const LiveState& live_state, const LiveIndex& live,
                                   std::string_view uuid_prefix)
{
    std::unordered_map<std::string_view, const LiveDevice*> live_by_name;
    for (const auto& device : live_state.devices)
        live_by_name.emplace(device.name, &device);

    DesiredIndex index;
    std::unordered_map<std::string_view, std::size_t> by_name;
    for (std::size_t i = 0; i < desired.devices.size(); ++i) {
        const auto& device = desired.devices[i];
        if (!device.uuid.starts_with(uuid_prefix) || device.uuid.size() == uuid_prefix.size())
            return fail(ErrorCode::ForeignDevice,
                        fmt::format("{}: uuid '{}' is not a device uuid under '{}'", device.name, device.uuid, uuid_prefix));
        if (!index.by_uuid.emplace(device.uuid, i).second)
            return fail(ErrorCode::DuplicateUuid, fmt::format("two desired devices have uuid {}", device.uuid));
        if (!by_name.emplace(device.name, i).second)
            return fail(ErrorCode::DuplicateName, fmt::format("two desired devices are named {}", device.name));

        const auto holder = live_by_name.find(device.name);
        if (holder != live_by_name.end() && holder->second->uuid != device.uuid)
            return fail(ErrorCode::DuplicateName, fmt::format("{} ({}) is a name the live device {} holds", device.name,
                                                              device.uuid, holder->second->uuid));

        if (auto checked = check_table(device); !checked)
            return std::unexpected(checked.error());
    }

    index.children.resize(desired.devices.size());
    for (std::size_t i = 0; i < desired.devices.size(); ++i) {
        const auto& device = desired.devices[i];
        for (const auto& uuid : device.children) {
            const auto child = index.by_uuid.find(uuid);
            if (child != index.by_uuid.end()) {
                index.children[i].push_back(child->second);
                continue;
            }
            if (std::ranges::find(desired.outside, uuid) != desired.outside.end() && !live.by_uuid.contains(uuid))
                continue;
            if (live.by_uuid.contains(uuid))
                return fail(ErrorCode::LeavingChild,
                            fmt::format("{} stacks on {}, which leaves the graph and gets an error table", device.name,
                                        uuid));
            return fail(ErrorCode::UnknownChild,
                        fmt::format("{} stacks on {}, which is neither desired nor live", device.name, uuid));
        }
    }
    index.quiesced.resize(desired.devices.size());
    for (std::size_t i = 0; i < desired.devices.size(); ++i) {
        for (const auto& uuid : desired.devices[i].quiesced) {
            const auto quiesced = index.by_uuid.find(uuid);
            if (quiesced == index.by_uuid.end())
                return fail(ErrorCode::UnknownChild, fmt::format("{} needs {} suspended while it loads, but that "
                                                                 "device is not desired",
                                                                 desired.devices[i].name, uuid));
            index.quiesced[i].push_back(quiesced->second);
        }
    }
    return index;
}

}  // namespace volumes::planner
