// Whether a caller's process holds a capability in its effective set, read from
// /proc/<pid>/status through libsystemd's sd_bus_creds, as systemd's bus-polkit does.
#pragma once

#include <sys/types.h>

#include <expected>
#include <string>

namespace volumes::bus {

// true or false for a process that exists; an error (why it could not be read) for a pid
// that is not a process's (0 or negative: libsystemd would read the daemon's own), a process
// that is gone, or a /proc that hides it.
std::expected<bool, std::string> has_effective_cap_sys_admin(pid_t pid);

}  // namespace volumes::bus
