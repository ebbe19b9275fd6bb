#pragma once

#include <string>

#include "service/devices/device_error.hpp"

namespace volumes::devices {

// Opens the device read-write and O_EXCL (InUse when that fails with EBUSY), erases every
// signature libblkid finds, the member label sector too when `member_label`, and flushes.
// Internal to devices/: prepare_member checks first and verifies after.
Result<void> wipe_signatures(const std::string& path, bool member_label);

}  // namespace volumes::devices
