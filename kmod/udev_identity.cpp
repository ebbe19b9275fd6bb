#include "kmod/udev_identity.hpp"

#include <libdevmapper.h>

namespace volumes::kmod {

std::uint16_t udev_rule_flags(UdevIdentity identity)
{
    switch (identity) {
    case UdevIdentity::Visible: return 0;
    case UdevIdentity::LowPriority: return DM_UDEV_LOW_PRIORITY_FLAG;
    case UdevIdentity::Internal:
        // The /dev/mapper node stays (DM rules enabled), as lvm keeps it for its layers.
        return DM_UDEV_DISABLE_SUBSYSTEM_RULES_FLAG | DM_UDEV_DISABLE_DISK_RULES_FLAG |
               DM_UDEV_DISABLE_OTHER_RULES_FLAG;
    }
    return 0;
}

std::string_view to_string(UdevIdentity identity)
{
    switch (identity) {
    case UdevIdentity::Visible: return "visible";
    case UdevIdentity::LowPriority: return "low-priority";
    case UdevIdentity::Internal: return "internal";
    }
    return "?";
}

}  // namespace volumes::kmod
