#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kmod/error.hpp"

namespace volumes::kmod {

// One health character of a dm-raid status line (dm-raid.c __raid_dev_status).
enum class RaidDeviceHealth {
    InSync,     // 'A': alive and in sync
    NotInSync,  // 'a': alive, not in sync (every leg shows it during a resync or reshape)
    Dead,       // 'D': dead or failed
    Missing,    // '-': the slot was loaded as "- -" (raid target 1.9.2+)
};

// What md's sync thread is doing (dm-raid.c sync_str / decipher_sync_action).
enum class RaidSyncAction { Frozen, Reshape, Resync, Check, Repair, Recover, Idle, Undef };

const char* to_string(RaidSyncAction action);

// The health characters as the kernel prints them, e.g. "Aa-".
std::string health_string(const std::vector<RaidDeviceHealth>& health);

// The INFO status of a raid target:
//   <raid_type> <#devices> <health_chars> <in_sync>/<total>
//   [<sync_action> <mismatch_cnt>] (1.5.0+) [<data_offset>] (1.9.0+) [<journal_char>] (1.10.0+)
struct RaidStatus {
    std::string raid_type;               // "raid1", "raid5_ls", ...
    std::uint32_t device_count = 0;      // md's raid_disks; differs from health.size() during a reshape
    std::vector<RaidDeviceHealth> health;  // one per table slot
    std::uint64_t in_sync_sectors = 0;   // sectors, although libdm calls them regions
    std::uint64_t total_sectors = 0;
    std::optional<RaidSyncAction> sync_action;    // absent before 1.5.0
    std::optional<std::uint64_t> mismatch_count;  // absent before 1.5.0
    std::optional<std::uint64_t> data_offset;     // absent before 1.9.0
    // Absent before 1.10.0; Missing when the set has no journal device.
    std::optional<RaidDeviceHealth> journal;

    // The set is fully in sync: no sync action running (or a pre-1.5.0 kernel that does not
    // report one), every sector in sync and no leg shown 'a' or 'D'.
    bool is_synced() const;
};

Result<RaidStatus> parse_raid_status(std::string_view params);

}  // namespace volumes::kmod
