#include "tests/kernel/support/loop_device.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <fcntl.h>
#include <fmt/core.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace volumes::test {
namespace {

[[noreturn]] void throw_errno(const std::string& what)
{
    throw std::runtime_error(fmt::format("{}: {}", what, std::strerror(errno)));
}

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }
    int get() const { return fd_; }

private:
    int fd_;
};

}  // namespace

LoopDevice::LoopDevice(std::uint64_t size_bytes) : size_bytes_(size_bytes)
{
    char name_template[] = "/tmp/volumes-disk-XXXXXX";
    Fd backing(::mkstemp(name_template));
    if (backing.get() < 0)
        throw_errno("mkstemp");
    backing_file_ = name_template;
    if (::ftruncate(backing.get(), static_cast<off_t>(size_bytes)) != 0)
        throw_errno("ftruncate " + backing_file_);

    Fd control(::open("/dev/loop-control", O_RDWR | O_CLOEXEC));
    if (control.get() < 0)
        throw_errno("open /dev/loop-control (is the loop module loaded?)");
    for (int attempt = 0; attempt < 8; ++attempt) {
        const int index = ::ioctl(control.get(), LOOP_CTL_GET_FREE);
        if (index < 0)
            throw_errno("LOOP_CTL_GET_FREE");
        path_ = fmt::format("/dev/loop{}", index);
        Fd loop(::open(path_.c_str(), O_RDWR | O_CLOEXEC));
        if (loop.get() < 0)
            throw_errno("open " + path_);
        if (::ioctl(loop.get(), LOOP_SET_FD, backing.get()) == 0) {
            sys_name_ = fmt::format("loop{}", index);
            auto number = kmod::DeviceNumber::of_path(path_);
            if (!number)
                throw std::runtime_error(number.error().message);
            number_ = *number;
            return;
        }
        if (errno != EBUSY)  // another test took it between GET_FREE and SET_FD
            throw_errno("LOOP_SET_FD " + path_);
    }
    throw std::runtime_error("no free loop device");
}

LoopDevice::~LoopDevice()
{
    if (!path_.empty()) {
        const int loop = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
        if (loop >= 0) {
            ::ioctl(loop, LOOP_CLR_FD, 0);
            ::close(loop);
        }
        // While someone (udev's probe after a write) still holds the loop open, LOOP_CLR_FD only
        // sets autoclear and the detach happens at the last close: the next test would still
        // find the device bound. Wait for it, boundedly.
        const auto bound = "/sys/block/" + sys_name_ + "/loop/backing_file";
        std::error_code error;
        for (int tries = 0; tries < 250 && std::filesystem::exists(bound, error); ++tries)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!backing_file_.empty())
        ::unlink(backing_file_.c_str());
}

std::uint64_t LoopDevice::sectors_written() const
{
    std::ifstream stat("/sys/block/" + sys_name_ + "/stat");
    std::vector<std::uint64_t> fields;
    std::uint64_t value = 0;
    while (stat >> value)
        fields.push_back(value);
    constexpr std::size_t write_sectors_field = 6;  // Documentation/block/stat.rst
    if (fields.size() <= write_sectors_field)
        throw std::runtime_error("cannot read /sys/block/" + sys_name_ + "/stat");
    return fields[write_sectors_field];
}

}  // namespace volumes::test
