// Every length in a member label at its limit (format.hpp): the largest value is read back,
// one step above it is Corrupt with a message naming the field and the limit, and the writer
// refuses what the reader would.
#include <string>

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "memory_device.hpp"
#include "raw_label.hpp"
#include "service/metadata/label.hpp"
#include "uuid_of.hpp"

namespace volumes::metadata {
namespace {

using testing::fails_with;
using testing::succeeded;

// A label whose data area is the first extent boundary after the area, with room for one extent.
Label layout(std::uint64_t metadata_offset, std::uint64_t metadata_size, std::uint64_t extent_size)
{
    Label label;
    label.pool_uuid = uuid_of(0x11);
    label.member_uuid = uuid_of(0x22);
    label.metadata_offset = metadata_offset;
    label.metadata_size = metadata_size;
    label.extent_size = extent_size;
    const auto end = metadata_offset + metadata_size;
    label.data_start = (end + extent_size - 1) / extent_size * extent_size;
    label.device_size = label.data_start + extent_size;
    return label;
}

// Writes `label` raw on a device of its size and reads it back.
Result<Label> read_back(const Label& label)
{
    MemoryDevice device(label.device_size);
    write_raw_label(device.fd(), label);
    return read_label(device.fd());
}

::testing::AssertionResult corrupt_naming(const Result<Label>& result, const std::string& field, std::uint64_t limit)
{
    if (auto failed = fails_with(result, ErrorCode::Corrupt); !failed)
        return failed;
    const auto& message = result.error().message;
    if (message.find(field) == std::string::npos || message.find(std::to_string(limit)) == std::string::npos)
        return ::testing::AssertionFailure() << "the message does not name " << field << " and " << limit << ": " << message;
    return ::testing::AssertionSuccess();
}

TEST(LabelLimits, MetadataSizeUpToTheLimit)
{
    const auto largest = layout(kMetadataOffset, kMaxMetadataSize, 4 * kMiB);
    const auto read = read_back(largest);
    ASSERT_TRUE(succeeded(read));
    EXPECT_EQ(*read, largest);

    EXPECT_TRUE(corrupt_naming(read_back(layout(kMetadataOffset, kMaxMetadataSize + kBlockSize, 4 * kMiB)),
                               "metadata area size", kMaxMetadataSize));
}

TEST(LabelLimits, ExtentSizeUpToTheLimit)
{
    const auto largest = layout(kMetadataOffset, kDefaultMetadataSize, kMaxExtentSize);
    const auto read = read_back(largest);
    ASSERT_TRUE(succeeded(read));
    EXPECT_EQ(*read, largest);
    EXPECT_EQ(read->extent_count(), 1u);

    EXPECT_TRUE(corrupt_naming(read_back(layout(kMetadataOffset, kDefaultMetadataSize, kMaxExtentSize + kBlockSize)),
                               "extent size", kMaxExtentSize));
}

TEST(LabelLimits, MetadataOffsetUpToTheLimit)
{
    const auto largest = layout(kMaxMetadataOffset, kDefaultMetadataSize, 4 * kMiB);
    const auto read = read_back(largest);
    ASSERT_TRUE(succeeded(read));
    EXPECT_EQ(*read, largest);

    EXPECT_TRUE(corrupt_naming(read_back(layout(kMaxMetadataOffset + kBlockSize, kDefaultMetadataSize, 4 * kMiB)),
                               "metadata area offset", kMaxMetadataOffset));
}

TEST(LabelLimits, DataStartIsTheFirstExtentAfterTheArea)
{
    auto label = layout(kMetadataOffset, kDefaultMetadataSize, 4 * kMiB);
    ASSERT_TRUE(succeeded(read_back(label)));
    const auto first = label.data_start;
    label.data_start = first + label.extent_size;  // on the grid, inside the device, one extent late
    label.device_size = label.data_start + label.extent_size;
    EXPECT_TRUE(corrupt_naming(read_back(label), "data area start", first));
}

TEST(LabelLimits, DeviceSizeUpToTheLimit)
{
    auto largest = layout(kMetadataOffset, kDefaultMetadataSize, 4 * kMiB);
    largest.device_size = kMaxDeviceSize;
    const auto read = read_back(largest);
    ASSERT_TRUE(succeeded(read));
    EXPECT_EQ(*read, largest);

    auto above = largest;
    above.device_size = kMaxDeviceSize + 1;
    MemoryDevice device(kMaxDeviceSize);  // no file is larger; the label is refused for its value alone
    write_raw_label(device.fd(), above);
    EXPECT_TRUE(corrupt_naming(read_label(device.fd()), "device size", kMaxDeviceSize));
}

// Issue 17: a 1 TiB metadata area on a device that really is larger used to reach the slot
// reader, which allocated whatever a pointer claimed.
TEST(LabelLimits, ATebibyteAreaIsCorruptNotAnException)
{
    const auto huge = layout(kMetadataOffset, 1 * kTiB, 4 * kMiB);
    Result<Label> read = fail(ErrorCode::Io, "not read");
    EXPECT_NO_THROW(read = read_back(huge));
    EXPECT_TRUE(corrupt_naming(read, "metadata area size", kMaxMetadataSize));
}

TEST(LabelLimits, ThePlannerRefusesWhatTheReaderWould)
{
    const auto pool = uuid_of(1);
    const auto member = uuid_of(2);
    EXPECT_TRUE(succeeded(plan_label(pool, member, 2 * kMaxExtentSize, kMaxExtentSize)));
    EXPECT_TRUE(fails_with(plan_label(pool, member, 4 * kMaxExtentSize, kMaxExtentSize + kBlockSize),
                           ErrorCode::InvalidArgument));

    EXPECT_TRUE(succeeded(plan_label(pool, member, kMaxMetadataSize + 16 * kMiB, 4 * kMiB, kMaxMetadataSize)));
    EXPECT_TRUE(fails_with(plan_label(pool, member, kMaxMetadataSize + 16 * kMiB, 4 * kMiB, kMaxMetadataSize + kBlockSize),
                           ErrorCode::InvalidArgument));

    EXPECT_TRUE(succeeded(plan_label(pool, member, kMaxDeviceSize)));
    EXPECT_TRUE(fails_with(plan_label(pool, member, kMaxDeviceSize + 1), ErrorCode::InvalidArgument));
}

TEST(LabelLimits, TheWriterRefusesWhatTheReaderWould)
{
    const auto too_large_area = layout(kMetadataOffset, kMaxMetadataSize + kBlockSize, 4 * kMiB);
    MemoryDevice device(too_large_area.device_size);
    EXPECT_TRUE(fails_with(write_label(device.fd(), too_large_area), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(read_label(device.fd()), ErrorCode::NotFound));

    const auto largest_area = layout(kMetadataOffset, kMaxMetadataSize, 4 * kMiB);
    ASSERT_TRUE(succeeded(write_label(device.fd(), largest_area)));
    EXPECT_TRUE(succeeded(read_label(device.fd())));
}

}  // namespace
}  // namespace volumes::metadata
