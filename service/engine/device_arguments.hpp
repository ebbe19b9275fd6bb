#pragma once

#include <string>

#include "service/engine/engine_error.hpp"

// The device arguments of CreatePool, AddMember and RemoveMember, bounded before they go
// anywhere (the bus checks them with these before it puts them in polkit's details).
namespace volumes::engine {

// A device path as CreatePool and AddMember take it: absolute, 1 to PATH_MAX - 1 bytes.
// Checked before the path goes anywhere (the bus bounds it before polkit's details too).
Result<void> check_device_path(const std::string& path);
// RemoveMember's argument, a device path or a member uuid: 1 to PATH_MAX - 1 bytes.
Result<void> check_member_argument(const std::string& device);

}  // namespace volumes::engine
