#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "kmod/device_number.hpp"
#include "kmod/table_line.hpp"
#include "kmod/tables/linear_table.hpp"
#include "service/planner/desired_graph.hpp"
#include "service/planner/error.hpp"
#include "service/planner/live_state.hpp"
#include "service/planner/plan.hpp"

// A pool "P1" on two member disks, sdb (8:16) and sdc (8:32). Volumes are named by their
// short name: "lv0" is dm device "volumes-p1-lv0" with uuid "VOLUMES-P1-lv0".
namespace volumes::planner::testing {

inline constexpr std::string_view prefix = "VOLUMES-P1";
inline constexpr kmod::DeviceNumber sdb{8, 16};
inline constexpr kmod::DeviceNumber sdc{8, 32};

inline kmod::DeviceNumber dm(std::uint32_t minor)
{
    return kmod::DeviceNumber{253, minor};
}

inline std::string uuid(std::string_view volume)
{
    return fmt::format("{}-{}", prefix, volume);
}

inline std::string name(std::string_view volume)
{
    return fmt::format("volumes-p1-{}", volume);
}

inline kmod::Table linear(kmod::DeviceNumber device, std::uint64_t offset, std::uint64_t length)
{
    const kmod::LinearSegment segment{device, offset, length};
    return kmod::linear_table({&segment, 1}).value();
}

inline kmod::Table table(const kmod::Result<kmod::TableLine>& line)
{
    return kmod::Table{line.value()};
}

inline std::vector<std::string> uuids(const std::vector<std::string_view>& volumes)
{
    std::vector<std::string> result;
    for (const auto volume : volumes)
        result.push_back(uuid(volume));
    return result;
}

inline DesiredDevice desired(std::string_view volume, kmod::Table table, std::vector<std::string_view> children = {})
{
    DesiredDevice device;
    device.name = name(volume);
    device.uuid = uuid(volume);
    device.table = std::move(table);
    device.children = uuids(children);
    return device;
}

inline LiveDevice live(std::string_view volume, kmod::Table table, std::vector<std::string_view> children = {})
{
    LiveDevice device;
    device.name = name(volume);
    device.uuid = uuid(volume);
    device.table = std::move(table);
    device.children = uuids(children);
    return device;
}

// What the kernel shows for a live device once the desired one is loaded and resumed.
inline LiveDevice live(const DesiredDevice& device)
{
    LiveDevice result;
    result.name = device.name;
    result.uuid = device.uuid;
    result.table = device.table;
    result.read_only = device.read_only;
    result.children = device.children;
    return result;
}

// The live device of a desired graph opened once by each of its desired parents.
inline LiveState live_state(const std::vector<DesiredDevice>& devices)
{
    LiveState state;
    for (const auto& device : devices)
        state.devices.push_back(live(device));
    for (auto& child : state.devices)
        for (const auto& parent : devices)
            for (const auto& uuid : parent.children)
                if (uuid == child.uuid)
                    ++child.open_count;
    return state;
}

// The plan as text, or the error as "error <code>: <message>", so a mismatch shows in full.
inline std::string render(const Result<Plan>& plan)
{
    if (!plan)
        return fmt::format("error {}: {}", to_string(plan.error().code), plan.error().message);
    return to_string(*plan);
}

}  // namespace volumes::planner::testing
