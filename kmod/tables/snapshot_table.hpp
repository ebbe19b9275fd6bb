#pragma once

#include <cstdint>

#include "kmod/device_number.hpp"
#include "kmod/error.hpp"
#include "kmod/table_line.hpp"

namespace volumes::kmod {

// The exception store of a snapshot's COW device.
enum class SnapshotStore {
    Persistent,          // "P"
    PersistentOverflow,  // "PO": persistent, and userspace understands the "Overflow" status
    Transient,           // "N": not for snapshot-merge
};

// The chunk sizes the builders accept, in sectors: a power of 2 from 4 KiB (a multiple of any
// logical block size up to 4096 bytes, which dm-exception-store requires) up to 1 GiB (the
// largest power of 2 within its INT_MAX >> SECTOR_SHIFT limit). The kernel would also take 0
// with an existing persistent store and read the size from its header; these builders always
// name it.
inline constexpr std::uint32_t min_snapshot_chunk_sectors = 8;
inline constexpr std::uint32_t max_snapshot_chunk_sectors = 1u << 21;

// A snapshot or snapshot-merge table (snapshot.rst, dm-snap.c snapshot_ctr).
struct SnapshotTable {
    std::uint64_t length = 0;
    DeviceNumber origin;  // lvm's "-real" device, not the visible origin
    DeviceNumber cow;
    SnapshotStore store = SnapshotStore::Persistent;
    std::uint32_t chunk_size = 0;  // sectors
    bool discard_zeroes_cow = false;
    bool discard_passdown_origin = false;  // needs discard_zeroes_cow
};

// "0 <length> snapshot-origin <origin>"
Result<TableLine> snapshot_origin_table_line(std::uint64_t length, DeviceNumber origin);

// "0 <length> snapshot <origin> <cow> <P|PO|N> <chunk_size> [<#features> <features>...]"
Result<TableLine> snapshot_table_line(const SnapshotTable& table);

// The same parameters as a snapshot, target "snapshot-merge"; persistent stores only.
Result<TableLine> snapshot_merge_table_line(const SnapshotTable& table);

}  // namespace volumes::kmod
