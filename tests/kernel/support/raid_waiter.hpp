#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "kmod/status/raid_status.hpp"

namespace volumes::test {

struct RaidWaitResult {
    kmod::RaidStatus status;
    std::uint32_t event_nr = 0;
    int wakeups = 0;  // dm events the wait woke for
};

// Waits on dm events (DM_DEV_ARM_POLL + poll, never a sleep) until the raid device's event
// counter has moved past `after_event` and its status says fully in sync. Throws on timeout.
RaidWaitResult wait_until_raid_synced(const std::string& name, std::uint32_t after_event,
                                      std::chrono::seconds timeout = std::chrono::seconds(90));

// The first status line of a device, parsed as raid. Throws on failure.
kmod::RaidStatus raid_status_of(const std::string& name);

}  // namespace volumes::test
