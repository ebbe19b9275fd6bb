#pragma once

#include <chrono>
#include <string>

namespace volumes::bench {

// The parts of a dm-raid status line that say whether an array is in sync:
// "<start> <length> raid <level> <#devs> <health chars> <done>/<total> <sync action> ...".
struct RaidSync {
    std::string health;  // one char per leg: A alive and in sync, a alive not in sync, D dead
    unsigned long long done = 0;
    unsigned long long total = 0;
    std::string action;  // idle, resync, recover, ...

    // Every leg 'A', the ratio complete and no sync running.
    bool in_sync() const;
};

// `dmsetup status <dm_name>` of a device whose (single) target is raid.
RaidSync read_raid_sync(const std::string& dm_name);

// Polls read_raid_sync every `interval` until in_sync(); throws after `timeout`.
void wait_raid_in_sync(const std::string& dm_name, std::chrono::milliseconds interval,
                       std::chrono::seconds timeout);

// After a side said the array is in sync: waits `settle`, then throws unless the kernel
// still says so (a resync that started late would have ended the timing too early).
void check_still_in_sync(const std::string& dm_name, std::chrono::milliseconds settle);

}  // namespace volumes::bench
