#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "kmod/error.hpp"

// Growing a mounted filesystem online, through the filesystem's own ioctl on its mount point
// (what resize2fs and xfs_growfs do for a mounted filesystem), without running either.
namespace volumes::kmod {

struct MountedFilesystem {
    std::string type;        // "ext4", "xfs", ...
    std::string mountpoint;  // the first mount of the device in /proc/self/mountinfo
};

// The filesystem mounted from block device `device`; nullopt when it is not mounted.
Result<std::optional<MountedFilesystem>> mounted_filesystem(dev_t device);

// Whether grow_filesystem knows how to grow `type`.
bool can_grow(const std::string& type);

// Grows the filesystem mounted at `mounted` to `bytes` (whole filesystem blocks): ext4 with
// EXT4_IOC_RESIZE_FS, xfs with XFS_IOC_FSGROWFSDATA. Returns the filesystem's new size in bytes.
// InvalidArgument for a type can_grow refuses; Kernel with the errno when the ioctl fails.
Result<std::uint64_t> grow_filesystem(const MountedFilesystem& mounted, std::uint64_t bytes);

}  // namespace volumes::kmod
