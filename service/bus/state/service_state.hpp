#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

// What the bus objects show, read from the engine off the bus thread and handed to it whole.
// Values are already in the shape of the properties (interfaces/*.xml); object references
// are names within the pool, turned into paths by the objects.
namespace volumes::bus {

// An autoextend policy in percent; `inherited`: the pool's default for the kind applies.
struct AutoextendState {
    std::uint32_t threshold = 0;
    std::uint32_t step = 0;
    bool inherited = true;
    bool operator==(const AutoextendState&) const = default;
};

struct MemberState {
    std::string uuid;
    std::string path;
    std::uint64_t bytes = 0;
    bool present = false;
    bool operator==(const MemberState&) const = default;
};

struct PoolState {
    std::string name;
    std::string uuid;
    std::vector<MemberState> members;
    std::uint64_t size = 0;
    std::uint64_t free = 0;
    std::uint64_t extent_size = 0;
    bool complete = true;
    std::vector<std::string> missing_members;  // uuids of the members not found
    std::vector<std::string> failed_members;   // uuids of the members marked failed
    std::vector<std::string> problems;
    std::string owner;
    bool foreign = false;
    AutoextendState thin_pool_autoextend;  // the pool's defaults (`inherited` unused)
    AutoextendState snapshot_autoextend;
    bool operator==(const PoolState&) const = default;
};

struct RaidImageState {
    std::uint32_t slot = 0;
    std::string health;  // "alive", "syncing", "failed", "missing", "split", "unknown" (raid1_health.hpp)
    std::string member_uuid;
    bool operator==(const RaidImageState&) const = default;
};

// The sync counters of an active raid1, as its status line gave them.
struct RaidSyncState {
    std::string action;  // "" while inactive
    std::uint64_t in_sync_sectors = 0;
    std::uint64_t total_sectors = 0;
    bool synced = false;
    bool failed_leg = false;  // some present leg is 'D'
    double ratio() const
    {
        return total_sectors == 0 ? 0.0 : static_cast<double>(in_sync_sectors) / static_cast<double>(total_sectors);
    }
    bool operator==(const RaidSyncState&) const = default;
};

struct Raid1State {
    std::vector<RaidImageState> images;
    std::string health;  // "ok", "degraded", "failed" (raid1_health.hpp)
    RaidSyncState sync;
    std::uint64_t region_size = 0;
    std::string tracked_image;  // volume name, "" when none
    bool operator==(const Raid1State&) const = default;
};

struct TrackedImageState {
    std::string array;  // volume name
    std::uint32_t slot = 0;
    bool operator==(const TrackedImageState&) const = default;
};

// A CoW snapshot's COW as the kernel reports it; zero counts while the snapshot is inactive.
struct SnapshotState {
    std::uint64_t used_sectors = 0;
    std::uint64_t total_sectors = 0;
    bool invalid = false;
    std::string merge_state;  // "none", "pending", "merging", "failed"
    AutoextendState autoextend;
    bool operator==(const SnapshotState&) const = default;
};

// A thin pool as its no-flush status shows it; zero counts and Mode "" while inactive.
struct ThinPoolState {
    std::uint64_t transaction_id = 0;
    std::uint64_t data_used = 0;  // bytes
    std::uint64_t data_size = 0;
    std::uint64_t metadata_used = 0;
    std::uint64_t metadata_size = 0;
    std::string mode;
    bool below_low_water = false;
    bool needs_check = false;
    std::uint64_t held_metadata_root = 0;  // 0 when none is held
    std::string metadata_device;
    AutoextendState autoextend;
    bool operator==(const ThinPoolState&) const = default;
};

struct ThinState {
    std::string thin_pool;  // volume name
    std::uint32_t thin_id = 0;
    std::uint64_t mapped_sectors = 0;
    bool operator==(const ThinState&) const = default;
};

struct VolumeState {
    std::string pool;
    std::string name;
    std::string uuid;
    std::string kind;  // Volume.Kind
    std::uint64_t size = 0;
    std::string device_path;
    std::uint64_t device_number = 0;
    bool read_only = false;
    bool active = false;
    std::string origin;  // volume name, "" when none
    std::string unavailable;  // why it cannot run although the metadata says active; "" when it can
    std::optional<Raid1State> raid1;
    std::optional<TrackedImageState> tracked_image;
    std::optional<SnapshotState> snapshot;
    std::optional<ThinPoolState> thin_pool;
    std::optional<ThinState> thin;
    bool operator==(const VolumeState&) const = default;
};

// One pool and its visible volumes.
struct PoolSnapshot {
    PoolState pool;
    std::vector<VolumeState> volumes;
    // Volumes of the pool left out of `volumes` because nothing changed them: their objects
    // keep what they show. Every volume of the pool is in one of the two.
    std::vector<std::string> unchanged;
};

}  // namespace volumes::bus
