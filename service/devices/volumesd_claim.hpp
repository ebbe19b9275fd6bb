#pragma once

#include <optional>
#include <string>

#include "kmod/device_number.hpp"
#include "service/devices/device_error.hpp"

// Devices that already belong to volumesd (internal to devices/).
namespace volumes::devices {

// The dm uuid prefix of every device volumesd creates (model::dm_uuid_prefix adds the pool).
inline constexpr const char* kVolumesdDmUuidPrefix = "VOLUMES-";

// Why the device already belongs to volumesd, or std::nullopt: a dm device whose uuid starts
// with "VOLUMES-" (a volume or one of its sub-devices), or a valid member label (read through
// `fd`), whichever pool it names, or a member label of a newer format. `path` is for messages.
Result<std::optional<std::string>> volumesd_claim(int fd, kmod::DeviceNumber number, const std::string& path);

}  // namespace volumes::devices
