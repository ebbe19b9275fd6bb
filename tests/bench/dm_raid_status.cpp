#include "dm_raid_status.hpp"

#include <sstream>
#include <stdexcept>
#include <thread>

#include <fmt/core.h>

#include "command.hpp"

namespace volumes::bench {

bool RaidSync::in_sync() const
{
    return !health.empty() && health.find_first_not_of('A') == std::string::npos && total > 0 &&
           done == total && action == "idle";
}

RaidSync read_raid_sync(const std::string& dm_name)
{
    const std::string line = run({"dmsetup", "status", dm_name});
    std::istringstream words(line);
    std::string start, length, target, level, devices, ratio;
    RaidSync sync;
    words >> start >> length >> target >> level >> devices >> sync.health >> ratio >> sync.action;
    const auto slash = ratio.find('/');
    if (target != "raid" || slash == std::string::npos)
        throw std::runtime_error(fmt::format("{} is not a raid device: '{}'", dm_name, line));
    sync.done = std::stoull(ratio.substr(0, slash));
    sync.total = std::stoull(ratio.substr(slash + 1));
    return sync;
}

void wait_raid_in_sync(const std::string& dm_name, std::chrono::milliseconds interval, std::chrono::seconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const RaidSync sync = read_raid_sync(dm_name);
        if (sync.in_sync())
            return;
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error(fmt::format("{} not in sync after {} s: {} {}/{} {}", dm_name, timeout.count(),
                                                 sync.health, sync.done, sync.total, sync.action));
        std::this_thread::sleep_for(interval);
    }
}

void check_still_in_sync(const std::string& dm_name, std::chrono::milliseconds settle)
{
    std::this_thread::sleep_for(settle);
    const RaidSync sync = read_raid_sync(dm_name);
    if (!sync.in_sync())
        throw std::runtime_error(fmt::format("{} was reported in sync, but {} ms later it is {} {}/{} {}", dm_name,
                                             settle.count(), sync.health, sync.done, sync.total, sync.action));
}

}  // namespace volumes::bench
