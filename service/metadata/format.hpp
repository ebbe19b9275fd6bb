#pragma once

#include <cstddef>
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

inline constexpr std::uint64_t kGiB = 1024 * kMiB;
inline constexpr std::uint64_t kTiB = 1024 * kGiB;

// Limits (FORMAT.md, "Limits"). A disk is untrusted input: every length read from one is
// checked against these before anything is allocated or read, and the writer refuses to
// create what the reader would refuse.
//
// The largest byte offset pread/pwrite can address (off_t, the kernel's loff_t).
inline constexpr std::uint64_t kMaxDeviceSize = (std::uint64_t{1} << 63) - 1;
// Where the metadata area may start: room to align it to 1 MiB, as partitioning tools do.
inline constexpr std::uint64_t kMaxMetadataOffset = 1 * kMiB;
// 16 times the default area, so documents of two 32 MiB slots at most are ever read.
inline constexpr std::uint64_t kMaxMetadataSize = 64 * kMiB;
// What the bus accepts for a pool's extent size (a power of two from 1 MiB to 1 TiB).
inline constexpr std::uint64_t kMaxExtentSize = 1 * kTiB;

inline constexpr std::uint64_t kDefaultExtentSize = 4 * kMiB;
// The default area fills the space up to 4 MiB, so with 4 MiB extents data starts at 4 MiB.
inline constexpr std::uint64_t kDefaultMetadataSize = 4 * kMiB - kMetadataOffset;

// Each document slot of an area of `metadata_size` bytes: half of what follows the header
// blocks, rounded down to whole blocks.
constexpr std::uint64_t slot_size_of_area(std::uint64_t metadata_size)
{
    return metadata_size < kSlotsOffset ? 0 : (metadata_size - kSlotsOffset) / 2 / kBlockSize * kBlockSize;
}

inline constexpr std::uint64_t kMaxSlotSize = slot_size_of_area(kMaxMetadataSize);  // 32 MiB - 4 KiB
// A document is never longer than the slot that holds it.
inline constexpr std::uint64_t kMaxDocumentSize = kMaxSlotSize;
// JSON nesting of a document, envelope included. A pool document nests 8 deep (envelope,
// pool, volumes, volume, legs, leg, extent map, run); past the limit decoding refuses the
// text before building a tree deep enough to exhaust the stack when walked recursively.
inline constexpr std::size_t kMaxDocumentDepth = 64;

static_assert(slot_size_of_area(kDefaultMetadataSize) < kMaxSlotSize);
static_assert(kMaxSlotSize == 32 * kMiB - 4 * kKiB);

}  // namespace volumes::metadata
