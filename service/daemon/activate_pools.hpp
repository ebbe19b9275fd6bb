#pragma once

#include <optional>
#include <string>

#include "service/daemon/required_volume.hpp"

namespace volumes::daemon {

struct Activation {
    // Only this pool is activated (the initramfs: the root's pool); every owned pool when absent.
    std::optional<std::string> pool;
    // A volume that must be active afterwards (the root); requires `pool` to be its pool.
    std::optional<RequiredVolume> required;
};

// Exit statuses of volumesd --activate.
inline constexpr int activation_failed = 1;   // the engine could not start at all
inline constexpr int required_awaits_devices = 3;  // the required volume is not active: its pool or a member is missing
inline constexpr int required_not_active = 4;      // the required volume is not active, and a device more will not help

// volumesd --activate, early in boot (volumesd-activate.service, and the initramfs for the
// root's pool): starts the engine, which assembles every pool, activates the committed active
// volumes and starts the pending merges of origins nothing holds open; logs each pool's
// problems; waits for udev to settle so the volumes' /dev nodes and links exist before
// filesystems mount. No D-Bus. When a required volume is not active, prints why on stdout in
// one line naming the pool and what is missing, and returns required_awaits_devices or
// required_not_active.
int activate_pools(const Activation& activation);

}  // namespace volumes::daemon
