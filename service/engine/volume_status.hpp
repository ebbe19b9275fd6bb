#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// What the kernel says about one visible volume right now, in the engine's own words (callers
// above the engine see no kmod types).
namespace volumes::engine {

// The raid1 target's status: dm-raid's health characters and sync counters.
struct RaidSync {
    std::string action;                // "idle", "resync", "recover", "frozen", "check", "repair", "reshape", "undef"
    std::vector<char> health;          // per table slot: 'A' alive, 'a' syncing, 'D' dead, '-' split off
    std::uint64_t in_sync_sectors = 0;
    std::uint64_t total_sectors = 0;
    bool synced = false;               // idle, every sector in sync, every present leg 'A'
};

// A snapshot's COW as its snapshot (or, while it merges, its origin's snapshot-merge) target
// reports it. Counts are 512-byte sectors and include the COW's own metadata.
struct SnapshotUsage {
    std::string state;  // "active", "invalid", "merge-failed", "overflow", "unknown"
    std::uint64_t allocated_sectors = 0;
    std::uint64_t total_sectors = 0;
    std::uint64_t metadata_sectors = 0;
    bool merge_finished = false;  // snapshot-merge copied every chunk back
};

struct VolumeStatus {
    bool active = false;               // the visible dm device exists
    std::uint64_t device_number = 0;   // its dev_t (makedev(major, minor)), 0 when inactive
    std::uint32_t event_nr = 0;        // its dm event counter
    bool open = false;                 // something holds it open
    std::optional<RaidSync> raid;      // raid1 volumes that are active
};

}  // namespace volumes::engine
