#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "service/metadata/format.hpp"
#include "service/metadata/metadata_error.hpp"
#include "service/metadata/uuid.hpp"

namespace volumes::metadata {

// Where one copy of the pool document is in the metadata area.
struct CopyPointer {
    std::uint32_t slot = 0;    // 0 or 1
    std::uint64_t offset = 0;  // from the start of the metadata area; the start of that slot
    std::uint64_t length = 0;  // of the document, in bytes
    std::uint64_t seq = 0;     // the document's sequence number
    std::uint32_t crc = 0;     // crc32 of the document bytes

    bool operator==(const CopyPointer&) const = default;
};

// One header sector of a metadata area. Of the two sectors, the valid one with the highest
// generation is the area's state.
struct AreaHeader {
    Uuid pool_uuid;
    Uuid member_uuid;
    std::uint64_t generation = 0;
    std::optional<CopyPointer> committed;
    std::optional<CopyPointer> precommitted;

    bool operator==(const AreaHeader&) const = default;
};

using HeaderSector = std::array<std::uint8_t, kSectorSize>;

HeaderSector encode_header(const AreaHeader& header);

// NotFound: no header magic (never written, or zeroed). Corrupt: bad checksum or flags.
// Unsupported: a newer format version. The pointers are checked against the area's geometry
// by MetadataArea, not here.
Result<AreaHeader> decode_header(std::span<const std::uint8_t, kSectorSize> sector);

}  // namespace volumes::metadata
