// The metadata area reads no more than kMaxSlotSize bytes, whatever its label or its header
// pointers claim: the largest slot is read whole, anything larger is refused before a byte is
// allocated for it.
#include <string>

#include <gtest/gtest.h>

#include "allocation_probe.hpp"
#include "expect_result.hpp"
#include "memory_device.hpp"
#include "raw_label.hpp"
#include "service/metadata/area_header.hpp"
#include "service/metadata/metadata_area.hpp"
#include "uuid_of.hpp"

namespace volumes::metadata {
namespace {

using testing::fails_with;
using testing::succeeded;

constexpr std::uint64_t kExtent = 4 * kMiB;

Label label_with_area(std::uint64_t metadata_size)
{
    Label label;
    label.pool_uuid = uuid_of(0x11);
    label.member_uuid = uuid_of(0x22);
    label.metadata_offset = kMetadataOffset;
    label.metadata_size = metadata_size;
    label.extent_size = kExtent;
    label.data_start = (kMetadataOffset + metadata_size + kExtent - 1) / kExtent * kExtent;
    label.device_size = label.data_start + kExtent;
    return label;
}

void write_header(int fd, const Label& label, int sector, const AreaHeader& header)
{
    const auto bytes = encode_header(header);
    const auto at = static_cast<off_t>(label.metadata_offset + kHeaderOffsets[sector]);
    ASSERT_EQ(::pwrite(fd, bytes.data(), bytes.size(), at), static_cast<ssize_t>(bytes.size()));
}

AreaHeader header_pointing_at(const Label& label, std::uint64_t length)
{
    AreaHeader header;
    header.pool_uuid = label.pool_uuid;
    header.member_uuid = label.member_uuid;
    header.generation = 2;
    header.committed = CopyPointer{.slot = 0, .offset = kSlotsOffset, .length = length, .seq = 1, .crc = 0};
    return header;
}

TEST(AreaLimits, TheLargestSlotIsReadWhole)
{
    const auto label = label_with_area(kMaxMetadataSize);
    MemoryDevice device(label.device_size);
    ASSERT_TRUE(succeeded(write_label(device.fd(), label)));
    auto area = MetadataArea::format(device.fd(), label);
    ASSERT_TRUE(succeeded(area));
    ASSERT_EQ(area->slot_size(), kMaxSlotSize);

    EXPECT_TRUE(fails_with(area->write_precommitted(std::string(kMaxSlotSize + 1, 'x'), 1), ErrorCode::NoSpace));
    ASSERT_TRUE(succeeded(area->write_precommitted(std::string(kMaxSlotSize, 'x'), 1)));
    ASSERT_TRUE(succeeded(area->commit()));

    allocation_probe::reset();
    const auto reopened = MetadataArea::open(device.fd(), label);
    ASSERT_TRUE(succeeded(reopened));
    const auto copy = reopened->read_committed();
    ASSERT_TRUE(succeeded(copy));
    EXPECT_EQ(copy->bytes.size(), kMaxSlotSize);
    EXPECT_GE(allocation_probe::largest(), kMaxSlotSize);
    EXPECT_LE(allocation_probe::largest(), kMaxSlotSize + 1);  // std::string's terminator
}

TEST(AreaLimits, APointerPastTheLargestSlotIsCorrupt)
{
    const auto label = label_with_area(kMaxMetadataSize);
    MemoryDevice device(label.device_size);
    ASSERT_TRUE(succeeded(write_label(device.fd(), label)));
    ASSERT_TRUE(succeeded(MetadataArea::format(device.fd(), label)));
    write_header(device.fd(), label, 0, header_pointing_at(label, kMaxSlotSize + 1));

    allocation_probe::reset();
    EXPECT_TRUE(fails_with(MetadataArea::open(device.fd(), label), ErrorCode::Corrupt));
    EXPECT_LT(allocation_probe::largest(), 1 * kMiB);
}

// Issue 17: a 1 TiB area whose header points at a 500 GiB document, on a device that really
// is that large. Start-up threw std::bad_alloc.
TEST(AreaLimits, ATebibyteAreaIsRefusedWithoutAllocating)
{
    const auto label = label_with_area(1 * kTiB);
    MemoryDevice device(label.device_size);
    write_raw_label(device.fd(), label);
    write_header(device.fd(), label, 0, header_pointing_at(label, 500 * kGiB));

    allocation_probe::reset();
    Result<Label> read = fail(ErrorCode::Io, "not read");
    EXPECT_NO_THROW(read = read_label(device.fd()));
    EXPECT_TRUE(fails_with(read, ErrorCode::Corrupt));

    // A caller holding such a label some other way gets no further.
    Result<MetadataArea> area = fail(ErrorCode::Io, "not opened");
    EXPECT_NO_THROW(area = MetadataArea::open(device.fd(), label));
    EXPECT_TRUE(fails_with(area, ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(MetadataArea::format(device.fd(), label), ErrorCode::InvalidArgument));
    EXPECT_LT(allocation_probe::largest(), 1 * kMiB);
}

}  // namespace
}  // namespace volumes::metadata
