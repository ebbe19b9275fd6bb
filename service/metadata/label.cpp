#include "service/metadata/label.hpp"

#include <array>
#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

#include <fmt/core.h>

#include "service/metadata/block_io.hpp"
#include "service/metadata/byte_order.hpp"
#include "service/metadata/checksum.hpp"

namespace volumes::metadata {

namespace {

// Label sector fields (FORMAT.md).
constexpr char kMagic[8] = {'V', 'O', 'L', 'S', 'D', 'L', 'B', 'L'};
constexpr std::size_t kVersionAt = 8;
constexpr std::size_t kPoolUuidAt = 16;
constexpr std::size_t kMemberUuidAt = 32;
constexpr std::size_t kDeviceSizeAt = 48;
constexpr std::size_t kMetadataOffsetAt = 56;
constexpr std::size_t kMetadataSizeAt = 64;
constexpr std::size_t kDataStartAt = 72;
constexpr std::size_t kExtentSizeAt = 80;
constexpr std::size_t kCrcAt = kSectorSize - 4;

using Sector = std::array<std::uint8_t, kSectorSize>;

bool is_block_multiple(std::uint64_t value)
{
    return value % kBlockSize == 0;
}

std::uint64_t round_up(std::uint64_t value, std::uint64_t multiple)
{
    return (value + multiple - 1) / multiple * multiple;
}

std::optional<std::string> extent_size_problem(std::uint64_t extent_size)
{
    if (extent_size == 0 || !is_block_multiple(extent_size) || extent_size > kMaxExtentSize)
        return fmt::format("extent size {} is not a multiple of {} bytes from {} to {} (the format's limit)", extent_size,
                           kBlockSize, kBlockSize, kMaxExtentSize);
    return std::nullopt;
}

std::optional<std::string> metadata_size_problem(std::uint64_t metadata_size)
{
    if (metadata_size < kMinMetadataSize || !is_block_multiple(metadata_size) || metadata_size > kMaxMetadataSize)
        return fmt::format("metadata area size {} is not a multiple of {} bytes from {} to {} (the format's limit)",
                           metadata_size, kBlockSize, kMinMetadataSize, kMaxMetadataSize);
    return std::nullopt;
}

std::optional<std::string> device_size_problem(std::uint64_t device_size)
{
    if (device_size > kMaxDeviceSize)
        return fmt::format("device size {} is above the format's limit of {} bytes", device_size, kMaxDeviceSize);
    return std::nullopt;
}

// What is wrong with a label's layout, if anything. Both the writer and the reader check it,
// so a label on disk always describes an area and at least one extent inside the device.
// Every field is checked against its limit first, so the sums below cannot overflow.
std::optional<std::string> layout_problem(const Label& label)
{
    if (label.pool_uuid.is_nil() || label.member_uuid.is_nil())
        return "the pool and member uuids must not be nil";
    if (auto problem = device_size_problem(label.device_size))
        return problem;
    if (auto problem = extent_size_problem(label.extent_size))
        return problem;
    if (label.metadata_offset < kMetadataOffset || !is_block_multiple(label.metadata_offset) ||
        label.metadata_offset > kMaxMetadataOffset)
        return fmt::format("metadata area offset {} is not a multiple of {} bytes from {} to {} (the format's limit)",
                           label.metadata_offset, kBlockSize, kMetadataOffset, kMaxMetadataOffset);
    if (auto problem = metadata_size_problem(label.metadata_size))
        return problem;
    const auto metadata_end = label.metadata_offset + label.metadata_size;
    const auto first_extent = round_up(metadata_end, label.extent_size);
    if (label.data_start != first_extent)
        return fmt::format("data area start {} is not {}, the first multiple of the extent size {} at or after the end "
                           "of the metadata area ({} bytes at {})",
                           label.data_start, first_extent, label.extent_size, label.metadata_size, label.metadata_offset);
    if (label.data_start > label.device_size || label.device_size - label.data_start < label.extent_size)
        return fmt::format("a {}-byte device has no room for one {}-byte extent from {}", label.device_size,
                           label.extent_size, label.data_start);
    return std::nullopt;
}

void put_uuid(Sector& sector, std::size_t at, const Uuid& uuid)
{
    std::copy(uuid.bytes.begin(), uuid.bytes.end(), sector.begin() + static_cast<std::ptrdiff_t>(at));
}

Uuid get_uuid(const Sector& sector, std::size_t at)
{
    Uuid uuid;
    std::copy_n(sector.begin() + static_cast<std::ptrdiff_t>(at), uuid.bytes.size(), uuid.bytes.begin());
    return uuid;
}

Sector encode(const Label& label)
{
    Sector sector{};
    std::memcpy(sector.data(), kMagic, sizeof kMagic);
    put_le32(sector, kVersionAt, kFormatVersion);
    put_uuid(sector, kPoolUuidAt, label.pool_uuid);
    put_uuid(sector, kMemberUuidAt, label.member_uuid);
    put_le64(sector, kDeviceSizeAt, label.device_size);
    put_le64(sector, kMetadataOffsetAt, label.metadata_offset);
    put_le64(sector, kMetadataSizeAt, label.metadata_size);
    put_le64(sector, kDataStartAt, label.data_start);
    put_le64(sector, kExtentSizeAt, label.extent_size);
    put_le32(sector, kCrcAt, crc32_of(std::span(sector).first(kCrcAt)));
    return sector;
}

Result<Label> decode(const Sector& sector)
{
    if (std::memcmp(sector.data(), kMagic, sizeof kMagic) != 0)
        return fail(ErrorCode::NotFound, "no volumesd member label");
    const auto stored_crc = get_le32(sector, kCrcAt);
    const auto actual_crc = crc32_of(std::span(sector).first(kCrcAt));
    if (stored_crc != actual_crc)
        return fail(ErrorCode::Corrupt, fmt::format("the member label's checksum does not match (stored {:08x}, computed {:08x})",
                                                    stored_crc, actual_crc));
    const auto version = get_le32(sector, kVersionAt);
    if (version > kFormatVersion)
        return fail(ErrorCode::Unsupported,
                    fmt::format("the member label has format version {}; this volumesd reads up to {}", version, kFormatVersion));
    if (version == 0)
        return fail(ErrorCode::Corrupt, "the member label has format version 0");
    Label label;
    label.pool_uuid = get_uuid(sector, kPoolUuidAt);
    label.member_uuid = get_uuid(sector, kMemberUuidAt);
    label.device_size = get_le64(sector, kDeviceSizeAt);
    label.metadata_offset = get_le64(sector, kMetadataOffsetAt);
    label.metadata_size = get_le64(sector, kMetadataSizeAt);
    label.data_start = get_le64(sector, kDataStartAt);
    label.extent_size = get_le64(sector, kExtentSizeAt);
    if (const auto problem = layout_problem(label))
        return fail(ErrorCode::Corrupt, fmt::format("the member label's layout is impossible: {}", *problem));
    return label;
}

}  // namespace

Result<Label> plan_label(const Uuid& pool_uuid, const Uuid& member_uuid, std::uint64_t device_size,
                         std::uint64_t extent_size, std::uint64_t metadata_size)
{
    if (auto problem = extent_size_problem(extent_size))
        return fail(ErrorCode::InvalidArgument, *problem);
    if (auto problem = metadata_size_problem(metadata_size))
        return fail(ErrorCode::InvalidArgument, *problem);
    if (auto problem = device_size_problem(device_size))
        return fail(ErrorCode::InvalidArgument, *problem);
    if (pool_uuid.is_nil() || member_uuid.is_nil())
        return fail(ErrorCode::InvalidArgument, "the pool and member uuids must not be nil");

    // No overflow below: the metadata area ends before 64 MiB + 8 KiB and an extent is at most
    // 1 TiB, so data_start + extent_size stays far below 2^64.
    const auto metadata_end = kMetadataOffset + metadata_size;
    const auto data_start = round_up(metadata_end, extent_size);
    if (data_start > device_size || device_size - data_start < extent_size)
        return fail(ErrorCode::NoSpace,
                    fmt::format("a {}-byte device has no room for a {}-byte metadata area and one {}-byte extent",
                                device_size, metadata_size, extent_size));

    Label label;
    label.pool_uuid = pool_uuid;
    label.member_uuid = member_uuid;
    label.device_size = device_size;
    label.metadata_offset = kMetadataOffset;
    label.metadata_size = metadata_size;
    label.data_start = data_start;
    label.extent_size = extent_size;
    return label;
}

Result<void> check_label_layout(const Label& label)
{
    if (const auto problem = layout_problem(label))
        return fail(ErrorCode::InvalidArgument, fmt::format("not a valid member label: {}", *problem));
    return {};
}

Result<void> write_label(int fd, const Label& label)
{
    if (auto valid = check_label_layout(label); !valid)
        return valid;
    const auto size = device_size(fd);
    if (!size)
        return std::unexpected(size.error());
    if (*size < label.device_size)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("the device has {} bytes, fewer than the {} its label would describe", *size, label.device_size));
    const auto sector = encode(label);
    if (auto written = write_exact(fd, kLabelOffset, sector); !written)
        return written;
    return flush(fd);
}

Result<Label> read_label(int fd)
{
    Sector sector{};
    const auto got = read_up_to(fd, kLabelOffset, sector);
    if (!got)
        return std::unexpected(got.error());
    if (*got != sector.size())
        return fail(ErrorCode::NotFound, "the device is too small to carry a volumesd member label");
    auto label = decode(sector);
    if (!label)
        return label;
    const auto size = device_size(fd);
    if (!size)
        return std::unexpected(size.error());
    if (*size < label->device_size)
        return fail(ErrorCode::Corrupt,
                    fmt::format("member {} of pool {} has {} bytes but its label says {}: the device shrank or the label "
                                "was copied from a larger one",
                                label->member_uuid.to_string(), label->pool_uuid.to_string(), *size, label->device_size));
    return label;
}

Result<void> erase_label(int fd)
{
    const Sector zeros{};
    if (auto written = write_exact(fd, kLabelOffset, zeros); !written)
        return written;
    return flush(fd);
}

}  // namespace volumes::metadata
