#pragma once

#include <vector>

#include "kmod/device_number.hpp"

namespace volumes::devices {

// Whether `upper` is stacked on `lower`: reached from it through sysfs holders, at any depth
// (dm, md, multipath). False when either is gone.
bool stacked_on(kmod::DeviceNumber upper, kmod::DeviceNumber lower);

// The devices stacked directly on `device` (its sysfs holders), as "major:minor".
std::vector<kmod::DeviceNumber> holders_of(kmod::DeviceNumber device);

}  // namespace volumes::devices
