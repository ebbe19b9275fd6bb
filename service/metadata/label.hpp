#pragma once

#include <cstdint>

#include "service/metadata/format.hpp"
#include "service/metadata/metadata_error.hpp"
#include "service/metadata/uuid.hpp"

namespace volumes::metadata {

// The member label at kLabelOffset: which pool a device belongs to and where its metadata
// area and its extents are.
struct Label {
    Uuid pool_uuid;
    Uuid member_uuid;
    std::uint64_t device_size = 0;      // of the device when the label was written
    std::uint64_t metadata_offset = 0;  // from the start of the device
    std::uint64_t metadata_size = 0;
    std::uint64_t data_start = 0;  // first byte of extent 0, a multiple of extent_size
    std::uint64_t extent_size = 0;

    std::uint64_t extent_count() const { return (device_size - data_start) / extent_size; }

    bool operator==(const Label&) const = default;
};

// The label of a new member: the metadata area at kMetadataOffset and the data area from the
// first extent boundary after it. InvalidArgument for sizes not in whole 4 KiB blocks, an
// area below kMinMetadataSize, or a size above its limit (format.hpp), NoSpace when the device
// cannot hold a single extent.
Result<Label> plan_label(const Uuid& pool_uuid, const Uuid& member_uuid, std::uint64_t device_size,
                         std::uint64_t extent_size = kDefaultExtentSize,
                         std::uint64_t metadata_size = kDefaultMetadataSize);

// InvalidArgument, naming the field and its limit, unless read_label would accept the label:
// every size within its limit (format.hpp), the area and one extent inside the device, and
// data_start the first extent boundary at or after the end of the area.
Result<void> check_label_layout(const Label& label);

// Writes the label sector and flushes it. InvalidArgument if the label's layout is not one
// read_label accepts or the device is smaller than label.device_size.
Result<void> write_label(int fd, const Label& label);

// NotFound: no label magic (the device is not a pool member). Corrupt: the magic is there but
// the checksum or the layout is wrong (a size above its limit included), or the device is
// smaller than the label says.
// Unsupported: a label of a newer format version.
Result<Label> read_label(int fd);

// Zeroes the label sector, so the device is no longer recognized as a member.
Result<void> erase_label(int fd);

}  // namespace volumes::metadata
