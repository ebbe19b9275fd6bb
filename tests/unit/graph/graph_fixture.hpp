#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "kmod/device_number.hpp"
#include "service/graph/derive_graph.hpp"
#include "service/model/pool_model.hpp"
#include "service/planner/desired_graph.hpp"
#include "service/planner/live_state.hpp"

// Pool "p1" with 4 MiB extents on two members: m1 on sdb (8:16) and m2 on sdc (8:32), each
// with its data area at 1 MiB, so extent k of either starts at sector 2048 + 8192 k. Volume n
// has uuid 00000000-0000-4000-8000-<n in 12 hex digits>.
namespace volumes::graph::testing {

inline constexpr std::string_view pool_uuid_text = "11111111-2222-4333-8444-555555555555";
inline constexpr std::uint64_t extent_size = 4 << 20;
inline constexpr kmod::DeviceNumber sdb{8, 16};
inline constexpr kmod::DeviceNumber sdc{8, 32};

inline model::Uuid parse_uuid(std::string_view text)
{
    return model::Uuid::parse(text).value();
}

inline model::Uuid m1()
{
    return parse_uuid("aaaaaaaa-0000-4000-8000-000000000001");
}

inline model::Uuid m2()
{
    return parse_uuid("aaaaaaaa-0000-4000-8000-000000000002");
}

inline model::Uuid volume_uuid(unsigned n)
{
    return parse_uuid(fmt::format("00000000-0000-4000-8000-{:012x}", n));
}

// The dm uuid of volume n's device, spelt out rather than built with model::dm_uuid.
inline std::string dev_uuid(unsigned n, std::string_view role = {})
{
    auto uuid = fmt::format("VOLUMES-{}-00000000-0000-4000-8000-{:012x}", pool_uuid_text, n);
    if (!role.empty())
        uuid += fmt::format("-{}", role);
    return uuid;
}

inline std::string prefix()
{
    return fmt::format("VOLUMES-{}-", pool_uuid_text);
}

inline MemberPlacements placements()
{
    return {{m1(), MemberPlacement{sdb, 1 << 20}}, {m2(), MemberPlacement{sdc, 1 << 20}}};
}

inline model::Pool empty_pool()
{
    model::Pool pool;
    pool.uuid = parse_uuid(pool_uuid_text);
    pool.name = "p1";
    pool.extent_size = extent_size;
    pool.members = {model::Member{m1(), 1024}, model::Member{m2(), 1024}};
    return pool;
}

inline model::Volume volume(unsigned n, std::string name, model::VolumeLayout layout, bool active = true)
{
    return model::Volume{volume_uuid(n), std::move(name), active, std::move(layout)};
}

inline model::ExtentRun run(const model::Uuid& member, std::uint64_t start, std::uint64_t count)
{
    return model::ExtentRun{member, start, count};
}

// 1 GiB (256 extents) per leg: leg 0 on m1, leg 1 on m2, rmeta at extent 0 and rimage from
// extent 1, so rmeta_n is "8192 sectors at 2048" and rimage_n "2097152 at 10240" of its disk.
inline model::Raid1Layout two_leg_raid1()
{
    model::Raid1Layout raid;
    raid.region_size = 512 << 10;
    raid.legs = {
        model::Raid1Leg{{run(m1(), 0, 1)}, {run(m1(), 1, 256)}, std::nullopt},
        model::Raid1Leg{{run(m2(), 0, 1)}, {run(m2(), 1, 256)}, std::nullopt},
    };
    return raid;
}

// 64 MiB (16 extents) on m1 from extent 0.
inline model::LinearLayout origin_linear()
{
    return model::LinearLayout{{run(m1(), 0, 16)}};
}

// A 4 MiB cow on m2 at extent `start`, 4 KiB chunks.
inline model::SnapshotLayout snapshot_of(unsigned origin, std::uint64_t start,
                                         model::SnapshotMergeState merge = model::SnapshotMergeState::None)
{
    return model::SnapshotLayout{volume_uuid(origin), {run(m2(), start, 1)}, 4096, merge};
}

// Numbers 253:0, 253:1, ... for the given dm uuids, in order.
inline DeviceNumbers numbered(const std::vector<std::string>& uuids)
{
    DeviceNumbers numbers;
    for (std::uint32_t minor = 0; minor < uuids.size(); ++minor)
        numbers.emplace(uuids[minor], kmod::DeviceNumber{253, minor});
    return numbers;
}

// One line per device: "<name>[ read-only][ no-flush][ lockfs][ <- <child names>]: <table>",
// children by the name of the graph device with that uuid ("?<uuid>" if none), table lines
// joined by " | ". lockfs shows that skip_lockfs is off.
inline std::string render(const planner::DesiredGraph& graph)
{
    const auto name_of = [&](const std::string& uuid) -> std::string {
        for (const auto& device : graph.devices)
            if (device.uuid == uuid)
                return device.name;
        return "?" + uuid;
    };
    std::string text;
    for (const auto& device : graph.devices) {
        text += device.name;
        if (device.read_only)
            text += " read-only";
        if (device.suspend.no_flush)
            text += " no-flush";
        if (!device.suspend.skip_lockfs)
            text += " lockfs";
        for (std::size_t i = 0; i < device.children.size(); ++i)
            text += (i == 0 ? " <- " : ", ") + name_of(device.children[i]);
        text += ":";
        for (std::size_t i = 0; i < device.table.size(); ++i)
            text += (i == 0 ? " " : " | ") + device.table[i].to_string();
        text += "\n";
    }
    return text;
}

// What the kernel shows once `graph` is loaded and resumed: each device opened by its parents,
// numbered as `numbers` says (0:0 for a device not in it).
inline planner::LiveState live_state_of(const planner::DesiredGraph& graph, const DeviceNumbers& numbers = {})
{
    planner::LiveState live;
    for (const auto& device : graph.devices) {
        planner::LiveDevice shown;
        shown.name = device.name;
        shown.uuid = device.uuid;
        shown.table = device.table;
        shown.read_only = device.read_only;
        shown.children = device.children;
        if (const auto number = numbers.find(device.uuid); number != numbers.end())
            shown.number = number->second;
        for (const auto& parent : graph.devices)
            shown.open_count += static_cast<std::uint32_t>(
                std::count(parent.children.begin(), parent.children.end(), device.uuid));
        live.devices.push_back(std::move(shown));
    }
    return live;
}

inline std::vector<std::string> uuids_of(const planner::DesiredGraph& graph)
{
    std::vector<std::string> uuids;
    for (const auto& device : graph.devices)
        uuids.push_back(device.uuid);
    return uuids;
}

// The derived graph rendered, or the error, so a mismatch shows in full.
inline std::string render(const model::Result<DerivedGraph>& derived)
{
    if (!derived)
        return fmt::format("error {}: {}", model::to_string(derived.error().code), derived.error().message);
    return render(derived->graph);
}

}  // namespace volumes::graph::testing
