#include "kmod/udev_cookie.hpp"

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

#include <fmt/core.h>

#include <libdevmapper.h>

#include "kmod/dm_log_capture.hpp"

namespace volumes::kmod {

UdevCookie::UdevCookie(UdevCookie&& other) noexcept
    : value_(std::exchange(other.value_, 0)), used_(std::exchange(other.used_, false))
{
}

UdevCookie& UdevCookie::operator=(UdevCookie&& other) noexcept
{
    if (this != &other) {
        (void)wait();
        value_ = std::exchange(other.value_, 0);
        used_ = std::exchange(other.used_, false);
    }
    return *this;
}

UdevCookie::~UdevCookie()
{
    (void)wait();
}

std::uint32_t* UdevCookie::slot()
{
    used_ = true;
    return &value_;
}

std::uint16_t UdevCookie::flags(UdevIdentity identity) const
{
    // Where udev runs and answers, it alone manages /dev/mapper nodes (as lvm does);
    // without it libdevmapper creates the nodes itself.
    const std::uint16_t fallback = dm_udev_get_sync_support() ? DM_UDEV_DISABLE_LIBRARY_FALLBACK : 0;
    return fallback | udev_rule_flags(identity);
}

Result<void> UdevCookie::wait()
{
    if (!used_)
        return {};
    used_ = false;
    const auto cookie = std::exchange(value_, 0);
    if (cookie == 0)
        return {};  // udev sync unsupported here: libdevmapper made the nodes synchronously
    install_dm_log_capture();
    clear_dm_log();
    // Polled rather than dm_udev_wait(), which blocks for as long as udev does not answer.
    const auto deadline = std::chrono::steady_clock::now() + kUdevWaitLimit;
    auto pause = std::chrono::microseconds(200);
    for (;;) {
        int ready = 0;
        if (!dm_udev_wait_immediate(cookie, &ready))
            return fail(ErrorCode::Kernel, "waiting for udev failed: " + last_dm_log_error());
        if (ready)
            return {};
        if (std::chrono::steady_clock::now() >= deadline)
            break;
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(10000));
    }
    // Completed on udev's behalf so that the semaphore goes; udev's own completion, when it
    // comes, then finds none.
    int ready = 0;
    (void)dm_udev_complete(cookie);
    (void)dm_udev_wait_immediate(cookie, &ready);
    return fail(ErrorCode::Kernel,
                fmt::format("udev did not finish with the devices within {} s (cookie {:#x}); their /dev nodes and "
                            "links may come later or not at all",
                            std::chrono::duration_cast<std::chrono::seconds>(kUdevWaitLimit).count(), cookie));
}

}  // namespace volumes::kmod
