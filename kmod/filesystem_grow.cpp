#include "kmod/filesystem_grow.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/core.h>
#include <libmount/libmount.h>

namespace volumes::kmod {

namespace {

// From e2fsprogs' lib/ext2fs/ext2_fs.h (not in the kernel's uapi headers): the new size in
// filesystem blocks.
constexpr unsigned long ext4_ioc_resize_fs = _IOW('f', 16, std::uint64_t);

// From xfsprogs' include/xfs_fs.h (xfslibs-dev), the version 1 geometry, which every kernel
// answers, and the data-section growth request.
struct XfsGeometryV1 {
    std::uint32_t blocksize, rtextsize, agblocks, agcount, logblocks, sectsize, inodesize, imaxpct;
    std::uint64_t datablocks, rtblocks, rtextents, logstart;
    unsigned char uuid[16];
    std::uint32_t sunit, swidth;
    std::int32_t version;
    std::uint32_t flags, logsectsize, rtsectsize, dirblocksize;
};
struct XfsGrowData {
    std::uint64_t newblocks;
    std::uint32_t imaxpct;
};
constexpr unsigned long xfs_ioc_fsgeometry_v1 = _IOR('X', 100, XfsGeometryV1);
constexpr unsigned long xfs_ioc_fsgrowfsdata = _IOW('X', 110, XfsGrowData);

struct TableDeleter {
    void operator()(libmnt_table* table) const { mnt_unref_table(table); }
};

class Descriptor {
public:
    explicit Descriptor(int fd) : fd_(fd) {}
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    ~Descriptor()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }
    int get() const { return fd_; }

private:
    int fd_;
};

Result<std::uint64_t> block_size(int fd, const std::string& mountpoint)
{
    struct statvfs stats{};
    if (::fstatvfs(fd, &stats) != 0)
        return fail(ErrorCode::Kernel, fmt::format("statvfs {}: {}", mountpoint, std::strerror(errno)), errno);
    return stats.f_bsize;
}

Result<std::uint64_t> grow_ext4(int fd, const std::string& mountpoint, std::uint64_t bytes)
{
    auto block = block_size(fd, mountpoint);
    if (!block)
        return block;
    std::uint64_t blocks = bytes / *block;
    if (::ioctl(fd, ext4_ioc_resize_fs, &blocks) != 0)
        return fail(ErrorCode::Kernel, fmt::format("EXT4_IOC_RESIZE_FS on {} to {} blocks: {}", mountpoint, blocks,
                                                   std::strerror(errno)),
                    errno);
    return blocks * *block;
}

Result<std::uint64_t> grow_xfs(int fd, const std::string& mountpoint, std::uint64_t bytes)
{
    XfsGeometryV1 geometry{};
    if (::ioctl(fd, xfs_ioc_fsgeometry_v1, &geometry) != 0)
        return fail(ErrorCode::Kernel, fmt::format("XFS_IOC_FSGEOMETRY on {}: {}", mountpoint, std::strerror(errno)),
                    errno);
    XfsGrowData grow{bytes / geometry.blocksize, geometry.imaxpct};
    if (grow.newblocks > geometry.datablocks && ::ioctl(fd, xfs_ioc_fsgrowfsdata, &grow) != 0)
        return fail(ErrorCode::Kernel, fmt::format("XFS_IOC_FSGROWFSDATA on {} to {} blocks: {}", mountpoint,
                                                   grow.newblocks, std::strerror(errno)),
                    errno);
    return std::max(grow.newblocks, geometry.datablocks) * geometry.blocksize;
}

}  // namespace

Result<std::optional<MountedFilesystem>> mounted_filesystem(dev_t device)
{
    std::unique_ptr<libmnt_table, TableDeleter> table(mnt_new_table_from_file("/proc/self/mountinfo"));
    if (!table)
        return fail(ErrorCode::Kernel, "cannot read /proc/self/mountinfo");
    libmnt_fs* fs = mnt_table_find_devno(table.get(), device, MNT_ITER_FORWARD);
    if (!fs)
        return std::nullopt;
    const char* type = mnt_fs_get_fstype(fs);
    const char* target = mnt_fs_get_target(fs);
    return MountedFilesystem{type ? type : "", target ? target : ""};
}

bool can_grow(const std::string& type)
{
    return type == "ext4" || type == "xfs";
}

Result<std::uint64_t> grow_filesystem(const MountedFilesystem& mounted, std::uint64_t bytes)
{
    if (!can_grow(mounted.type))
        return fail(ErrorCode::InvalidArgument, fmt::format("{} at {} cannot be grown online by volumesd",
                                                            mounted.type, mounted.mountpoint));
    Descriptor fd(::open(mounted.mountpoint.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0)
        return fail(ErrorCode::Kernel, fmt::format("open {}: {}", mounted.mountpoint, std::strerror(errno)), errno);
    if (mounted.type == "ext4")
        return grow_ext4(fd.get(), mounted.mountpoint, bytes);
    return grow_xfs(fd.get(), mounted.mountpoint, bytes);
}

}  // namespace volumes::kmod
