#include "read_only_mount.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/core.h>
#include <sys/mount.h>
#include <unistd.h>

#include "process.hpp"

namespace volumes::test {

ReadOnlyMount::ReadOnlyMount(const std::string& device)
{
    // The kernel's own module autoload runs modprobe outside the guest's chroot, where it
    // finds no modules.
    const auto loaded = run_process({"modprobe", "ext4"});
    if (loaded.status != 0)
        throw std::runtime_error("modprobe ext4: " + loaded.describe());
    char name_template[] = "/tmp/volumes-bus-mount-XXXXXX";
    if (::mkdtemp(name_template) == nullptr)
        throw std::runtime_error(fmt::format("mkdtemp: {}", std::strerror(errno)));
    directory_ = name_template;
    if (::mount(device.c_str(), directory_.c_str(), "ext4", MS_RDONLY, nullptr) != 0) {
        const int error = errno;
        ::rmdir(directory_.c_str());
        throw std::runtime_error(fmt::format("mount -o ro {} {}: {}", device, directory_, std::strerror(error)));
    }
}

ReadOnlyMount::~ReadOnlyMount()
{
    ::umount2(directory_.c_str(), 0);
    ::rmdir(directory_.c_str());
}

}  // namespace volumes::test
