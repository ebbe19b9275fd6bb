#pragma once

#include <cstdint>
#include <string>

#include "kmod/device_number.hpp"
#include "kmod/table_line.hpp"

namespace volumes::kmod {

// What DM_DEVICE_INFO tells about one device.
struct DeviceInfo {
    bool exists = false;
    bool suspended = false;
    bool live_table = false;
    bool inactive_table = false;
    bool read_only = false;
    bool internal_suspend = false;
    std::int32_t open_count = 0;
    std::int32_t target_count = 0;
    std::uint32_t event_nr = 0;
    DeviceNumber number;
    std::string name;
    std::string uuid;
};

// The answer to DM_DEVICE_WAITEVENT: the device after the event and its status, from one ioctl.
struct DeviceEvent {
    DeviceInfo info;
    Table status;
};

struct DeviceListEntry {
    std::string name;
    DeviceNumber number;
};

}  // namespace volumes::kmod
