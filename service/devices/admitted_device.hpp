#pragma once

#include <cstdint>
#include <string>

#include "kmod/device_number.hpp"
#include "service/devices/block_device.hpp"
#include "service/devices/device_error.hpp"
#include "service/devices/unique_fd.hpp"

namespace volumes::devices {

// A device on its way to becoming a pool member, held through one O_EXCL descriptor from
// the first admission check to the last write of pool creation (architecture.md "Trust
// model"): while it is held nobody else can mount it, build a dm or md device on it or open
// it exclusively, and every check and write goes through this descriptor, never the path
// again. Closed (and so released) on destruction.
class AdmittedDevice {
public:
    // NotFound: no such path. InvalidArgument: not a block device. InUse: the exclusive open
    // failed with EBUSY; the message says why when it can tell (mounted, swap, held by another
    // device, a volumesd device or pool member) and otherwise that another program holds it.
    // Io: another open or ioctl failure.
    static Result<AdmittedDevice> open(const std::string& path, bool writable);

    AdmittedDevice(AdmittedDevice&&) noexcept = default;
    AdmittedDevice& operator=(AdmittedDevice&&) noexcept = default;

    int fd() const { return fd_.get(); }
    const std::string& path() const { return path_; }
    kmod::DeviceNumber number() const { return number_; }
    std::uint64_t size() const { return size_; }  // bytes (BLKGETSIZE64)

    // A second descriptor of the very same device (not re-resolved from the path), opened
    // without O_EXCL, for what the engine keeps once the admission is over.
    Result<BlockDevice> open_shared(bool writable) const;

private:
    AdmittedDevice(UniqueFd fd, std::string path, kmod::DeviceNumber number, std::uint64_t size)
        : fd_(std::move(fd)), path_(std::move(path)), number_(number), size_(size)
    {
    }
    UniqueFd fd_;
    std::string path_;
    kmod::DeviceNumber number_;
    std::uint64_t size_ = 0;
};

}  // namespace volumes::devices
