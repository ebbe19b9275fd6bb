#pragma once

#include <chrono>

#include "kmod/error.hpp"

namespace volumes::kmod {

// Waits for any device-mapper event on the system, with a timeout: DM_DEV_ARM_POLL on a
// control file of its own, then poll(). After a wake-up the caller rereads the event
// numbers (DeviceInfo::event_nr) of the devices it follows. One poller covers every device,
// which is how the daemon's monitor follows raid resyncs without a thread per device.
class DmEventPoller {
public:
    static Result<DmEventPoller> open();
    DmEventPoller(DmEventPoller&& other) noexcept;
    DmEventPoller& operator=(DmEventPoller&& other) noexcept;
    DmEventPoller(const DmEventPoller&) = delete;
    DmEventPoller& operator=(const DmEventPoller&) = delete;
    ~DmEventPoller();

    // Marks "now": events from here on make the poller readable. Arm, then read the state
    // you care about, then wait, so an event between the read and the wait is not lost.
    Result<void> arm();

    // True if an event arrived since arm(), false on timeout.
    Result<bool> wait(std::chrono::milliseconds timeout);

    int fd() const { return fd_; }

private:
    explicit DmEventPoller(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace volumes::kmod
