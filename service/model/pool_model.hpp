#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "service/metadata/uuid.hpp"

// The pool model: what one pool's metadata document describes (the "pool" object of the
// envelope in service/metadata/document.hpp). Sizes are bytes unless a name says sectors or
// extents; extents are the pool's fixed allocation unit.
namespace volumes::model {

using metadata::Uuid;

// `count` extents of one member, from extent `start` of its data area.
struct ExtentRun {
    Uuid member;
    std::uint64_t start = 0;
    std::uint64_t count = 0;
    bool operator==(const ExtentRun&) const = default;
};

// The extents of one linear mapping, laid end to end in this order.
using ExtentMap = std::vector<ExtentRun>;

struct LinearLayout {
    ExtentMap data;
    bool operator==(const LinearLayout&) const = default;
};

// One slot of a raid1 array: its metadata sub-volume (rmeta, one extent) and its image
// (rimage). Both live on one member, and no two legs of an array share a member.
struct Raid1Leg {
    ExtentMap meta;
    ExtentMap data;
    // The uuid of the TrackedImage volume this leg is split off as; the array then loads the
    // slot as "- -" and the write-intent bitmap records what changes until it is merged back.
    std::optional<Uuid> tracked_image;
    // The leg is a replacement being rebuilt from the others (Raid1.Repair): its rmeta was
    // zeroed, so the array loads the slot with "rebuild <slot>" until the kernel shows it in
    // sync, and a second transaction then clears this (a reload keeping "rebuild" would copy
    // the whole leg again).
    bool rebuilding = false;
    bool operator==(const Raid1Leg&) const = default;
};

struct Raid1Layout {
    std::uint64_t region_size = 0;  // write-intent bitmap region, bytes, a power of two
    std::vector<Raid1Leg> legs;
    bool operator==(const Raid1Layout&) const = default;
};

// A raid1 leg split off read-only while the array tracks changes. Its data is the leg's
// `data` extents; it owns no extents of its own.
struct TrackedImageLayout {
    Uuid array;
    std::uint32_t slot = 0;
    bool operator==(const TrackedImageLayout&) const = default;
};

// When a thin pool's data or metadata, or a CoW snapshot's COW, grows on its own: once its
// usage reaches `threshold_percent` of its size, by `step_percent` of its size (at least one
// extent) from the pool's free extents. A threshold of 100 turns it off, as in lvm2.
struct AutoextendPolicy {
    std::uint32_t threshold_percent = 80;
    std::uint32_t step_percent = 20;
    bool operator==(const AutoextendPolicy&) const = default;
};

enum class SnapshotMergeState {
    None,
    Pending,  // recorded while the origin or the snapshot was open; starts at the next activation
    Merging,  // the origin carries snapshot-merge; the snapshot has no device of its own
    Failed,   // the kernel reported "Merge failed"; nothing further was destroyed
};

// A CoW snapshot of a linear or raid1 origin. While an origin has snapshots its own table
// moves to a "real" sub-device and its visible device becomes snapshot-origin.
struct SnapshotLayout {
    Uuid origin;
    ExtentMap cow;
    std::uint32_t chunk_size = 0;  // bytes, a power of two from 4 KiB
    SnapshotMergeState merge = SnapshotMergeState::None;
    std::optional<AutoextendPolicy> autoextend;  // unset: the pool's snapshot_autoextend
    bool operator==(const SnapshotLayout&) const = default;
};

// A dm-thin pool over a metadata (tmeta) and a data (tdata) sub-volume. The visible device
// is the thin-pool target itself.
struct ThinPoolLayout {
    ExtentMap meta;
    ExtentMap data;
    std::uint32_t block_size = 0;         // bytes, a multiple of 64 KiB
    std::uint64_t low_water_blocks = 0;   // free data blocks below which the pool raises an event
    bool error_if_no_space = false;
    std::uint64_t transaction_id = 0;     // the one committed together with this document
    std::optional<std::uint64_t> held_metadata_root;  // set while a metadata snapshot is reserved
    std::uint32_t next_thin_id = 0;       // the thin device id the next thin volume gets
    std::optional<AutoextendPolicy> autoextend;  // unset: the pool's thin_pool_autoextend
    bool operator==(const ThinPoolLayout&) const = default;
};

struct ThinLayout {
    Uuid pool;
    std::uint32_t thin_id = 0;
    std::optional<std::uint32_t> origin_thin_id;  // set for a thin snapshot
    std::uint64_t virtual_size = 0;               // bytes, a multiple of 512
    bool operator==(const ThinLayout&) const = default;
};

using VolumeLayout =
    std::variant<LinearLayout, Raid1Layout, TrackedImageLayout, SnapshotLayout, ThinPoolLayout, ThinLayout>;

struct Volume {
    Uuid uuid;
    std::string name;
    // Whether its devices should exist: activation and deactivation are transactions too, and
    // start-up activates what the committed metadata says is active.
    bool active = true;
    VolumeLayout layout;
    bool operator==(const Volume&) const = default;
};

struct Member {
    Uuid uuid;
    std::uint64_t extent_count = 0;
    // A commit could not write it (or it was missing at a commit): the other members carry on
    // without it. Its raid1 legs run as "- -", nothing new is allocated on it, and its own
    // document is never read again until it is re-added (present again at start-up or at an
    // Activate), which clears this.
    bool failed = false;
    bool operator==(const Member&) const = default;
};

// One run of a volume's extents being copied to other members (Pool.EvacuateMember, as lvm2's
// pvmove): `from` is a run of the volume's maps exactly as it stands there, `to` its destination
// (as many extents, none on the member being emptied). While the move lasts the volume's tables
// map `from` through a temporary raid1 of the two, which copies `from` to `to` and writes to both.
struct MovedRun {
    Uuid volume;
    ExtentRun from;
    ExtentMap to;
    bool operator==(const MovedRun&) const = default;
};

// Every extent of `member` being copied off it. The destinations are the pool's (the allocator
// never gives them away) until the move is finished (the maps name them instead of the runs
// moved) or cancelled (they are free again and nothing else changed).
struct ExtentMove {
    Uuid member;
    bool remove_member = false;  // the member leaves the pool once it is empty
    // The copies run: the temporary raid1s load with "rebuild 1". The move's first commit
    // leaves it false, so the raid1s come up with nothing to copy and every write already goes
    // through them (to both legs) before a second commit starts the copies: a copy started
    // while the volume's table still mapped the member would miss the writes made meanwhile.
    bool copying = false;
    // dm-raid's max_recovery_rate for the copies, KiB/s per copy; unset: md's default pace.
    std::optional<std::uint32_t> max_rate_kibs;
    std::vector<MovedRun> runs;
    bool operator==(const ExtentMove&) const = default;
};

struct Pool {
    Uuid uuid;
    std::string name;
    // The host that owns the pool: its systemd machine-id (32 lower-case hex digits), recorded at
    // creation and rewritten by an import. Empty in a document that names no owner.
    std::string owner;
    std::uint64_t extent_size = 0;  // bytes, equal to every member label's
    std::vector<Member> members;
    std::vector<Volume> volumes;
    // The autoextend policy of the pool's thin pools and CoW snapshots that set none of their
    // own; unset: AutoextendPolicy's defaults.
    std::optional<AutoextendPolicy> thin_pool_autoextend;
    std::optional<AutoextendPolicy> snapshot_autoextend;
    // Set while extents are being moved off a member; written only then.
    std::optional<ExtentMove> extent_move;
    bool operator==(const Pool&) const = default;
};

}  // namespace volumes::model
