#include "kmod/dm_task.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/core.h>
#include <libdevmapper.h>

#include "kmod/dm_log_capture.hpp"
#include "kmod/udev_cookie.hpp"

namespace volumes::kmod {
namespace {

ErrorCode code_for_errno(int errnum)
{
    switch (errnum) {
    case ENXIO:
    case ENODEV:
    case ENOENT: return ErrorCode::NotFound;
    case EEXIST: return ErrorCode::AlreadyExists;
    case EBUSY: return ErrorCode::Busy;
    case EINVAL: return ErrorCode::InvalidArgument;
    default: return ErrorCode::Kernel;
    }
}

int name_device(dm_task* task, const DeviceId& device)
{
    struct Apply {
        dm_task* task;
        int operator()(const DeviceId::Name& name) const { return dm_task_set_name(task, name.value.c_str()); }
        int operator()(const DeviceId::Uuid& uuid) const { return dm_task_set_uuid(task, uuid.value.c_str()); }
        int operator()(const DeviceNumber& number) const
        {
            return dm_task_set_major(task, static_cast<int>(number.major)) &&
                   dm_task_set_minor(task, static_cast<int>(number.minor));
        }
    };
    return std::visit(Apply{task}, device.key());
}

}  // namespace

std::string DeviceId::describe() const
{
    struct Describe {
        std::string operator()(const Name& name) const { return fmt::format("dm device '{}'", name.value); }
        std::string operator()(const Uuid& uuid) const { return fmt::format("dm device with uuid '{}'", uuid.value); }
        std::string operator()(const DeviceNumber& number) const { return fmt::format("dm device {}", number.to_string()); }
    };
    return std::visit(Describe{}, key_);
}

void DmTask::Destroy::operator()(dm_task* task) const
{
    dm_task_destroy(task);
}

DmTask::DmTask(int type, std::string_view operation) : operation_(operation)
{
    install_dm_log_capture();
    clear_dm_log();
    task_.reset(dm_task_create(type));
    set(task_ != nullptr, "create the task");
}

DmTask::DmTask(int type, std::string_view operation, const DeviceId& device) : DmTask(type, operation)
{
    device_ = device.describe();
    if (task_)
        set(name_device(task_.get(), device), "name the device");
}

void DmTask::set(int setter_result, std::string_view what, ErrorCode code)
{
    if (setter_result || first_error_)
        return;
    first_error_ = Error{code,
                         fmt::format("{} {}: libdevmapper could not {}: {}", operation_, device_, what, last_dm_log_error())};
}

void DmTask::add_table(const Table& table)
{
    for (const auto& line : table) {
        if (first_error_)
            return;
        set(dm_task_add_target(task_.get(), line.start, line.length, line.target_type.c_str(), line.params.c_str()),
            fmt::format("add table line '{}'", line.to_string()), ErrorCode::InvalidArgument);
    }
}

void DmTask::set_cookie(UdevCookie& cookie, UdevIdentity identity)
{
    if (!first_error_)
        set(dm_task_set_cookie(task_.get(), cookie.slot(), cookie.flags(identity)), "set the udev cookie");
}

Result<void> DmTask::run()
{
    if (first_error_)
        return std::unexpected(*first_error_);
    if (dm_task_run(task_.get()))
        return {};
    const int errnum = dm_task_get_errno(task_.get());
    auto detail = last_dm_log_error();
    if (detail.empty())
        detail = std::strerror(errnum);
    return fail(code_for_errno(errnum), fmt::format("{} {} failed: {}", operation_, device_, detail), errnum);
}

Result<DeviceInfo> DmTask::info()
{
    dm_info raw{};
    if (!dm_task_get_info(task_.get(), &raw))
        return fail(ErrorCode::Kernel, fmt::format("{} {}: no device info returned", operation_, device_));
    DeviceInfo info;
    info.exists = raw.exists;
    if (!raw.exists)
        return info;
    info.suspended = raw.suspended;
    info.live_table = raw.live_table;
    info.inactive_table = raw.inactive_table;
    info.read_only = raw.read_only;
    info.internal_suspend = raw.internal_suspend;
    info.open_count = raw.open_count;
    info.target_count = raw.target_count;
    info.event_nr = raw.event_nr;
    info.number = DeviceNumber{raw.major, raw.minor};
    if (const char* name = dm_task_get_name(task_.get()))
        info.name = name;
    if (const char* uuid = dm_task_get_uuid(task_.get()))
        info.uuid = uuid;
    return info;
}

Table DmTask::targets()
{
    Table lines;
    void* next = nullptr;
    do {
        std::uint64_t start = 0;
        std::uint64_t length = 0;
        char* type = nullptr;
        char* params = nullptr;
        next = dm_get_next_target(task_.get(), next, &start, &length, &type, &params);
        if (type) {
            // Some targets end their line with a blank (thin-pool's feature list: "0 "); the
            // builders do not, and tables are compared as text.
            std::string text = params ? params : "";
            while (!text.empty() && text.back() == ' ')
                text.pop_back();
            lines.push_back(TableLine{start, length, type, std::move(text)});
        }
    } while (next);
    return lines;
}

}  // namespace volumes::kmod
