#pragma once

#include <cstdint>
#include <string_view>

// What udev's rules, and through them blkid, systemd and desktop tools, make of a dm device.
// It travels as flags on the udev cookie of every task that sends the device a uevent.
namespace volumes::kmod {

enum class UdevIdentity {
    Visible,      // probed, by-* links, shown by udisks
    LowPriority,  // as Visible, but its by-* links yield to a Visible device with the same name
    Internal,     // a layer below a visible device: not probed, no by-* links, ignored by later rules
};

// The DM_UDEV_* rule flags for the identity (without the library-fallback flag, which says
// who makes /dev/mapper nodes, not what the device is).
std::uint16_t udev_rule_flags(UdevIdentity identity);

std::string_view to_string(UdevIdentity identity);

}  // namespace volumes::kmod
