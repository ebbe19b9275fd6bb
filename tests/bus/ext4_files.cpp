#include "ext4_files.hpp"

#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <stdexcept>

#include <fmt/core.h>

#include "process.hpp"

namespace volumes::test {

namespace {

void load_ext4()
{
    // The kernel's own module autoload runs modprobe outside the guest's chroot.
    const auto loaded = run_process({"modprobe", "ext4"});
    if (loaded.status != 0)
        throw std::runtime_error("modprobe ext4: " + loaded.describe());
}

}  // namespace

MountedExt4::MountedExt4(const std::string& device)
{
    load_ext4();
    char name_template[] = "/tmp/volumes-bus-ext4-XXXXXX";
    if (::mkdtemp(name_template) == nullptr)
        throw std::runtime_error(fmt::format("mkdtemp: {}", std::strerror(errno)));
    directory_ = name_template;
    if (::mount(device.c_str(), directory_.c_str(), "ext4", 0, nullptr) != 0) {
        const int error = errno;
        ::rmdir(directory_.c_str());
        throw std::runtime_error(fmt::format("mount {} {}: {}", device, directory_, std::strerror(error)));
    }
    mounted_ = true;
}

MountedExt4::~MountedExt4()
{
    if (mounted_)
        ::umount2(directory_.c_str(), 0);
    ::rmdir(directory_.c_str());
}

void MountedExt4::write_file(const std::string& name, std::size_t bytes, unsigned seed) const
{
    std::string content(bytes, '\0');
    std::uint32_t state = seed * 2654435761u + 1;
    for (auto& byte : content) {
        state = state * 1664525u + 1013904223u;
        byte = static_cast<char>(state >> 24);
    }
    const auto path = directory_ + "/" + name;
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (!out)
            throw std::runtime_error("cannot write " + path);
    }
    ::sync();
}

void MountedExt4::remove_file(const std::string& name) const
{
    std::filesystem::remove(directory_ + "/" + name);
    ::sync();
}

std::map<std::string, std::string> MountedExt4::digests() const
{
    std::map<std::string, std::string> digests;
    for (const auto& entry : std::filesystem::directory_iterator(directory_)) {
        if (!entry.is_regular_file())
            continue;
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        digests[entry.path().filename()] =
            fmt::format("{} bytes, hash {:016x}", content.size(), std::hash<std::string>{}(content));
    }
    return digests;
}

void MountedExt4::unmount()
{
    if (!mounted_)
        return;
    if (::umount2(directory_.c_str(), 0) != 0)
        throw std::runtime_error(fmt::format("umount {}: {}", directory_, std::strerror(errno)));
    mounted_ = false;
}

}  // namespace volumes::test
