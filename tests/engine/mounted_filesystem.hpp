#pragma once

// A filesystem the test mounts on a fresh directory for its own lifetime, so a failed
// assertion never leaves a mount that keeps the pool's devices busy.
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace volumes::test {

// mkfs.ext4 on `device`, quietly; throws when it fails.
inline void make_ext4(const std::string& device)
{
    if (std::system(("modprobe ext4 && mkfs.ext4 -q -F " + device + " >/dev/null 2>&1").c_str()) != 0)
        throw std::runtime_error("mkfs.ext4 " + device + " failed");
}

class MountedFilesystem {
public:
    MountedFilesystem(const std::string& device, const std::string& type)
        : dir_(std::filesystem::temp_directory_path() / ("volumes-mount-" + std::to_string(::getpid())))
    {
        std::filesystem::create_directories(dir_);
        if (::mount(device.c_str(), dir_.c_str(), type.c_str(), 0, nullptr) != 0)
            throw std::runtime_error("mount " + device + ": " + std::strerror(errno));
    }
    MountedFilesystem(const MountedFilesystem&) = delete;
    MountedFilesystem& operator=(const MountedFilesystem&) = delete;
    ~MountedFilesystem()
    {
        ::umount2(dir_.c_str(), MNT_DETACH);
        std::filesystem::remove(dir_);
    }
    const std::filesystem::path& dir() const { return dir_; }
    // Bytes of the filesystem's blocks, as statvfs says.
    std::uint64_t size() const
    {
        struct statvfs stats{};
        if (::statvfs(dir_.c_str(), &stats) != 0)
            throw std::runtime_error("statvfs " + dir_.string() + ": " + std::strerror(errno));
        return stats.f_blocks * stats.f_frsize;
    }

private:
    std::filesystem::path dir_;
};

}  // namespace volumes::test
