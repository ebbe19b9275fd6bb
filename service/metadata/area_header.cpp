#include "service/metadata/area_header.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/core.h>

#include "service/metadata/byte_order.hpp"
#include "service/metadata/checksum.hpp"

namespace volumes::metadata {

namespace {

// Header sector fields (FORMAT.md).
constexpr char kMagic[8] = {'V', 'O', 'L', 'S', 'D', 'M', 'D', 'H'};
constexpr std::size_t kVersionAt = 8;
constexpr std::size_t kFlagsAt = 12;
constexpr std::size_t kPoolUuidAt = 16;
constexpr std::size_t kMemberUuidAt = 32;
constexpr std::size_t kGenerationAt = 48;
constexpr std::size_t kCommittedAt = 56;
constexpr std::size_t kPrecommittedAt = 88;
constexpr std::size_t kCrcAt = kSectorSize - 4;

// Within a pointer.
constexpr std::size_t kSlotAt = 0;
constexpr std::size_t kDocumentCrcAt = 4;
constexpr std::size_t kOffsetAt = 8;
constexpr std::size_t kLengthAt = 16;
constexpr std::size_t kSeqAt = 24;

constexpr std::uint32_t kHasCommitted = 1u << 0;
constexpr std::uint32_t kHasPrecommitted = 1u << 1;
constexpr std::uint32_t kKnownFlags = kHasCommitted | kHasPrecommitted;

void put_pointer(HeaderSector& sector, std::size_t at, const CopyPointer& pointer)
{
    put_le32(sector, at + kSlotAt, pointer.slot);
    put_le32(sector, at + kDocumentCrcAt, pointer.crc);
    put_le64(sector, at + kOffsetAt, pointer.offset);
    put_le64(sector, at + kLengthAt, pointer.length);
    put_le64(sector, at + kSeqAt, pointer.seq);
}

CopyPointer get_pointer(std::span<const std::uint8_t> sector, std::size_t at)
{
    CopyPointer pointer;
    pointer.slot = get_le32(sector, at + kSlotAt);
    pointer.crc = get_le32(sector, at + kDocumentCrcAt);
    pointer.offset = get_le64(sector, at + kOffsetAt);
    pointer.length = get_le64(sector, at + kLengthAt);
    pointer.seq = get_le64(sector, at + kSeqAt);
    return pointer;
}

}  // namespace

HeaderSector encode_header(const AreaHeader& header)
{
    HeaderSector sector{};
    std::memcpy(sector.data(), kMagic, sizeof kMagic);
    put_le32(sector, kVersionAt, kFormatVersion);
    std::uint32_t flags = 0;
    if (header.committed) {
        flags |= kHasCommitted;
        put_pointer(sector, kCommittedAt, *header.committed);
    }
    if (header.precommitted) {
        flags |= kHasPrecommitted;
        put_pointer(sector, kPrecommittedAt, *header.precommitted);
    }
    put_le32(sector, kFlagsAt, flags);
    std::copy(header.pool_uuid.bytes.begin(), header.pool_uuid.bytes.end(), sector.begin() + kPoolUuidAt);
    std::copy(header.member_uuid.bytes.begin(), header.member_uuid.bytes.end(), sector.begin() + kMemberUuidAt);
    put_le64(sector, kGenerationAt, header.generation);
    put_le32(sector, kCrcAt, crc32_of(std::span(sector).first(kCrcAt)));
    return sector;
}

Result<AreaHeader> decode_header(std::span<const std::uint8_t, kSectorSize> sector)
{
    if (std::memcmp(sector.data(), kMagic, sizeof kMagic) != 0)
        return fail(ErrorCode::NotFound, "no metadata header");
    const auto stored_crc = get_le32(sector, kCrcAt);
    const auto actual_crc = crc32_of(sector.first(kCrcAt));
    if (stored_crc != actual_crc)
        return fail(ErrorCode::Corrupt,
                    fmt::format("checksum does not match (stored {:08x}, computed {:08x})", stored_crc, actual_crc));
    const auto version = get_le32(sector, kVersionAt);
    if (version > kFormatVersion)
        return fail(ErrorCode::Unsupported, fmt::format("format version {}; this volumesd reads up to {}", version, kFormatVersion));
    if (version == 0)
        return fail(ErrorCode::Corrupt, "format version 0");
    const auto flags = get_le32(sector, kFlagsAt);
    if ((flags & ~kKnownFlags) != 0)
        return fail(ErrorCode::Corrupt, fmt::format("unknown flags {:#x}", flags));

    AreaHeader header;
    std::copy_n(sector.begin() + kPoolUuidAt, header.pool_uuid.bytes.size(), header.pool_uuid.bytes.begin());
    std::copy_n(sector.begin() + kMemberUuidAt, header.member_uuid.bytes.size(), header.member_uuid.bytes.begin());
    header.generation = get_le64(sector, kGenerationAt);
    if (flags & kHasCommitted)
        header.committed = get_pointer(sector, kCommittedAt);
    if (flags & kHasPrecommitted)
        header.precommitted = get_pointer(sector, kPrecommittedAt);
    return header;
}

}  // namespace volumes::metadata
