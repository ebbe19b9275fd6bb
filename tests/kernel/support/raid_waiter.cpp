#include "tests/kernel/support/raid_waiter.hpp"

#include <stdexcept>

#include <fmt/core.h>

#include "kmod/device_mapper.hpp"
#include "kmod/dm_event_poller.hpp"

namespace volumes::test {

namespace dm = kmod::dm;
using Clock = std::chrono::steady_clock;

kmod::RaidStatus raid_status_of(const std::string& name)
{
    auto lines = dm::status(kmod::DeviceId::by_name(name));
    if (!lines || lines->size() != 1)
        throw std::runtime_error("no status for " + name + (lines ? "" : ": " + lines.error().message));
    auto status = kmod::parse_raid_status(lines->front().params);
    if (!status)
        throw std::runtime_error(status.error().message);
    return *status;
}

RaidWaitResult wait_until_raid_synced(const std::string& name, std::uint32_t after_event, std::chrono::seconds timeout)
{
    auto poller = kmod::DmEventPoller::open();
    if (!poller)
        throw std::runtime_error(poller.error().message);
    const auto deadline = Clock::now() + timeout;
    RaidWaitResult result;
    for (;;) {
        if (auto armed = poller->arm(); !armed)
            throw std::runtime_error(armed.error().message);
        auto info = dm::info(kmod::DeviceId::by_name(name));
        if (!info || !info->exists)
            throw std::runtime_error(name + " disappeared while waiting for its sync");
        result.status = raid_status_of(name);
        result.event_nr = info->event_nr;
        if (info->event_nr != after_event && result.status.is_synced())
            return result;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0)
            throw std::runtime_error(fmt::format(
                "{} not in sync after {} s: health {}, {} of {} sectors, action {}, event {} (waited past {})",
                name, timeout.count(), kmod::health_string(result.status.health), result.status.in_sync_sectors,
                result.status.total_sectors,
                result.status.sync_action ? kmod::to_string(*result.status.sync_action) : "none", result.event_nr,
                after_event));
        auto woke = poller->wait(left);
        if (!woke)
            throw std::runtime_error(woke.error().message);
        if (*woke)
            ++result.wakeups;
    }
}

}  // namespace volumes::test
