#include "service/devices/block_device.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <fmt/core.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "service/devices/unique_fd.hpp"

namespace volumes::devices {

Result<BlockDevice> BlockDevice::open(const std::string& path, bool writable)
{
    // stat before open: opening a FIFO or a character device could block or have side effects.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        const int err = errno;
        const auto code = err == ENOENT || err == ENOTDIR ? ErrorCode::NotFound : ErrorCode::Io;
        return fail(code, fmt::format("{}: {}", path, std::strerror(err)), err);
    }
    if (!S_ISBLK(st.st_mode))
        return fail(ErrorCode::InvalidArgument, fmt::format("{} is not a block device", path));

    UniqueFd fd(::open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC));
    if (!fd) {
        const int err = errno;
        const auto code = err == ENOENT || err == ENXIO ? ErrorCode::NotFound : ErrorCode::Io;
        return fail(code, fmt::format("cannot open {}: {}", path, std::strerror(err)), err);
    }
    if (::fstat(fd.get(), &st) != 0)
        return fail(ErrorCode::Io, fmt::format("fstat {}: {}", path, std::strerror(errno)), errno);
    if (!S_ISBLK(st.st_mode))  // replaced between stat and open
        return fail(ErrorCode::InvalidArgument, fmt::format("{} is not a block device", path));
    std::uint64_t size = 0;
    if (::ioctl(fd.get(), BLKGETSIZE64, &size) != 0)
        return fail(ErrorCode::Io, fmt::format("BLKGETSIZE64 on {}: {}", path, std::strerror(errno)), errno);

    return BlockDevice(fd.release(), path, kmod::DeviceNumber::from_dev_t(st.st_rdev), size);
}

Result<BlockDevice> BlockDevice::reopen(int fd, const std::string& path, bool writable)
{
    struct stat held {};
    if (::fstat(fd, &held) != 0)
        return fail(ErrorCode::Io, fmt::format("fstat {}: {}", path, std::strerror(errno)), errno);
    const auto link = fmt::format("/proc/self/fd/{}", fd);
    UniqueFd again(::open(link.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC));
    if (!again) {
        const int err = errno;
        return fail(ErrorCode::Io, fmt::format("cannot open {} again through {}: {}", path, link, std::strerror(err)),
                    err);
    }
    struct stat st {};
    if (::fstat(again.get(), &st) != 0)
        return fail(ErrorCode::Io, fmt::format("fstat {}: {}", path, std::strerror(errno)), errno);
    if (!S_ISBLK(st.st_mode) || st.st_rdev != held.st_rdev)
        return fail(ErrorCode::Io, fmt::format("opening {} again through {} gave another file", path, link));
    std::uint64_t size = 0;
    if (::ioctl(again.get(), BLKGETSIZE64, &size) != 0)
        return fail(ErrorCode::Io, fmt::format("BLKGETSIZE64 on {}: {}", path, std::strerror(errno)), errno);
    return BlockDevice(again.release(), path, kmod::DeviceNumber::from_dev_t(st.st_rdev), size);
}

BlockDevice::BlockDevice(BlockDevice&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      path_(std::move(other.path_)),
      number_(other.number_),
      size_(other.size_)
{
}

BlockDevice& BlockDevice::operator=(BlockDevice&& other) noexcept
{
    if (this != &other) {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
        path_ = std::move(other.path_);
        number_ = other.number_;
        size_ = other.size_;
    }
    return *this;
}

BlockDevice::~BlockDevice()
{
    if (fd_ >= 0)
        ::close(fd_);
}

}  // namespace volumes::devices
