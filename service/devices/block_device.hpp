#pragma once

#include <cstdint>
#include <string>

#include "kmod/device_number.hpp"
#include "service/devices/device_error.hpp"

namespace volumes::devices {

// An open block device (O_CLOEXEC, read-write or read-only, never O_EXCL: the pool's own dm
// devices hold the members exclusively while volumes are active). Closed on destruction.
class BlockDevice {
public:
    // NotFound: no such path. InvalidArgument: not a block device. Io: open or an ioctl failed.
    static Result<BlockDevice> open(const std::string& path, bool writable);
    // The device `fd` is open on, opened again through /proc/self/fd (so the path is not
    // resolved again); `path` is kept for messages. Io when that fails.
    static Result<BlockDevice> reopen(int fd, const std::string& path, bool writable);

    BlockDevice(BlockDevice&& other) noexcept;
    BlockDevice& operator=(BlockDevice&& other) noexcept;
    BlockDevice(const BlockDevice&) = delete;
    BlockDevice& operator=(const BlockDevice&) = delete;
    ~BlockDevice();

    int fd() const { return fd_; }
    const std::string& path() const { return path_; }
    kmod::DeviceNumber number() const { return number_; }
    std::uint64_t size() const { return size_; }  // bytes (BLKGETSIZE64)

private:
    BlockDevice(int fd, std::string path, kmod::DeviceNumber number, std::uint64_t size)
        : fd_(fd), path_(std::move(path)), number_(number), size_(size)
    {
    }
    int fd_ = -1;
    std::string path_;
    kmod::DeviceNumber number_;
    std::uint64_t size_ = 0;
};

}  // namespace volumes::devices
