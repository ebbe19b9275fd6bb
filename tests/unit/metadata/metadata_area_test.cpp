#include "service/metadata/metadata_area.hpp"

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "service/metadata/byte_order.hpp"
#include "service/metadata/checksum.hpp"
#include "temp_device.hpp"

namespace volumes::metadata {
namespace {

using testing::fails_with;
using testing::succeeded;

constexpr std::uint64_t kDeviceSize = 64 * kMiB;

struct Member {
    TempDevice device;
    Label label;

    std::uint64_t header_at(int sector) const { return label.metadata_offset + kHeaderOffsets[sector]; }
    std::uint64_t copy_at(const CopyPointer& pointer) const { return label.metadata_offset + pointer.offset; }
};

Member labelled(std::uint64_t metadata_size = kDefaultMetadataSize, std::uint8_t pool = 0x11)
{
    Uuid pool_uuid;
    pool_uuid.bytes.fill(pool);
    Uuid member_uuid;
    member_uuid.bytes.fill(0x22);
    Member member{TempDevice(kDeviceSize), {}};
    const auto label = plan_label(pool_uuid, member_uuid, kDeviceSize, kDefaultExtentSize, metadata_size);
    EXPECT_TRUE(succeeded(label));
    member.label = label.value_or(Label{});
    EXPECT_TRUE(succeeded(write_label(member.device.fd(), member.label)));
    return member;
}

MetadataArea formatted(const Member& member)
{
    auto area = MetadataArea::format(member.device.fd(), member.label);
    EXPECT_TRUE(succeeded(area));
    return std::move(area.value());
}

std::string document(std::uint64_t seq, std::size_t padding = 0)
{
    return "{\"seq\":" + std::to_string(seq) + ",\"pad\":\"" + std::string(padding, 'x') + "\"}";
}

void transact(MetadataArea& area, std::uint64_t seq, std::size_t padding = 0)
{
    ASSERT_TRUE(succeeded(area.write_precommitted(document(seq, padding), seq)));
    ASSERT_TRUE(succeeded(area.commit()));
}

::testing::AssertionResult holds(const Result<StoredCopy>& copy, std::uint64_t seq, const std::string& bytes)
{
    if (!copy)
        return ::testing::AssertionFailure() << to_string(copy.error().code) << ": " << copy.error().message;
    if (copy->seq != seq || copy->bytes != bytes)
        return ::testing::AssertionFailure() << "holds seq " << copy->seq << " '" << copy->bytes << "', expected seq " << seq
                                             << " '" << bytes << "'";
    return ::testing::AssertionSuccess();
}

MetadataArea reopened(const Member& member)
{
    auto area = MetadataArea::open(member.device.fd(), member.label);
    EXPECT_TRUE(succeeded(area));
    if (!area)
        throw std::runtime_error(area.error().message);
    return std::move(area.value());
}

TEST(MetadataArea, FreshAreaHoldsNoCopy)
{
    auto member = labelled();
    const auto area = formatted(member);
    EXPECT_FALSE(area.committed());
    EXPECT_FALSE(area.precommitted());
    EXPECT_TRUE(fails_with(area.read_committed(), ErrorCode::NotFound));
    EXPECT_TRUE(fails_with(area.read_precommitted(), ErrorCode::NotFound));

    const auto again = reopened(member);
    EXPECT_EQ(again.generation(), 1u);
    EXPECT_FALSE(again.committed());
    EXPECT_FALSE(again.precommitted());
}

TEST(MetadataArea, UnformattedAreaIsNotFound)
{
    auto member = labelled();
    EXPECT_TRUE(fails_with(MetadataArea::open(member.device.fd(), member.label), ErrorCode::NotFound));
}

TEST(MetadataArea, PrecommitThenCommit)
{
    auto member = labelled();
    auto area = formatted(member);
    ASSERT_TRUE(succeeded(area.write_precommitted(document(1), 1)));
    EXPECT_TRUE(holds(area.read_precommitted(), 1, document(1)));
    EXPECT_TRUE(fails_with(area.read_committed(), ErrorCode::NotFound));
    EXPECT_TRUE(holds(reopened(member).read_precommitted(), 1, document(1)));

    ASSERT_TRUE(succeeded(area.commit()));
    EXPECT_TRUE(holds(area.read_committed(), 1, document(1)));
    EXPECT_FALSE(area.precommitted());

    const auto again = reopened(member);
    EXPECT_TRUE(holds(again.read_committed(), 1, document(1)));
    EXPECT_TRUE(fails_with(again.read_precommitted(), ErrorCode::NotFound));
}

TEST(MetadataArea, PrecommitThenDropKeepsTheCommittedCopy)
{
    auto member = labelled();
    auto area = formatted(member);
    transact(area, 1);
    ASSERT_TRUE(succeeded(area.write_precommitted(document(2), 2)));
    ASSERT_TRUE(succeeded(area.drop_precommitted()));
    EXPECT_TRUE(holds(area.read_committed(), 1, document(1)));
    EXPECT_FALSE(area.precommitted());

    const auto again = reopened(member);
    EXPECT_TRUE(holds(again.read_committed(), 1, document(1)));
    EXPECT_FALSE(again.precommitted());
}

TEST(MetadataArea, CommitsAlternateSlotsAndHeaderSectors)
{
    auto member = labelled();
    auto area = formatted(member);
    EXPECT_EQ(area.current_sector(), 0);
    std::vector<std::uint32_t> slots;
    std::vector<int> sectors;
    for (std::uint64_t seq = 1; seq <= 3; ++seq) {
        ASSERT_TRUE(succeeded(area.write_precommitted(document(seq), seq)));
        sectors.push_back(area.current_sector());
        ASSERT_TRUE(succeeded(area.commit()));
        sectors.push_back(area.current_sector());
        slots.push_back(area.committed()->slot);
        EXPECT_TRUE(holds(reopened(member).read_committed(), seq, document(seq)));
    }
    EXPECT_EQ(slots, (std::vector<std::uint32_t>{0, 1, 0}));
    EXPECT_EQ(sectors, (std::vector<int>{1, 0, 1, 0, 1, 0}));
    EXPECT_EQ(area.generation(), 7u);
}

TEST(MetadataArea, CommitRewritesOnlyTheOtherHeaderSector)
{
    auto member = labelled();
    auto area = formatted(member);
    transact(area, 1);
    ASSERT_TRUE(succeeded(area.write_precommitted(document(2), 2)));
    const int current = area.current_sector();
    const auto before = member.device.read(member.label.metadata_offset, member.label.metadata_size);
    ASSERT_TRUE(succeeded(area.commit()));
    const auto after = member.device.read(member.label.metadata_offset, member.label.metadata_size);

    const auto rewritten = kHeaderOffsets[1 - current];
    std::size_t changed = 0;
    for (std::size_t i = 0; i < before.size(); ++i) {
        if (before[i] == after[i])
            continue;
        ++changed;
        EXPECT_TRUE(i >= rewritten && i < rewritten + kSectorSize) << "byte " << i << " of the area changed";
    }
    EXPECT_GT(changed, 0u);
}

TEST(MetadataArea, RefusesToBreakTheProtocol)
{
    auto member = labelled();
    auto area = formatted(member);
    EXPECT_TRUE(fails_with(area.commit(), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(area.write_precommitted("", 1), ErrorCode::InvalidArgument));
    transact(area, 5);
    EXPECT_TRUE(fails_with(area.write_precommitted(document(5), 5), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(area.write_precommitted(document(4), 4), ErrorCode::InvalidArgument));
    ASSERT_TRUE(succeeded(area.write_precommitted(document(6), 6)));
    EXPECT_TRUE(fails_with(area.write_precommitted(document(7), 7), ErrorCode::InvalidArgument));
    EXPECT_TRUE(holds(area.read_precommitted(), 6, document(6)));
    EXPECT_TRUE(holds(area.read_committed(), 5, document(5)));
}

TEST(MetadataArea, DroppingNothingWritesNothing)
{
    auto member = labelled();
    auto area = formatted(member);
    transact(area, 1);
    const auto generation = area.generation();
    ASSERT_TRUE(succeeded(area.drop_precommitted()));
    EXPECT_EQ(area.generation(), generation);
    EXPECT_EQ(reopened(member).generation(), generation);
}

TEST(MetadataArea, DocumentLargerThanASlotIsNoSpace)
{
    auto member = labelled(kMinMetadataSize);
    auto area = formatted(member);
    ASSERT_EQ(area.slot_size(), kBlockSize);
    const std::string too_big(kBlockSize + 1, 'x');
    const auto refused = area.write_precommitted(too_big, 1);
    ASSERT_TRUE(fails_with(refused, ErrorCode::NoSpace));
    EXPECT_NE(refused.error().message.find("4097 bytes"), std::string::npos) << refused.error().message;
    EXPECT_EQ(area.generation(), 1u);
    EXPECT_FALSE(reopened(member).precommitted());

    const std::string fits(kBlockSize, 'y');
    ASSERT_TRUE(succeeded(area.write_precommitted(fits, 1)));
    ASSERT_TRUE(succeeded(area.commit()));
    ASSERT_TRUE(succeeded(area.write_precommitted(fits, 2)));
    ASSERT_TRUE(succeeded(area.commit()));
    EXPECT_TRUE(holds(reopened(member).read_committed(), 2, fits));
}

TEST(MetadataArea, FlippedBitInACopyIsCorrupt)
{
    auto member = labelled();
    auto area = formatted(member);
    transact(area, 1);
    ASSERT_TRUE(succeeded(area.write_precommitted(document(2), 2)));

    member.device.flip_bit(member.copy_at(*area.committed()) + 3, 5);
    EXPECT_TRUE(fails_with(area.read_committed(), ErrorCode::Corrupt));
    EXPECT_TRUE(holds(area.read_precommitted(), 2, document(2)));

    member.device.flip_bit(member.copy_at(*area.precommitted()) + area.precommitted()->length - 1, 0);
    EXPECT_TRUE(fails_with(area.read_precommitted(), ErrorCode::Corrupt));
}

TEST(MetadataArea, FlippedBitInTheNewestHeaderFallsBackToTheOther)
{
    auto member = labelled();
    auto area = formatted(member);
    transact(area, 1);
    ASSERT_TRUE(succeeded(area.write_precommitted(document(2), 2)));
    ASSERT_TRUE(succeeded(area.commit()));
    ASSERT_EQ(area.generation(), 5u);

    member.device.flip_bit(member.header_at(area.current_sector()) + 60, 1);
    const auto fallback = reopened(member);
    EXPECT_EQ(fallback.generation(), 4u);
    EXPECT_EQ(fallback.current_sector(), 1 - area.current_sector());
    EXPECT_TRUE(holds(fallback.read_committed(), 1, document(1)));
    EXPECT_TRUE(holds(fallback.read_precommitted(), 2, document(2)));
}

TEST(MetadataArea, FlippedBitInTheOlderHeaderIsHarmless)
{
    auto member = labelled();
    auto area = formatted(member);
    transact(area, 1);
    transact(area, 2);

    member.device.flip_bit(member.header_at(1 - area.current_sector()) + 100, 7);
    auto again = reopened(member);
    EXPECT_EQ(again.generation(), area.generation());
    EXPECT_TRUE(holds(again.read_committed(), 2, document(2)));
    transact(again, 3);
    EXPECT_TRUE(holds(reopened(member).read_committed(), 3, document(3)));
}

TEST(MetadataArea, BothHeadersCorruptIsCorrupt)
{
    auto member = labelled();
    auto area = formatted(member);
    transact(area, 1);
    member.device.flip_bit(member.header_at(0) + 50);
    member.device.flip_bit(member.header_at(1) + 50);
    EXPECT_TRUE(fails_with(MetadataArea::open(member.device.fd(), member.label), ErrorCode::Corrupt));
}

TEST(MetadataArea, TornPrecommitHeaderLeavesThePreviousState)
{
    auto member = labelled();
    auto area = formatted(member);
    transact(area, 1);
    const int target = 1 - area.current_sector();
    const auto before = member.device.read(member.header_at(target), kSectorSize);
    ASSERT_TRUE(succeeded(area.write_precommitted(document(2), 2)));
    const auto wanted = member.device.read(member.header_at(target), kSectorSize);
    ASSERT_NE(before, wanted);
    member.device.tear(member.header_at(target), before, wanted);

    auto again = reopened(member);
    EXPECT_TRUE(holds(again.read_committed(), 1, document(1)));
    EXPECT_FALSE(again.precommitted());

    // The torn sector is the one the next update overwrites.
    ASSERT_TRUE(succeeded(again.write_precommitted(document(3), 3)));
    ASSERT_TRUE(succeeded(again.commit()));
    EXPECT_TRUE(holds(reopened(member).read_committed(), 3, document(3)));
}

TEST(MetadataArea, TornCommitHeaderLeavesThePrecommittedState)
{
    auto member = labelled();
    auto area = formatted(member);
    transact(area, 1);
    ASSERT_TRUE(succeeded(area.write_precommitted(document(2), 2)));
    const int target = 1 - area.current_sector();
    const auto before = member.device.read(member.header_at(target), kSectorSize);
    ASSERT_TRUE(succeeded(area.commit()));
    const auto wanted = member.device.read(member.header_at(target), kSectorSize);
    member.device.tear(member.header_at(target), before, wanted);

    const auto again = reopened(member);
    EXPECT_TRUE(holds(again.read_committed(), 1, document(1)));
    EXPECT_TRUE(holds(again.read_precommitted(), 2, document(2)));
}

TEST(MetadataArea, TornDocumentWriteLeavesTheCommittedCopy)
{
    auto member = labelled();
    auto area = formatted(member);
    transact(area, 1, 3000);
    const int target = 1 - area.current_sector();
    const auto header_before = member.device.read(member.header_at(target), kSectorSize);
    const auto free_slot = member.label.metadata_offset + kSlotsOffset + (1 - area.committed()->slot) * area.slot_size();
    const auto slot_before = member.device.read(free_slot, 8 * kKiB);

    ASSERT_TRUE(succeeded(area.write_precommitted(document(2, 6000), 2)));
    const auto slot_wanted = member.device.read(free_slot, 8 * kKiB);
    // The crash came in the middle of the document write: the header was never written.
    member.device.tear(free_slot, slot_before, slot_wanted);
    member.device.write(member.header_at(target), header_before);

    auto again = reopened(member);
    EXPECT_TRUE(holds(again.read_committed(), 1, document(1, 3000)));
    EXPECT_FALSE(again.precommitted());
    transact(again, 2, 6000);
    EXPECT_TRUE(holds(reopened(member).read_committed(), 2, document(2, 6000)));
}

TEST(MetadataArea, AreaOfAnotherPoolIsCorrupt)
{
    auto member = labelled();
    formatted(member);
    auto relabelled = member.label;
    relabelled.pool_uuid.bytes.fill(0x33);
    const auto opened = MetadataArea::open(member.device.fd(), relabelled);
    ASSERT_TRUE(fails_with(opened, ErrorCode::Corrupt));
    EXPECT_NE(opened.error().message.find(member.label.pool_uuid.to_string()), std::string::npos) << opened.error().message;
}

TEST(MetadataArea, NewerHeaderVersionIsUnsupported)
{
    auto member = labelled();
    auto area = formatted(member);
    transact(area, 1);
    auto sector = member.device.read(member.header_at(area.current_sector()), kSectorSize);
    put_le32(sector, 8, kFormatVersion + 1);
    put_le32(sector, kSectorSize - 4, crc32_of(std::span(sector).first(kSectorSize - 4)));
    member.device.write(member.header_at(area.current_sector()), sector);
    EXPECT_TRUE(fails_with(MetadataArea::open(member.device.fd(), member.label), ErrorCode::Unsupported));
}

TEST(MetadataArea, FormatForgetsThePreviousLifeOfTheArea)
{
    auto member = labelled();
    auto area = formatted(member);
    for (std::uint64_t seq = 1; seq <= 3; ++seq)
        transact(area, seq);
    formatted(member);
    const auto again = reopened(member);
    EXPECT_EQ(again.generation(), 1u);
    EXPECT_FALSE(again.committed());
    EXPECT_FALSE(again.precommitted());
}

}  // namespace
}  // namespace volumes::metadata
