#include "service/executor/live_state_reader.hpp"

#include <algorithm>
#include <map>

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

}  // namespace

Result<planner::LiveState> read_live_state(std::string_view uuid_prefix)
{
    auto found = pool_devices(uuid_prefix);
    if (!found)
        return std::unexpected(found.error());

    std::map<kmod::DeviceNumber, std::string> uuid_of_number;
    for (const auto& info : *found)
        uuid_of_number.emplace(info.number, info.uuid);

    planner::LiveState state;
    for (const auto& info : *found) {
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

}  // namespace volumes::executor
