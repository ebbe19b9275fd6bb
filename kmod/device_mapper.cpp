#include "kmod/device_mapper.hpp"

#include <cerrno>

#include <fmt/core.h>
#include <libdevmapper.h>

#include "kmod/dm_task.hpp"

namespace volumes::kmod::dm {

Result<DeviceInfo> create(const NewDevice& device, const Table& table, UdevCookie& cookie)
{
    DmTask task(DM_DEVICE_CREATE, "create", DeviceId::by_name(device.name));
    task.set(dm_task_set_uuid(task.get(), device.uuid.c_str()), "set the uuid");
    task.add_table(table);
    if (device.read_only)
        task.set(dm_task_set_ro(task.get()), "set read-only");
    // A device without a table gets no disk, so no uevent: a cookie would wait forever.
    if (!table.empty())
        task.set_cookie(cookie, device.identity);
    if (auto ran = task.run(); !ran) {
        // libdevmapper creates, loads and resumes with tasks of its own, so the kernel's EBUSY
        // for a taken name or uuid does not reach this task: ask the kernel instead.
        for (const auto& taken : {DeviceId::by_name(device.name), DeviceId::by_uuid(device.uuid)})
            if (auto existing = info(taken); existing && existing->exists)
                return fail(ErrorCode::AlreadyExists,
                            fmt::format("cannot create dm device '{}': {} already exists", device.name,
                                        taken.describe()),
                            EEXIST);
        return std::unexpected(ran.error());
    }
    return task.info();
}

Result<void> reload(const DeviceId& device, const Table& table, bool read_only)
{
    DmTask task(DM_DEVICE_RELOAD, "reload", device);
    task.add_table(table);
    if (read_only)
        task.set(dm_task_set_ro(task.get()), "set read-only");
    task.set(dm_task_suppress_identical_reload(task.get()), "suppress an identical reload");
    return task.run();
}

Result<void> clear_inactive(const DeviceId& device)
{
    return DmTask(DM_DEVICE_CLEAR, "clear the inactive table of", device).run();
}

Result<void> suspend(const DeviceId& device, SuspendOptions options)
{
    DmTask task(DM_DEVICE_SUSPEND, "suspend", device);
    if (options.no_flush)
        task.set(dm_task_no_flush(task.get()), "set no-flush");
    if (options.skip_lockfs)
        task.set(dm_task_skip_lockfs(task.get()), "set skip-lockfs");
    return task.run();
}

Result<void> resume(const DeviceId& device, UdevCookie& cookie, UdevIdentity identity)
{
    DmTask task(DM_DEVICE_RESUME, "resume", device);
    task.set_cookie(cookie, identity);
    return task.run();
}

Result<void> resume_keeping_udev_identity(const DeviceId& device)
{
    return DmTask(DM_DEVICE_RESUME, "resume", device).run();
}

Result<void> rename(const DeviceId& device, const std::string& new_name, UdevCookie& cookie, UdevIdentity identity)
{
    DmTask task(DM_DEVICE_RENAME, "rename", device);
    task.set(dm_task_set_newname(task.get(), new_name.c_str()), "set the new name", ErrorCode::InvalidArgument);
    task.set_cookie(cookie, identity);
    return task.run();
}

Result<void> remove(const DeviceId& device, UdevCookie& cookie)
{
    DmTask task(DM_DEVICE_REMOVE, "remove", device);
    task.set(dm_task_retry_remove(task.get()), "enable retries");
    // udev's rules skip REMOVE events; the links it made go with the device.
    task.set_cookie(cookie, UdevIdentity::Visible);
    return task.run();
}

Result<DeviceInfo> info(const DeviceId& device)
{
    DmTask task(DM_DEVICE_INFO, "info of", device);
    if (auto ran = task.run(); !ran) {
        if (ran.error().code == ErrorCode::NotFound)
            return DeviceInfo{};
        return std::unexpected(ran.error());
    }
    return task.info();
}

Result<Table> status(const DeviceId& device, bool no_flush)
{
    DmTask task(DM_DEVICE_STATUS, "status of", device);
    if (no_flush)
        task.set(dm_task_no_flush(task.get()), "set no-flush");
    if (auto ran = task.run(); !ran)
        return std::unexpected(ran.error());
    return task.targets();
}

Result<Table> table(const DeviceId& device)
{
    DmTask task(DM_DEVICE_TABLE, "table of", device);
    if (auto ran = task.run(); !ran)
        return std::unexpected(ran.error());
    return task.targets();
}

Result<std::vector<DeviceNumber>> deps(const DeviceId& device)
{
    DmTask task(DM_DEVICE_DEPS, "dependencies of", device);
    if (auto ran = task.run(); !ran)
        return std::unexpected(ran.error());
    std::vector<DeviceNumber> numbers;
    const dm_deps* found = dm_task_get_deps(task.get());
    if (!found)
        return numbers;
    for (std::uint32_t i = 0; i < found->count; ++i)
        numbers.push_back(DeviceNumber::from_dev_t(static_cast<dev_t>(found->device[i])));
    return numbers;
}

Result<std::string> message(const DeviceId& device, std::string_view text)
{
    DmTask task(DM_DEVICE_TARGET_MSG, "message to", device);
    const std::string message_text(text);
    task.set(dm_task_set_sector(task.get(), 0), "set the sector");
    task.set(dm_task_set_message(task.get(), message_text.c_str()), "set the message");
    if (auto ran = task.run(); !ran)
        return std::unexpected(ran.error());
    const char* response = dm_task_get_message_response(task.get());
    return std::string(response ? response : "");
}

Result<DeviceEvent> wait_event(const DeviceId& device, std::uint32_t event_nr)
{
    DmTask task(DM_DEVICE_WAITEVENT, "wait for an event on", device);
    task.set(dm_task_set_event_nr(task.get(), event_nr), "set the event number");
    if (auto ran = task.run(); !ran)
        return std::unexpected(ran.error());
    auto info = task.info();
    if (!info)
        return std::unexpected(info.error());
    return DeviceEvent{*info, task.targets()};
}

Result<std::vector<DeviceListEntry>> list()
{
    DmTask task(DM_DEVICE_LIST, "list");
    if (auto ran = task.run(); !ran)
        return std::unexpected(ran.error());
    std::vector<DeviceListEntry> devices;
    const dm_names* names = dm_task_get_names(task.get());
    if (!names || names->dev == 0)
        return devices;
    for (;;) {
        devices.push_back(DeviceListEntry{names->name, DeviceNumber::from_dev_t(names->dev)});
        if (names->next == 0)
            break;
        names = reinterpret_cast<const dm_names*>(reinterpret_cast<const char*>(names) + names->next);
    }
    return devices;
}

}  // namespace volumes::kmod::dm
