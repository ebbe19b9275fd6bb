#include "service/bus/authorization/process_capabilities.hpp"

#include <linux/capability.h>
#include <systemd/sd-bus.h>

#include <cstring>
#include <memory>

#include <fmt/format.h>

namespace volumes::bus {

std::expected<bool, std::string> has_effective_cap_sys_admin(pid_t pid)
{
    if (pid <= 0)
        return std::unexpected(fmt::format("the bus named no process for the caller (pid {})", pid));
    sd_bus_creds* raw = nullptr;
    if (const int r = sd_bus_creds_new_from_pid(&raw, pid, SD_BUS_CREDS_EFFECTIVE_CAPS); r < 0)
        return std::unexpected(fmt::format("cannot read the capabilities of pid {}: {}", pid, std::strerror(-r)));
    const std::unique_ptr<sd_bus_creds, decltype(&sd_bus_creds_unref)> creds(raw, &sd_bus_creds_unref);
    const int r = sd_bus_creds_has_effective_cap(creds.get(), CAP_SYS_ADMIN);
    if (r < 0)
        return std::unexpected(fmt::format("cannot read the capabilities of pid {}: {}", pid, std::strerror(-r)));
    return r > 0;
}

}  // namespace volumes::bus
