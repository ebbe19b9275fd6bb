#pragma once

#include <cstdint>
#include <string>

#include "service/metadata/label.hpp"
#include "tests/kernel/support/loop_device.hpp"

// What the guest tests of service/devices put on their loop devices. The tools (mkfs.ext4,
// blkid) run here in the tests only; the product code never forks. Failures throw.
namespace volumes::test {

// std::system(command); throws unless it exits 0.
void run(const std::string& command);

// mkfs.ext4 -q -F on the device.
void make_ext4(const std::string& device);

// What `blkid -p` (libblkid's low-level probe, run as the tool) says the device holds:
// "TYPE=ext4", "PTTYPE=dos", ... one per line, empty when it finds nothing.
std::string blkid_probe_output(const std::string& device);

// A DOS master boot record with one Linux partition (sectors 2048..2048+8191).
void write_dos_partition_table(const std::string& device);

// Turns on partition scanning for the loop device and waits until the kernel shows the
// partition, so /sys/dev/block/<loop>/<loop>p1 exists.
void scan_loop_partitions(const LoopDevice& loop);

// A member label for the whole device (plan_label + write_label), with a fresh member uuid.
metadata::Label write_member_label(const std::string& device, const metadata::Uuid& pool_uuid);

// Inverts one byte of the device in place.
void flip_byte(const std::string& device, std::uint64_t offset);

// The device mounted (mount(2), ext4) on a fresh directory in /tmp; unmounted on destruction.
class TempMount {
public:
    explicit TempMount(const std::string& device);
    TempMount(const TempMount&) = delete;
    TempMount& operator=(const TempMount&) = delete;
    ~TempMount();

    const std::string& path() const { return path_; }

private:
    std::string path_;
    bool mounted_ = false;
};

// Opens the device O_EXCL, as a filesystem or another volume manager would; closed on destruction.
class ExclusiveOpen {
public:
    explicit ExclusiveOpen(const std::string& device);
    ExclusiveOpen(const ExclusiveOpen&) = delete;
    ExclusiveOpen& operator=(const ExclusiveOpen&) = delete;
    ~ExclusiveOpen();

private:
    int fd_ = -1;
};

}  // namespace volumes::test
