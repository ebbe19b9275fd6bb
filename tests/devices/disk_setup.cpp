#include "tests/devices/disk_setup.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <fmt/core.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

namespace volumes::test {
namespace {

[[noreturn]] void throw_errno(const std::string& what)
{
    throw std::runtime_error(fmt::format("{}: {}", what, std::strerror(errno)));
}

class Fd {
public:
    Fd(const std::string& path, int flags) : fd_(::open(path.c_str(), flags | O_CLOEXEC))
    {
        if (fd_ < 0)
            throw_errno("open " + path);
    }
    ~Fd() { ::close(fd_); }
    int get() const { return fd_; }

private:
    int fd_;
};

void write_at(const std::string& device, std::uint64_t offset, const void* bytes, std::size_t length)
{
    Fd fd(device, O_RDWR);
    if (::pwrite(fd.get(), bytes, length, static_cast<off_t>(offset)) != static_cast<ssize_t>(length))
        throw_errno("pwrite " + device);
    if (::fsync(fd.get()) != 0)
        throw_errno("fsync " + device);
}

void put_le32(std::uint8_t* at, std::uint32_t value)
{
    for (int i = 0; i < 4; ++i)
        at[i] = static_cast<std::uint8_t>(value >> (8 * i));
}

}  // namespace

void run(const std::string& command)
{
    const int status = std::system(command.c_str());
    if (status != 0)
        throw std::runtime_error(fmt::format("'{}' failed (status {})", command, status));
}

void make_ext4(const std::string& device)
{
    run(fmt::format("mkfs.ext4 -q -F {}", device));
}

std::string blkid_probe_output(const std::string& device)
{
    char name_template[] = "/tmp/volumes-blkid-XXXXXX";
    const int fd = ::mkstemp(name_template);
    if (fd < 0)
        throw_errno("mkstemp");
    ::close(fd);
    const std::string output_file = name_template;
    // -o export: one NAME=value per line. Exit status 2 means nothing was found.
    const int status = std::system(fmt::format("blkid -p -o export {} > {} 2>&1", device, output_file).c_str());
    std::ifstream in(output_file);
    std::string output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ::unlink(output_file.c_str());
    if (status != 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 2))
        throw std::runtime_error(fmt::format("blkid -p {} failed (status {}): {}", device, status, output));
    return output;
}

void write_dos_partition_table(const std::string& device)
{
    std::array<std::uint8_t, 512> mbr{};
    std::uint8_t* entry = mbr.data() + 446;
    entry[0] = 0x00;  // not bootable
    entry[4] = 0x83;  // Linux
    put_le32(entry + 8, 2048);
    put_le32(entry + 12, 8192);
    mbr[510] = 0x55;
    mbr[511] = 0xaa;
    write_at(device, 0, mbr.data(), mbr.size());
}

void scan_loop_partitions(const LoopDevice& loop)
{
    {
        Fd fd(loop.path(), O_RDWR);
        loop_info64 info{};
        if (::ioctl(fd.get(), LOOP_GET_STATUS64, &info) != 0)
            throw_errno("LOOP_GET_STATUS64 " + loop.path());
        info.lo_flags |= LO_FLAGS_PARTSCAN;
        if (::ioctl(fd.get(), LOOP_SET_STATUS64, &info) != 0)
            throw_errno("LOOP_SET_STATUS64 " + loop.path());
    }
    const auto sysfs = std::filesystem::canonical("/sys/dev/block/" + loop.number().to_string());
    const auto partition = sysfs / (sysfs.filename().string() + "p1");
    for (int attempt = 0; attempt < 100; ++attempt) {
        if (std::filesystem::exists(partition / "partition"))
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error(fmt::format("the kernel shows no {} after a partition scan", partition.string()));
}

metadata::Label write_member_label(const std::string& device, const metadata::Uuid& pool_uuid)
{
    const auto member_uuid = metadata::Uuid::generate();
    if (!member_uuid)
        throw std::runtime_error(member_uuid.error().message);
    Fd fd(device, O_RDWR);
    std::uint64_t size = 0;
    if (::ioctl(fd.get(), BLKGETSIZE64, &size) != 0)
        throw_errno("BLKGETSIZE64 " + device);
    const auto label = metadata::plan_label(pool_uuid, *member_uuid, size);
    if (!label)
        throw std::runtime_error(label.error().message);
    if (auto written = metadata::write_label(fd.get(), *label); !written)
        throw std::runtime_error(written.error().message);
    return *label;
}

void flip_byte(const std::string& device, std::uint64_t offset)
{
    Fd fd(device, O_RDWR);
    std::uint8_t byte = 0;
    if (::pread(fd.get(), &byte, 1, static_cast<off_t>(offset)) != 1)
        throw_errno("pread " + device);
    byte = static_cast<std::uint8_t>(~byte);
    if (::pwrite(fd.get(), &byte, 1, static_cast<off_t>(offset)) != 1)
        throw_errno("pwrite " + device);
    if (::fsync(fd.get()) != 0)
        throw_errno("fsync " + device);
}

TempMount::TempMount(const std::string& device)
{
    // The kernel's own module autoloading runs modprobe outside the guest's chroot, where it
    // finds no modules.
    run("modprobe ext4");
    char name_template[] = "/tmp/volumes-mount-XXXXXX";
    if (::mkdtemp(name_template) == nullptr)
        throw_errno("mkdtemp");
    path_ = name_template;
    if (::mount(device.c_str(), path_.c_str(), "ext4", 0, nullptr) != 0) {
        const int err = errno;
        ::rmdir(path_.c_str());
        errno = err;
        throw_errno(fmt::format("mount {} on {}", device, path_));
    }
    mounted_ = true;
}

TempMount::~TempMount()
{
    if (mounted_)
        ::umount2(path_.c_str(), 0);
    ::rmdir(path_.c_str());
}

ExclusiveOpen::ExclusiveOpen(const std::string& device) : fd_(::open(device.c_str(), O_RDONLY | O_EXCL | O_CLOEXEC))
{
    if (fd_ < 0)
        throw_errno("open O_EXCL " + device);
}

ExclusiveOpen::~ExclusiveOpen()
{
    ::close(fd_);
}

}  // namespace volumes::test
