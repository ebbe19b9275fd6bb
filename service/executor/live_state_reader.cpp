#include "service/executor/live_state_reader.hpp"

#include <algorithm>
#include <map>

#include <fmt/core.h>

#include "kmod/device_mapper.hpp"
#include "service/executor/kernel_failure.hpp"

namespace volumes::executor {
namespace {

namespace dm = kmod::dm;

Result<std::vector<kmod::DeviceInfo>> pool_devices(std::string_view uuid_prefix)
{
    auto listed = dm::list();
    if (!listed)
        return kernel_failure(listed.error());
    std::vector<kmod::DeviceInfo> devices;
    for (const auto& entry : *listed) {
        auto info = dm::info(kmod::DeviceId::by_number(entry.number));
        if (!info)
            return kernel_failure(info.error());
        // Removed since the list was taken.
        if (!info->exists)
            continue;
        if (info->uuid.starts_with(uuid_prefix))
            devices.push_back(std::move(*info));
    }
    // The kernel lists by hash; sorted, the planner's choices do not depend on it.
    std::ranges::sort(devices, {}, &kmod::DeviceInfo::name);
    return devices;
}

// The devices that exist among those `keys` name, each looked up as `id_of` makes its id.
template <class Keys, class IdOf>
Result<std::vector<kmod::DeviceInfo>> existing(const Keys& keys, IdOf id_of)
{
    std::vector<kmod::DeviceInfo> devices;
    for (const auto& key : keys) {
        auto info = dm::info(id_of(key));
        if (!info)
            return kernel_failure(info.error());
        if (info->exists)
            devices.push_back(std::move(*info));
    }
    return devices;
}

// `found` as the planner takes it, each device's children named by `uuid_of_number`.
Result<planner::LiveState> live_state_of(const std::vector<kmod::DeviceInfo>& found,
                                         const std::map<kmod::DeviceNumber, std::string>& uuid_of_number)
{
    planner::LiveState state;
    for (const auto& info : found) {
        planner::LiveDevice device;
        device.name = info.name;
        device.uuid = info.uuid;
        device.number = info.number;
        device.read_only = info.read_only;
        device.suspended = info.suspended;
        device.open_count = static_cast<std::uint32_t>(std::max(info.open_count, 0));
        device.has_inactive_table = info.inactive_table;
        if (info.live_table) {
            const auto id = kmod::DeviceId::by_uuid(info.uuid);
            auto table = dm::table(id);
            if (!table)
                return kernel_failure(table.error());
            device.table = std::move(*table);
            auto deps = dm::deps(id);
            if (!deps)
                return kernel_failure(deps.error());
            for (const auto& number : *deps)
                if (auto child = uuid_of_number.find(number); child != uuid_of_number.end())
                    device.children.push_back(child->second);
        }
        state.devices.push_back(std::move(device));
    }
    return state;
}

}  // namespace

Result<planner::LiveState> read_live_state(std::string_view uuid_prefix)
{
    auto found = pool_devices(uuid_prefix);
    if (!found)
        return std::unexpected(found.error());
    std::map<kmod::DeviceNumber, std::string> uuid_of_number;
    for (const auto& info : *found)
        uuid_of_number.emplace(info.number, info.uuid);
    return live_state_of(*found, uuid_of_number);
}

Result<ScopedLiveState> read_live_state(std::string_view uuid_prefix, const graph::ChangeScope& scope)
{
    auto found = existing(scope.devices, &kmod::DeviceId::by_uuid);
    if (!found)
        return std::unexpected(found.error());
    auto holders = existing(scope.new_names, &kmod::DeviceId::by_name);
    if (!holders)
        return std::unexpected(holders.error());
    for (auto& holder : *holders) {
        if (scope.devices.contains(holder.uuid))
            continue;
        if (holder.uuid.starts_with(uuid_prefix))
            return fail(ErrorCode::Refused,
                        fmt::format("{} is a device of the pool ({}) that this change does not expect there",
                                    holder.name, holder.uuid));
        // A stranger's device: the planner refuses a desired name it holds.
        holder.live_table = false;
        found->push_back(std::move(holder));
    }

    auto beneath = existing(scope.stacked_on, &kmod::DeviceId::by_uuid);
    if (!beneath)
        return std::unexpected(beneath.error());

    ScopedLiveState scoped;
    std::map<kmod::DeviceNumber, std::string> uuid_of_number;
    for (const auto& info : *found)
        uuid_of_number.emplace(info.number, info.uuid);
    for (const auto& info : *beneath)
        scoped.stacked_on.emplace(info.uuid, info.number);
    auto live = live_state_of(*found, uuid_of_number);
    if (!live)
        return std::unexpected(live.error());
    scoped.live = std::move(*live);
    return scoped;
}

}  // namespace volumes::executor
