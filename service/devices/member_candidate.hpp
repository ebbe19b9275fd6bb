#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "service/devices/device_error.hpp"

// The checks before a device becomes a pool member (architecture.md "Safety rules").
namespace volumes::devices {

// One thing libblkid recognizes on a device.
struct Signature {
    std::string type;   // "ext4", "dos", "gpt", "LVM2_member", "linux_raid_member", "volumesd_member", ...
    std::string usage;  // "filesystem", "partition table", "raid", "crypto", "other", ...
    std::uint64_t offset = 0;  // of the magic, bytes
};

// Every superblock and partition-table signature libblkid finds, plus a pool member label
// (service/metadata/FORMAT.md), reported as type "volumesd_member", usage "other".
Result<std::vector<Signature>> probe_signatures(const std::string& path);

// InUse when the device is mounted (its number in /proc/self/mountinfo, or a swap in
// /proc/swaps), has holders (/sys/dev/block/<maj:min>/holders not empty), has partitions, or
// cannot be opened O_EXCL; the message says which.
Result<void> check_unused(const std::string& path);

// check_unused, then HasSignature listing every signature found (type and usage) unless
// `force`; with `force` the signatures are erased (blkid_do_wipe on each, then the pool label
// sector) so nothing recognizes the device as what it was.
Result<void> prepare_member(const std::string& path, bool force);

}  // namespace volumes::devices
