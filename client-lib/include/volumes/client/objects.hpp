#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

// What volumesd exports, read from its properties (GetManagedObjects). Object paths are
// plain strings; "/" stands for "no object" where the contract says so.
namespace volumes::client {

inline constexpr const char* bus_name = "org.example.Volumes";
inline constexpr const char* root_path = "/org/example/Volumes";

struct PoolMember {
    std::string uuid;
    std::string device;  // "" when the member is missing
    std::uint64_t size = 0;
    bool present = false;
};

// When a thin pool or a CoW snapshot grows on its own (Pool.ThinPoolAutoextend, ...): at
// `threshold` percent used, by `step` percent; threshold 100 is off. `inherited`: the volume
// has no policy of its own, its pool's default applies (always true for a pool's defaults).
struct AutoextendInfo {
    std::uint32_t threshold = 0;
    std::uint32_t step = 0;
    bool inherited = true;
};

struct PoolInfo {
    std::string path;
    std::string name;
    std::string uuid;
    std::vector<PoolMember> members;
    std::uint64_t size = 0;
    std::uint64_t free = 0;
    std::uint64_t extent_size = 0;
    bool complete = false;
    std::vector<std::string> problems;
    AutoextendInfo thin_pool_autoextend;
    AutoextendInfo snapshot_autoextend;
    std::vector<std::string> missing_members;  // uuids of the members not found
    std::vector<std::string> failed_members;   // uuids of the members marked failed
};

struct Raid1Image {
    std::uint32_t slot = 0;
    std::string health;  // "alive", "syncing", "failed", "missing", "split", "unknown"
    std::string member_uuid;
};

struct Raid1Info {
    std::vector<Raid1Image> images;
    double sync_ratio = 0.0;
    std::string sync_action;
    std::uint64_t region_size = 0;
    std::string tracked_image;  // "/" when none
    std::string health;         // "ok", "degraded", "failed"
};

struct TrackedImageInfo {
    std::string array;
    std::uint32_t slot = 0;
};

struct SnapshotInfo {
    std::string origin;
    std::uint64_t used_sectors = 0;
    std::uint64_t total_sectors = 0;
    bool invalid = false;
    std::string merge_state;  // "none", "pending", "merging", "failed"
    AutoextendInfo autoextend;
};

struct ThinPoolInfo {
    std::uint64_t transaction_id = 0;
    std::uint64_t data_used = 0;
    std::uint64_t data_size = 0;
    std::uint64_t metadata_used = 0;
    std::uint64_t metadata_size = 0;
    std::string mode;
    bool below_low_water = false;
    bool needs_check = false;
    std::uint64_t held_metadata_root = 0;
    std::string metadata_device;
    AutoextendInfo autoextend;
};

struct ThinInfo {
    std::string thin_pool;
    std::uint32_t thin_id = 0;
    std::uint64_t mapped_sectors = 0;
};

struct VolumeInfo {
    std::string path;
    std::string name;
    std::string pool;       // the pool's object path
    std::string pool_name;  // the pool's name, "" if the pool object is not exported
    std::string uuid;
    std::string kind;  // "linear", "raid1", "tracked_image", "snapshot", "thin_pool", "thin"
    std::uint64_t size = 0;
    std::string device_path;
    std::uint64_t device_number = 0;
    bool read_only = false;
    bool active = false;
    std::string origin;  // "/" when none
    std::string unavailable;  // why it cannot run now, "" when it can
    // Set when the object implements the kind's interface.
    std::optional<Raid1Info> raid1;
    std::optional<TrackedImageInfo> tracked_image;
    std::optional<SnapshotInfo> snapshot;
    std::optional<ThinPoolInfo> thin_pool;
    std::optional<ThinInfo> thin;
};

struct JobInfo {
    std::string path;
    std::string operation;  // "raid1-merge", "raid1-sync", "snapshot-merge"
    std::vector<std::string> objects;
    std::uint32_t started_by_uid = 0;
    double progress = 0.0;
    bool progress_valid = false;
    std::uint64_t bytes = 0;
    std::uint64_t rate = 0;
    std::uint64_t expected_end_time = 0;  // microseconds since the epoch, 0 when unknown
    bool cancelable = false;
    bool finished = false;
    bool success = false;
    std::string message;
};

// Everything exported at one moment, sorted by object path.
struct ObjectList {
    std::vector<PoolInfo> pools;
    std::vector<VolumeInfo> volumes;
    std::vector<JobInfo> jobs;
};

}  // namespace volumes::client
