#include "service/metadata/label.hpp"

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "service/metadata/byte_order.hpp"
#include "service/metadata/checksum.hpp"
#include "temp_device.hpp"
#include "uuid_of.hpp"

namespace volumes::metadata {
namespace {

using testing::fails_with;
using testing::succeeded;

constexpr std::uint64_t kDeviceSize = 64 * kMiB;

Label planned(std::uint64_t device_size = kDeviceSize)
{
    auto label = plan_label(uuid_of(0x11), uuid_of(0x22), device_size);
    EXPECT_TRUE(succeeded(label));
    return label.value_or(Label{});
}

TEST(Label, DefaultLayoutStartsDataAtTheFirstExtentAfterTheArea)
{
    const auto label = planned();
    EXPECT_EQ(label.metadata_offset, 8 * kKiB);
    EXPECT_EQ(label.metadata_size, 4 * kMiB - 8 * kKiB);
    EXPECT_EQ(label.extent_size, 4 * kMiB);
    EXPECT_EQ(label.data_start, 4 * kMiB);
    EXPECT_EQ(label.extent_count(), 15u);
    EXPECT_EQ(label.device_size, kDeviceSize);
}

TEST(Label, DataStartIsAlignedToAnyExtentSize)
{
    const auto small = plan_label(uuid_of(1), uuid_of(2), kDeviceSize, 1 * kMiB, kMinMetadataSize);
    ASSERT_TRUE(succeeded(small));
    EXPECT_EQ(small->data_start, 1 * kMiB);
    EXPECT_EQ(small->extent_count(), 63u);

    const auto odd = plan_label(uuid_of(1), uuid_of(2), kDeviceSize, 12 * kKiB, kMinMetadataSize);
    ASSERT_TRUE(succeeded(odd));
    EXPECT_EQ(odd->data_start, 24 * kKiB);  // 8 KiB + 16 KiB area, already on a 12 KiB boundary

    const auto big_area = plan_label(uuid_of(1), uuid_of(2), kDeviceSize, 4 * kMiB, 4 * kMiB);
    ASSERT_TRUE(succeeded(big_area));
    EXPECT_EQ(big_area->data_start, 8 * kMiB);
}

TEST(Label, NeedsRoomForOneExtent)
{
    EXPECT_TRUE(succeeded(plan_label(uuid_of(1), uuid_of(2), 8 * kMiB)));
    const auto too_small = plan_label(uuid_of(1), uuid_of(2), 8 * kMiB - 1);
    EXPECT_TRUE(fails_with(too_small, ErrorCode::NoSpace));
    EXPECT_TRUE(fails_with(plan_label(uuid_of(1), uuid_of(2), 1 * kMiB), ErrorCode::NoSpace));
    EXPECT_TRUE(fails_with(plan_label(uuid_of(1), uuid_of(2), 0), ErrorCode::NoSpace));
}

TEST(Label, RefusesSizesNotInWholeBlocks)
{
    EXPECT_TRUE(fails_with(plan_label(uuid_of(1), uuid_of(2), kDeviceSize, 0), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(plan_label(uuid_of(1), uuid_of(2), kDeviceSize, 1000 * kKiB + 512), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(plan_label(uuid_of(1), uuid_of(2), kDeviceSize, 4 * kMiB, kMinMetadataSize - kBlockSize),
                           ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(plan_label(uuid_of(1), uuid_of(2), kDeviceSize, 4 * kMiB, kMinMetadataSize + 512),
                           ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(plan_label(Uuid{}, uuid_of(2), kDeviceSize), ErrorCode::InvalidArgument));
}

TEST(Label, RoundTrips)
{
    TempDevice device(kDeviceSize);
    auto label = planned();
    const auto pool_uuid = Uuid::generate();
    const auto member_uuid = Uuid::generate();
    ASSERT_TRUE(succeeded(pool_uuid));
    ASSERT_TRUE(succeeded(member_uuid));
    label.pool_uuid = *pool_uuid;
    label.member_uuid = *member_uuid;
    ASSERT_TRUE(succeeded(write_label(device.fd(), label)));
    const auto read = read_label(device.fd());
    ASSERT_TRUE(succeeded(read));
    EXPECT_EQ(*read, label);
}

TEST(Label, LeavesTheFirst4KiBAlone)
{
    TempDevice device(kDeviceSize);
    const std::vector<std::uint8_t> boot_code(4 * kKiB, 0xeb);
    device.write(0, boot_code);
    ASSERT_TRUE(succeeded(write_label(device.fd(), planned())));
    EXPECT_EQ(device.read(0, 4 * kKiB), boot_code);
    EXPECT_NE(device.read(kLabelOffset, 8), std::vector<std::uint8_t>(8, 0));
}

TEST(Label, NoMagicIsNotFound)
{
    TempDevice zeroed(kDeviceSize);
    EXPECT_TRUE(fails_with(read_label(zeroed.fd()), ErrorCode::NotFound));

    TempDevice filesystem(kDeviceSize);
    std::vector<std::uint8_t> noise(8 * kKiB);
    for (std::size_t i = 0; i < noise.size(); ++i)
        noise[i] = static_cast<std::uint8_t>(i * 7 + 3);
    filesystem.write(0, noise);
    EXPECT_TRUE(fails_with(read_label(filesystem.fd()), ErrorCode::NotFound));

    TempDevice tiny(4 * kKiB + 100);
    EXPECT_TRUE(fails_with(read_label(tiny.fd()), ErrorCode::NotFound));
}

TEST(Label, AnyFlippedBitIsCorrupt)
{
    TempDevice device(kDeviceSize);
    ASSERT_TRUE(succeeded(write_label(device.fd(), planned())));
    const auto pristine = device.read(kLabelOffset, kSectorSize);
    // Past the magic: the version, uuids, sizes, reserved bytes and the crc itself.
    for (std::uint64_t at : {8u, 20u, 40u, 50u, 70u, 85u, 300u, 509u}) {
        device.write(kLabelOffset, pristine);
        device.flip_bit(kLabelOffset + at, 3);
        EXPECT_TRUE(fails_with(read_label(device.fd()), ErrorCode::Corrupt)) << "byte " << at;
    }
}

TEST(Label, NewerFormatVersionIsUnsupported)
{
    TempDevice device(kDeviceSize);
    ASSERT_TRUE(succeeded(write_label(device.fd(), planned())));
    auto sector = device.read(kLabelOffset, kSectorSize);
    put_le32(sector, 8, kFormatVersion + 1);
    put_le32(sector, kSectorSize - 4, crc32_of(std::span(sector).first(kSectorSize - 4)));
    device.write(kLabelOffset, sector);
    EXPECT_TRUE(fails_with(read_label(device.fd()), ErrorCode::Unsupported));
}

TEST(Label, ImpossibleLayoutWithAValidChecksumIsCorrupt)
{
    TempDevice device(kDeviceSize);
    ASSERT_TRUE(succeeded(write_label(device.fd(), planned())));
    auto sector = device.read(kLabelOffset, kSectorSize);
    put_le64(sector, 72, 4 * kMiB + 512);  // data start off the extent grid
    put_le32(sector, kSectorSize - 4, crc32_of(std::span(sector).first(kSectorSize - 4)));
    device.write(kLabelOffset, sector);
    EXPECT_TRUE(fails_with(read_label(device.fd()), ErrorCode::Corrupt));
}

TEST(Label, ADeviceSmallerThanItsLabelSaysIsCorrupt)
{
    TempDevice device(kDeviceSize);
    ASSERT_TRUE(succeeded(write_label(device.fd(), planned())));
    device.resize(kDeviceSize / 2);
    EXPECT_TRUE(fails_with(read_label(device.fd()), ErrorCode::Corrupt));
}

TEST(Label, WriteRefusesALabelLargerThanTheDevice)
{
    TempDevice device(kDeviceSize);
    EXPECT_TRUE(fails_with(write_label(device.fd(), planned(2 * kDeviceSize)), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(read_label(device.fd()), ErrorCode::NotFound));
}

TEST(Label, WriteRefusesAnImpossibleLayout)
{
    TempDevice device(kDeviceSize);
    auto label = planned();
    label.data_start = label.metadata_offset;  // the data area would overlap the metadata area
    EXPECT_TRUE(fails_with(write_label(device.fd(), label), ErrorCode::InvalidArgument));
}

TEST(Label, EraseMakesTheDeviceForeign)
{
    TempDevice device(kDeviceSize);
    ASSERT_TRUE(succeeded(write_label(device.fd(), planned())));
    ASSERT_TRUE(succeeded(erase_label(device.fd())));
    EXPECT_TRUE(fails_with(read_label(device.fd()), ErrorCode::NotFound));
}

}  // namespace
}  // namespace volumes::metadata
