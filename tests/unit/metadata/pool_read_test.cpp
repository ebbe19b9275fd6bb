#include "service/metadata/pool_reader.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "service/metadata/metadata_area.hpp"
#include "temp_device.hpp"
#include "uuid_of.hpp"

namespace volumes::metadata {
namespace {

using testing::fails_with;
using testing::succeeded;

constexpr std::uint64_t kDeviceSize = 16 * kMiB;

// Members with labels and formatted areas; member i has uuid 0x21+i repeated.
struct TestPool {
    Uuid pool_uuid;
    std::vector<TempDevice> devices;
    std::vector<Label> labels;
    std::vector<MetadataArea> areas;

    explicit TestPool(std::size_t count, std::uint8_t pool_fill = 0x11) : pool_uuid(uuid_of(pool_fill))
    {
        for (std::size_t i = 0; i < count; ++i) {
            devices.emplace_back(kDeviceSize);
            const auto label =
                plan_label(pool_uuid, uuid_of(static_cast<std::uint8_t>(0x21 + i)), kDeviceSize, 1 * kMiB, 64 * kKiB);
            EXPECT_TRUE(succeeded(label));
            labels.push_back(label.value_or(Label{}));
            EXPECT_TRUE(succeeded(write_label(devices.back().fd(), labels.back())));
            auto area = MetadataArea::format(devices.back().fd(), labels.back());
            EXPECT_TRUE(succeeded(area));
            areas.push_back(std::move(area.value()));
        }
    }

    std::vector<MemberDevice> members() const
    {
        std::vector<MemberDevice> result;
        for (std::size_t i = 0; i < devices.size(); ++i)
            result.push_back(MemberDevice{devices[i].fd(), labels[i]});
        return result;
    }

    std::string bytes(std::uint64_t seq, const std::string& name = "tank") const
    {
        const auto text = encode_document(Document{seq, pool_uuid, {{"name", name}}});
        EXPECT_TRUE(succeeded(text));
        return text.value_or("");
    }

    void precommit(std::size_t member, std::uint64_t seq, const std::string& name = "tank")
    {
        ASSERT_TRUE(succeeded(areas[member].write_precommitted(bytes(seq, name), seq)));
    }

    void transact(std::size_t member, std::uint64_t seq, const std::string& name = "tank")
    {
        precommit(member, seq, name);
        ASSERT_TRUE(succeeded(areas[member].commit()));
    }

    void transact_all(std::uint64_t seq)
    {
        for (std::size_t i = 0; i < areas.size(); ++i)
            transact(i, seq);
    }

    void corrupt_committed(std::size_t member)
    {
        const auto& pointer = *areas[member].committed();
        devices[member].flip_bit(labels[member].metadata_offset + pointer.offset + pointer.length / 2, 2);
    }
};

Result<PoolMetadata> read(const TestPool& pool)
{
    const auto members = pool.members();
    return read_pool(members);
}

std::string all_problems(const MemberReport& report)
{
    std::string text;
    for (const auto& problem : report.problems)
        text += problem + "; ";
    return text;
}

TEST(PoolRead, AllMembersCurrent)
{
    TestPool pool(3);
    pool.transact_all(1);
    pool.transact_all(2);
    const auto metadata = read(pool);
    ASSERT_TRUE(succeeded(metadata));
    EXPECT_EQ(metadata->committed.seq, 2u);
    EXPECT_EQ(metadata->committed.pool_uuid, pool.pool_uuid);
    EXPECT_EQ(metadata->committed.pool.at("name"), "tank");
    ASSERT_EQ(metadata->members.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(metadata->members[i].member_uuid, pool.labels[i].member_uuid);
        EXPECT_FALSE(metadata->members[i].stale) << all_problems(metadata->members[i]);
        EXPECT_EQ(metadata->members[i].committed_seq, 2u);
        EXPECT_TRUE(metadata->members[i].problems.empty()) << all_problems(metadata->members[i]);
    }
    EXPECT_FALSE(metadata->precommitted);
}

TEST(PoolRead, CorruptCopyLosesToTheOtherMember)
{
    TestPool pool(2);
    pool.transact_all(1);
    pool.corrupt_committed(0);
    const auto metadata = read(pool);
    ASSERT_TRUE(succeeded(metadata));
    EXPECT_EQ(metadata->committed.seq, 1u);
    EXPECT_TRUE(metadata->members[0].stale);
    EXPECT_FALSE(metadata->members[0].committed_seq);
    EXPECT_NE(all_problems(metadata->members[0]).find("checksum"), std::string::npos) << all_problems(metadata->members[0]);
    EXPECT_FALSE(metadata->members[1].stale);
}

TEST(PoolRead, HighestValidSeqWinsAcrossThreeMembers)
{
    TestPool pool(3);
    pool.transact_all(1);
    pool.transact_all(2);
    pool.transact(0, 3);
    pool.transact(2, 3);
    pool.corrupt_committed(2);

    const auto metadata = read(pool);
    ASSERT_TRUE(succeeded(metadata));
    EXPECT_EQ(metadata->committed.seq, 3u);
    EXPECT_FALSE(metadata->members[0].stale);
    EXPECT_TRUE(metadata->members[1].stale);
    EXPECT_EQ(metadata->members[1].committed_seq, 2u);
    EXPECT_NE(all_problems(metadata->members[1]).find("older"), std::string::npos) << all_problems(metadata->members[1]);
    EXPECT_TRUE(metadata->members[2].stale);
    EXPECT_FALSE(metadata->members[2].committed_seq);
}

TEST(PoolRead, CorruptNewestSeqFallsBackToTheNextValidOne)
{
    TestPool pool(3);
    pool.transact_all(1);
    pool.transact_all(2);
    pool.transact(0, 3);
    pool.corrupt_committed(0);

    const auto metadata = read(pool);
    ASSERT_TRUE(succeeded(metadata));
    EXPECT_EQ(metadata->committed.seq, 2u);
    EXPECT_TRUE(metadata->members[0].stale);
    EXPECT_FALSE(metadata->members[1].stale);
    EXPECT_FALSE(metadata->members[2].stale);
}

TEST(PoolRead, ReportsAPrecommittedCopyAboveTheCommittedSeq)
{
    TestPool pool(3);
    pool.transact_all(2);
    pool.precommit(0, 3, "renamed");
    pool.precommit(1, 3, "renamed");

    const auto metadata = read(pool);
    ASSERT_TRUE(succeeded(metadata));
    EXPECT_EQ(metadata->committed.seq, 2u);
    EXPECT_EQ(metadata->committed.pool.at("name"), "tank");
    ASSERT_TRUE(metadata->precommitted);
    EXPECT_EQ(metadata->precommitted->document.seq, 3u);
    EXPECT_EQ(metadata->precommitted->document.pool.at("name"), "renamed");
    EXPECT_EQ(metadata->precommitted->members, (std::vector<Uuid>{pool.labels[0].member_uuid, pool.labels[1].member_uuid}));
    EXPECT_EQ(metadata->members[0].precommitted_seq, 3u);
    EXPECT_FALSE(metadata->members[2].precommitted_seq);
    for (const auto& member : metadata->members)
        EXPECT_FALSE(member.stale);
}

TEST(PoolRead, APrecommitThatCommittedSomewhereIsTheCommittedSeq)
{
    TestPool pool(2);
    pool.transact_all(2);
    pool.transact(0, 3);
    pool.precommit(1, 3);

    const auto metadata = read(pool);
    ASSERT_TRUE(succeeded(metadata));
    EXPECT_EQ(metadata->committed.seq, 3u);
    EXPECT_FALSE(metadata->precommitted);
    EXPECT_FALSE(metadata->members[0].stale);
    EXPECT_TRUE(metadata->members[1].stale);
    EXPECT_EQ(metadata->members[1].precommitted_seq, 3u);
}

TEST(PoolRead, MembersOfAnotherPoolAreRejected)
{
    TestPool pool(2);
    TestPool other(1, 0x44);
    pool.transact_all(1);
    other.transact_all(1);
    auto members = pool.members();
    members.push_back(other.members().front());
    const auto metadata = read_pool(members);
    ASSERT_TRUE(fails_with(metadata, ErrorCode::InvalidArgument));
    EXPECT_NE(metadata.error().message.find(other.pool_uuid.to_string()), std::string::npos) << metadata.error().message;
}

TEST(PoolRead, TheSameMemberTwiceIsRejected)
{
    TestPool pool(2);
    pool.transact_all(1);
    auto members = pool.members();
    members.push_back(members.front());
    EXPECT_TRUE(fails_with(read_pool(members), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(read_pool(std::span<const MemberDevice>{}), ErrorCode::InvalidArgument));
}

TEST(PoolRead, APoolThatNeverCommittedIsNotFound)
{
    TestPool pool(2);
    pool.precommit(0, 1);
    EXPECT_TRUE(fails_with(read(pool), ErrorCode::NotFound));
}

TEST(PoolRead, NoValidCopyAnywhereIsCorrupt)
{
    TestPool pool(2);
    pool.transact_all(1);
    pool.corrupt_committed(0);
    pool.corrupt_committed(1);
    EXPECT_TRUE(fails_with(read(pool), ErrorCode::Corrupt));
}

TEST(PoolRead, DifferentDocumentsUnderTheSameSeqAreCorrupt)
{
    TestPool pool(2);
    pool.transact(0, 1, "tank");
    pool.transact(1, 1, "other");
    EXPECT_TRUE(fails_with(read(pool), ErrorCode::Corrupt));
}

TEST(PoolRead, UnformattedMemberIsStale)
{
    TestPool pool(2);
    pool.transact_all(1);
    pool.devices[1].write(pool.labels[1].metadata_offset, std::vector<std::uint8_t>(kSlotsOffset, 0));

    const auto metadata = read(pool);
    ASSERT_TRUE(succeeded(metadata));
    EXPECT_EQ(metadata->committed.seq, 1u);
    EXPECT_FALSE(metadata->members[0].stale);
    EXPECT_TRUE(metadata->members[1].stale);
    EXPECT_FALSE(metadata->members[1].problems.empty());
}

TEST(PoolRead, ADocumentOfAnotherPoolInTheAreaIsStale)
{
    TestPool pool(2);
    pool.transact_all(1);
    const auto foreign = encode_document(Document{2, uuid_of(0x55), nlohmann::json::object()});
    ASSERT_TRUE(succeeded(foreign));
    ASSERT_TRUE(succeeded(pool.areas[1].write_precommitted(*foreign, 2)));
    ASSERT_TRUE(succeeded(pool.areas[1].commit()));

    const auto metadata = read(pool);
    ASSERT_TRUE(succeeded(metadata));
    EXPECT_EQ(metadata->committed.seq, 1u);
    EXPECT_TRUE(metadata->members[1].stale);
    EXPECT_NE(all_problems(metadata->members[1]).find(uuid_of(0x55).to_string()), std::string::npos)
        << all_problems(metadata->members[1]);
}

TEST(PoolRead, AHeaderSeqThatDisagreesWithItsDocumentIsStale)
{
    TestPool pool(2);
    pool.transact_all(1);
    ASSERT_TRUE(succeeded(pool.areas[1].write_precommitted(pool.bytes(7), 2)));
    ASSERT_TRUE(succeeded(pool.areas[1].commit()));

    const auto metadata = read(pool);
    ASSERT_TRUE(succeeded(metadata));
    EXPECT_EQ(metadata->committed.seq, 1u);
    EXPECT_TRUE(metadata->members[1].stale);
    EXPECT_FALSE(metadata->members[1].committed_seq);
}

TEST(PoolRead, ANewerDocumentVersionIsUnsupported)
{
    TestPool pool(2);
    pool.transact_all(1);
    auto envelope = nlohmann::json::parse(pool.bytes(2));
    envelope["format_version"] = kFormatVersion + 1;
    ASSERT_TRUE(succeeded(pool.areas[1].write_precommitted(envelope.dump(), 2)));
    ASSERT_TRUE(succeeded(pool.areas[1].commit()));
    EXPECT_TRUE(fails_with(read(pool), ErrorCode::Unsupported));
}

}  // namespace
}  // namespace volumes::metadata
