#include "kmod/dm_event_poller.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <fmt/core.h>
#include <linux/dm-ioctl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace volumes::kmod {
namespace {

constexpr const char* control_path = "/dev/mapper/control";
constexpr std::uint32_t arm_poll_minimum_minor = 36;  // DM_DEV_ARM_POLL appeared in ioctl 4.36

}  // namespace

Result<DmEventPoller> DmEventPoller::open()
{
    const int fd = ::open(control_path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return fail(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Kernel,
                    fmt::format("cannot open {}: {}", control_path, std::strerror(errno)), errno);
    return DmEventPoller(fd);
}

DmEventPoller::DmEventPoller(DmEventPoller&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

DmEventPoller& DmEventPoller::operator=(DmEventPoller&& other) noexcept
{
    if (this != &other) {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

DmEventPoller::~DmEventPoller()
{
    if (fd_ >= 0)
        ::close(fd_);
}

Result<void> DmEventPoller::arm()
{
    dm_ioctl request{};
    request.version[0] = DM_VERSION_MAJOR;
    request.version[1] = arm_poll_minimum_minor;
    request.data_size = sizeof request;
    request.data_start = sizeof request;
    if (::ioctl(fd_, DM_DEV_ARM_POLL, &request) != 0) {
        const int error = errno;
        return fail(error == EINVAL ? ErrorCode::KernelTooOld : ErrorCode::Kernel,
                    fmt::format("arming the dm event poll failed (needs dm ioctl 4.{}): {}", arm_poll_minimum_minor,
                                std::strerror(error)),
                    error);
    }
    return {};
}

Result<bool> DmEventPoller::wait(std::chrono::milliseconds timeout)
{
    pollfd entry{fd_, POLLIN, 0};
    for (;;) {
        const int ready = ::poll(&entry, 1, static_cast<int>(timeout.count()));
        if (ready >= 0)
            return ready > 0 && (entry.revents & POLLIN);
        if (errno != EINTR)
            return fail(ErrorCode::Kernel, fmt::format("poll on {} failed: {}", control_path, std::strerror(errno)),
                        errno);
    }
}

}  // namespace volumes::kmod
