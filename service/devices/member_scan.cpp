#include "service/devices/member_scan.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <string>

#include <fmt/core.h>

#include "service/devices/block_device.hpp"
#include "service/devices/device_stack.hpp"
#include "service/devices/udev_handles.hpp"

namespace volumes::devices {
namespace {

bool has_sectors(udev_device* device)
{
    const char* size = udev_device_get_sysattr_value(device, "size");
    return size != nullptr && std::string_view(size) != "0";
}

// The dm uuid from sysfs, or from udev's database when sysfs has none.
bool is_skipped_dm_device(udev_device* device, std::string_view prefix)
{
    for (const char* uuid : {udev_device_get_sysattr_value(device, "dm/uuid"),
                             udev_device_get_property_value(device, "DM_UUID")}) {
        if (uuid != nullptr && std::string_view(uuid).starts_with(prefix))
            return true;
    }
    return false;
}

Error udev_failure(const char* what, int rc)
{
    const int err = rc < 0 ? -rc : errno;
    return Error{ErrorCode::Io, fmt::format("libudev: {}: {}", what, std::strerror(err)), err};
}

// Of two devices with the same member label, one stacked on the other, the lower one goes.
void keep_top_most(ScanResult& result)
{
    auto& members = result.members;
    std::vector<bool> lower(members.size(), false);
    for (std::size_t i = 0; i < members.size(); ++i)
        for (std::size_t j = 0; j < members.size(); ++j) {
            if (i == j || members[i].label.pool_uuid != members[j].label.pool_uuid ||
                members[i].label.member_uuid != members[j].label.member_uuid || !stacked_on(members[j].number, members[i].number))
                continue;
            lower[i] = true;
            result.duplicates.push_back(fmt::format(
                "member {} of pool {} is on {} and on {} stacked on it; {} is used",
                members[i].label.member_uuid.to_string(), members[i].label.pool_uuid.to_string(), members[i].path,
                members[j].path, members[j].path));
        }
    std::vector<FoundMember> kept;
    for (std::size_t i = 0; i < members.size(); ++i)
        if (!lower[i])
            kept.push_back(std::move(members[i]));
    members = std::move(kept);
}

}  // namespace

Result<ScanResult> scan_members(std::string_view skip_dm_uuid_prefix)
{
    errno = 0;
    Udev context(udev_new());
    if (!context)
        return std::unexpected(udev_failure("udev_new", 0));
    UdevEnumerate enumerate(udev_enumerate_new(context.get()));
    if (!enumerate)
        return std::unexpected(udev_failure("udev_enumerate_new", 0));
    if (const int rc = udev_enumerate_add_match_subsystem(enumerate.get(), "block"); rc < 0)
        return std::unexpected(udev_failure("matching the block subsystem", rc));
    if (const int rc = udev_enumerate_scan_devices(enumerate.get()); rc < 0)
        return std::unexpected(udev_failure("listing block devices", rc));

    ScanResult result;
    udev_list_entry* entry = nullptr;
    udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(enumerate.get()))
    {
        UdevDevice device(udev_device_new_from_syspath(context.get(), udev_list_entry_get_name(entry)));
        if (!device)
            continue;  // gone since the listing
        const char* devnode = udev_device_get_devnode(device.get());
        if (devnode == nullptr || !has_sectors(device.get()) || is_skipped_dm_device(device.get(), skip_dm_uuid_prefix))
            continue;
        try {
            auto opened = BlockDevice::open(devnode, false);
            if (!opened)
                continue;
            auto label = metadata::read_label(opened->fd());
            if (label)
                result.members.push_back(FoundMember{devnode, opened->number(), *label});
            else if (label.error().code != metadata::ErrorCode::NotFound)
                result.skipped.push_back(fmt::format("{}: {}", devnode, label.error().message));
        } catch (const std::exception& error) {
            result.skipped.push_back(fmt::format("{}: reading its label failed: {}", devnode, error.what()));
        }
    }
    keep_top_most(result);
    return result;
}

std::vector<FoundPool> group_by_pool(std::vector<FoundMember> members)
{
    std::vector<FoundPool> pools;
    for (auto& member : members) {
        auto pool = std::find_if(pools.begin(), pools.end(),
                                 [&](const FoundPool& found) { return found.pool_uuid == member.label.pool_uuid; });
        if (pool == pools.end())
            pool = pools.insert(pools.end(), FoundPool{member.label.pool_uuid, {}});
        pool->members.push_back(std::move(member));
    }
    return pools;
}

}  // namespace volumes::devices
