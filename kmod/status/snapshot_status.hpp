#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "kmod/error.hpp"

namespace volumes::kmod {

enum class SnapshotState {
    Active,       // usage counts follow
    Invalid,      // the snapshot was dropped (COW full, I/O error)
    MergeFailed,  // snapshot-merge stopped on an error
    Overflow,     // the COW is full; only reported with the PO store
    Unknown,      // the exception store reports no usage
};

// The INFO status of a snapshot or snapshot-merge target (dm-snap.c snapshot_status):
// "<allocated>/<total> <metadata>" (older kernels omit <metadata>), "Invalid", "Merge failed",
// "Overflow" or "Unknown". All counts are sectors and include the COW's metadata.
// snapshot-origin reports an empty status, which this parser rejects.
struct SnapshotStatus {
    SnapshotState state = SnapshotState::Active;
    std::uint64_t allocated_sectors = 0;
    std::uint64_t total_sectors = 0;
    std::optional<std::uint64_t> metadata_sectors;

    bool has_metadata_sectors() const { return metadata_sectors.has_value(); }

    // A snapshot-merge has copied every chunk back: only the metadata is still allocated
    // (lvm's _snap_target_percent; snapshot.rst "16/2097152 16").
    bool merge_finished() const
    {
        return state == SnapshotState::Active && metadata_sectors && allocated_sectors == *metadata_sectors;
    }
};

Result<SnapshotStatus> parse_snapshot_status(std::string_view params);

}  // namespace volumes::kmod
