#pragma once

#include <cstdint>

// The on-disk format of a pool member, version 1 (FORMAT.md has every field). Integers are
// little-endian, offsets and sizes are bytes.
//
//   0             untouched: boot code, partition tables and other tools' probes live here
//   4 KiB         member label: one 512-byte sector with its own crc32
//   8 KiB         metadata area (label.metadata_offset, label.metadata_size)
//     +0            header sector 0  (512 bytes, alone in its 4 KiB block)
//     +4 KiB        header sector 1
//     +8 KiB        document slot 0, then slot 1, each (metadata_size - 8 KiB) / 2 rounded
//                   down to 4 KiB
//   data_start    extent 0, extent 1, ... (data_start is a multiple of extent_size)
//
// The two header sectors sit in separate 4 KiB blocks so that a torn write on a 4Kn device,
// which can destroy a whole physical sector, never takes both.

namespace volumes::metadata {

inline constexpr std::uint32_t kFormatVersion = 1;

inline constexpr std::uint64_t kKiB = 1024;
inline constexpr std::uint64_t kMiB = 1024 * kKiB;

inline constexpr std::uint64_t kSectorSize = 512;
inline constexpr std::uint64_t kBlockSize = 4 * kKiB;  // alignment of everything below

inline constexpr std::uint64_t kLabelOffset = 4 * kKiB;
inline constexpr std::uint64_t kMetadataOffset = 8 * kKiB;

// Relative to the start of the metadata area.
inline constexpr std::uint64_t kHeaderOffsets[2] = {0, 4 * kKiB};
inline constexpr std::uint64_t kSlotsOffset = 8 * kKiB;
inline constexpr std::uint64_t kMinMetadataSize = kSlotsOffset + 2 * kBlockSize;

inline constexpr std::uint64_t kDefaultExtentSize = 4 * kMiB;
// The default area fills the space up to 4 MiB, so with 4 MiB extents data starts at 4 MiB.
inline constexpr std::uint64_t kDefaultMetadataSize = 4 * kMiB - kMetadataOffset;

}  // namespace volumes::metadata
