#pragma once

#include <optional>
#include <string>

#include "kmod/device_number.hpp"
#include "service/devices/device_error.hpp"

// What the kernel says uses a block device (internal to devices/).
namespace volumes::devices {

// Why the device is in use, by its number: mounted (/proc/self/mountinfo), an active swap
// area (/proc/swaps), held by another device (/sys/dev/block/<maj:min>/holders: dm, md, ...)
// or carrying kernel partitions. std::nullopt when none of these. `path` is for messages.
Result<std::optional<std::string>> in_use_reason(kmod::DeviceNumber number, const std::string& path);

}  // namespace volumes::devices
