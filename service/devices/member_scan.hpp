#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kmod/device_number.hpp"
#include "service/devices/device_error.hpp"
#include "service/metadata/label.hpp"

// Finding pool members among the machine's block devices with libudev.
namespace volumes::devices {

struct FoundMember {
    std::string path;  // the devnode, e.g. "/dev/loop3"
    kmod::DeviceNumber number;
    metadata::Label label;
};

// Every block device (disks and partitions) with a valid member label. Skips devices of size
// 0, dm devices whose DM_UUID starts with `skip_dm_uuid_prefix` (the pools' own volumes, so a
// volume holding a copy of a member is never taken for one), and devices it cannot open or
// read; those with a label that is corrupt or unreadable are listed in `skipped`. Each device
// is read inside its own error boundary: one that makes the reading throw is skipped too.
// A member label seen on a device and on a device stacked on it (dm, md, multipath) counts
// once, on the top-most device; the lower one is named in `duplicates`.
struct ScanResult {
    std::vector<FoundMember> members;
    std::vector<std::string> skipped;     // "<path>: <reason>" for devices with a label that is corrupt or unreadable
    std::vector<std::string> duplicates;  // a member's label seen again lower in a device stack
};
Result<ScanResult> scan_members(std::string_view skip_dm_uuid_prefix = "VOLUMES-");

struct FoundPool {
    metadata::Uuid pool_uuid;
    std::vector<FoundMember> members;  // in scan order
};
// Members grouped by their label's pool uuid, pools in the order their first member was found.
std::vector<FoundPool> group_by_pool(std::vector<FoundMember> members);

}  // namespace volumes::devices
