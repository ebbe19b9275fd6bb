#include "kmod/udev_cookie.hpp"

#include <utility>

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
    if (!dm_udev_wait(cookie))
        return fail(ErrorCode::Kernel, "waiting for udev failed: " + last_dm_log_error());
    return {};
}

}  // namespace volumes::kmod
