#pragma once

#include <string>

#include "service/devices/device_error.hpp"

namespace volumes::devices {

// Erases every signature libblkid finds through `fd` (open read-write, and O_EXCL: an
// AdmittedDevice's), the member label sector too when `member_label`, and flushes. `path` is
// for messages. Internal to devices/: erase_signatures checks first and verifies after.
Result<void> wipe_signatures(int fd, const std::string& path, bool member_label);

}  // namespace volumes::devices
