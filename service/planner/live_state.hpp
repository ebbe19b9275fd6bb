#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kmod/device_number.hpp"
#include "kmod/table_line.hpp"

namespace volumes::planner {

// One dm device as the kernel reports it now (DM_DEVICE_INFO, TABLE and DEPS).
struct LiveDevice {
    std::string name;
    std::string uuid;
    kmod::Table table;  // the live table, lines as the kernel prints them; empty when none
    bool read_only = false;
    // The uuids of the devices in the same LiveState that the live table maps onto (its deps).
    // Uuids not in the LiveState (member disks, other dm devices) are ignored.
    std::vector<std::string> children;
    bool suspended = false;
    std::uint32_t open_count = 0;
    bool has_inactive_table = false;
    kmod::DeviceNumber number;  // what the tables of devices stacked on it name it by

    bool operator==(const LiveDevice&) const = default;
};

// The dm devices the kernel has now. Devices whose uuid is outside the pool's prefix may be
// listed; the planner never touches them.
struct LiveState {
    std::vector<LiveDevice> devices;
};

}  // namespace volumes::planner
