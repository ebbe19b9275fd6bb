#pragma once

#include <chrono>
#include <cstdint>

#include "kmod/error.hpp"
#include "kmod/udev_identity.hpp"

namespace volumes::kmod {

// One udev synchronisation cookie shared by a batch of create/resume/remove/rename tasks.
// The caller waits once for udev to finish with every device the batch touched; a cookie
// that is dropped without wait() is waited for in the destructor so no semaphore leaks.
inline constexpr std::chrono::seconds kUdevWaitLimit{30};

class UdevCookie {
public:
    UdevCookie() = default;
    UdevCookie(const UdevCookie&) = delete;
    UdevCookie& operator=(const UdevCookie&) = delete;
    UdevCookie(UdevCookie&& other) noexcept;
    UdevCookie& operator=(UdevCookie&& other) noexcept;
    ~UdevCookie();

    // For dm_task_set_cookie(): the value slot (0 asks libdevmapper to create the cookie)
    // and the flags to pass with it. Flags are per task, so the devices of one batch may
    // differ in identity.
    std::uint32_t* slot();
    std::uint16_t flags(UdevIdentity identity) const;

    // Blocks until udev has processed every event of the batch, for kUdevWaitLimit at most:
    // then the cookie is released and the error says udev did not answer.
    Result<void> wait();

private:
    std::uint32_t value_ = 0;
    bool used_ = false;
};

}  // namespace volumes::kmod
