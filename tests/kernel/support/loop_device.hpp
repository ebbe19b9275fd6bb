#pragma once

#include <cstdint>
#include <string>

#include "kmod/device_number.hpp"

namespace volumes::test {

// A loop device over a fresh zero-filled file in /tmp (tmpfs in the guest), detached and
// deleted on destruction. Failures throw: a test cannot go on without its disks.
class LoopDevice {
public:
    explicit LoopDevice(std::uint64_t size_bytes);
    LoopDevice(const LoopDevice&) = delete;
    LoopDevice& operator=(const LoopDevice&) = delete;
    ~LoopDevice();

    const std::string& path() const { return path_; }  // "/dev/loop3"
    kmod::DeviceNumber number() const { return number_; }
    std::uint64_t size_bytes() const { return size_bytes_; }
    std::uint64_t size_sectors() const { return size_bytes_ / 512; }

    // Sectors written to this device since it was attached (/sys/block/loopN/stat).
    std::uint64_t sectors_written() const;

private:
    std::string backing_file_;
    std::string path_;
    std::string sys_name_;
    kmod::DeviceNumber number_;
    std::uint64_t size_bytes_ = 0;
};

}  // namespace volumes::test
