#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "service/devices/admitted_device.hpp"
#include "service/devices/device_error.hpp"

// The checks before a device becomes a pool member (architecture.md "Safety rules" and
// "Trust model"). Each works through the AdmittedDevice's one O_EXCL descriptor; the
// path-taking forms open one for the call.
namespace volumes::devices {

// One thing libblkid recognizes on a device.
struct Signature {
    std::string type;   // "ext4", "dos", "gpt", "LVM2_member", "linux_raid_member", "volumesd_member", ...
    std::string usage;  // "filesystem", "partition table", "raid", "crypto", "other", ...
    std::uint64_t offset = 0;  // of the magic, bytes
};

// Every superblock and partition-table signature libblkid finds through `fd`, plus a pool
// member label (service/metadata/FORMAT.md) whether valid, corrupt or newer, reported as
// type "volumesd_member", usage "other". `path` is for messages.
Result<std::vector<Signature>> probe_signatures(int fd, const std::string& path);
Result<std::vector<Signature>> probe_signatures(const std::string& path);  // opened read-only, not O_EXCL

// InUse when the device is mounted (its number in /proc/self/mountinfo, or a swap in
// /proc/swaps), has holders (/sys/dev/block/<maj:min>/holders not empty) or has partitions;
// the path form also when it cannot be opened O_EXCL. The message says which.
Result<void> check_unused(const AdmittedDevice& device);
Result<void> check_unused(const std::string& path);

// InUse when the device already belongs to volumesd: a dm device whose uuid starts with
// "VOLUMES-", or one carrying a valid member label of any pool (the message names the pool)
// or a label of a newer format. A label with a bad checksum or layout is not a claim: it is
// one more signature (probe_signatures).
Result<void> check_not_volumesd(const AdmittedDevice& device);

// check_not_volumesd, check_unused, then the signatures: HasSignature listing each (type and
// usage) unless `force`. Returns what `force` will have to erase. Writes nothing.
Result<std::vector<Signature>> check_admission(const AdmittedDevice& device, bool force);

// Erases `found` (check_admission's result) through the device's descriptor: blkid_do_wipe
// on each signature, the pool label sector when a corrupt one is among them, then verifies
// that nothing is left (Io otherwise). Nothing is written when `found` is empty.
Result<void> erase_signatures(AdmittedDevice& device, const std::vector<Signature>& found);

// check_admission, then erase_signatures when `force`. The path form opens the device
// O_EXCL (read-write only when forced) for the call.
Result<void> prepare_member(AdmittedDevice& device, bool force);
Result<void> prepare_member(const std::string& path, bool force);

}  // namespace volumes::devices
