#include "service/devices/admitted_device.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <fmt/core.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "service/devices/device_use.hpp"
#include "service/devices/volumesd_claim.hpp"

namespace volumes::devices {
namespace {

// The exclusive open failed with EBUSY: find out why through a plain read-only open, for the
// message only (the refusal stands whatever this finds).
std::string busy_reason(const std::string& path)
{
    const auto generic = fmt::format("{} is open exclusively by another program", path);
    auto device = BlockDevice::open(path, false);
    if (!device)
        return generic;
    if (auto claim = volumesd_claim(device->fd(), device->number(), path); claim && *claim)
        return **claim;
    if (auto use = in_use_reason(device->number(), path); use && *use)
        return **use;
    return generic;
}

}  // namespace

Result<AdmittedDevice> AdmittedDevice::open(const std::string& path, bool writable)
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

    UniqueFd fd(::open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_EXCL | O_CLOEXEC));
    if (!fd) {
        const int err = errno;
        if (err == EBUSY)
            return fail(ErrorCode::InUse, busy_reason(path), err);
        const auto code = err == ENOENT || err == ENXIO ? ErrorCode::NotFound : ErrorCode::Io;
        return fail(code, fmt::format("cannot open {} exclusively: {}", path, std::strerror(err)), err);
    }
    if (::fstat(fd.get(), &st) != 0)
        return fail(ErrorCode::Io, fmt::format("fstat {}: {}", path, std::strerror(errno)), errno);
    if (!S_ISBLK(st.st_mode))  // replaced between stat and open
        return fail(ErrorCode::InvalidArgument, fmt::format("{} is not a block device", path));
    std::uint64_t size = 0;
    if (::ioctl(fd.get(), BLKGETSIZE64, &size) != 0)
        return fail(ErrorCode::Io, fmt::format("BLKGETSIZE64 on {}: {}", path, std::strerror(errno)), errno);
    return AdmittedDevice(std::move(fd), path, kmod::DeviceNumber::from_dev_t(st.st_rdev), size);
}

Result<BlockDevice> AdmittedDevice::open_shared(bool writable) const
{
    return BlockDevice::reopen(fd_.get(), path_, writable);
}

}  // namespace volumes::devices
