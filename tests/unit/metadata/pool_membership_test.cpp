// Which devices are a pool's members when some of them lie (architecture.md "Trust model"):
// documents list their members, and a device the winning document does not list is an
// intruder, whatever seq it claims.
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

// The pool object of these documents is only a member list: {"members": [[fill, extents]...]}.
// A document with a "junk" key is one the pool model would refuse.
Result<std::vector<ListedMember>> check(const Document& document)
{
    if (document.pool.contains("junk"))
        return fail(ErrorCode::Corrupt, "the model refuses it");
    std::vector<ListedMember> listed;
    for (const auto& member : document.pool.at("members"))
        listed.push_back({uuid_of(member.at(0).get<std::uint8_t>()), member.at(1).get<std::uint64_t>()});
    return listed;
}

struct Disks {
    Uuid pool_uuid = uuid_of(0x11);
    std::vector<TempDevice> devices;
    std::vector<Label> labels;
    std::vector<std::uint8_t> fills;

    // A device labelled as member `fill` of the pool, its area formatted.
    std::size_t add(std::uint8_t fill)
    {
        devices.emplace_back(kDeviceSize);
        const auto label = plan_label(pool_uuid, uuid_of(fill), kDeviceSize, 1 * kMiB, 64 * kKiB);
        EXPECT_TRUE(succeeded(label));
        labels.push_back(label.value_or(Label{}));
        fills.push_back(fill);
        EXPECT_TRUE(succeeded(write_label(devices.back().fd(), labels.back())));
        EXPECT_TRUE(succeeded(MetadataArea::format(devices.back().fd(), labels.back())));
        return devices.size() - 1;
    }

    std::uint64_t extents() const { return labels.front().extent_count(); }

    nlohmann::json listing(const std::vector<std::uint8_t>& members, std::uint64_t extent_count = 0) const
    {
        nlohmann::json list = nlohmann::json::array();
        for (const auto fill : members)
            list.push_back({fill, extent_count ? extent_count : extents()});
        return {{"members", list}};
    }

    void commit(std::size_t device, std::uint64_t seq, const nlohmann::json& pool)
    {
        auto area = MetadataArea::open(devices[device].fd(), labels[device]);
        ASSERT_TRUE(succeeded(area));
        const auto text = encode_document({seq, pool_uuid, pool});
        ASSERT_TRUE(succeeded(text));
        ASSERT_TRUE(succeeded(area->drop_precommitted()));
        ASSERT_TRUE(succeeded(area->write_precommitted(*text, seq)));
        ASSERT_TRUE(succeeded(area->commit()));
    }

    Result<PoolMetadata> read() const
    {
        std::vector<MemberDevice> given;
        for (std::size_t i = 0; i < devices.size(); ++i)
            given.push_back({devices[i].fd(), labels[i]});
        return read_pool(given, check);
    }
};

std::vector<std::size_t> intruder_devices(const PoolMetadata& pool)
{
    std::vector<std::size_t> devices;
    for (const auto& intruder : pool.intruders)
        devices.push_back(intruder.device);
    return devices;
}

TEST(PoolMembership, ACopyWithAHigherSeqThatDoesNotListItsDeviceIsAnIntruder)
{
    Disks disks;
    const auto a = disks.add(0x21), b = disks.add(0x22), x = disks.add(0x2f);
    disks.commit(a, 5, disks.listing({0x21, 0x22}));
    disks.commit(b, 5, disks.listing({0x21, 0x22}));
    disks.commit(x, 500, disks.listing({0x21, 0x22}));
    const auto pool = disks.read();
    ASSERT_TRUE(succeeded(pool));
    EXPECT_EQ(pool->committed.seq, 5u);
    EXPECT_EQ(intruder_devices(*pool), std::vector<std::size_t>{x});
    ASSERT_EQ(pool->members.size(), 2u);
    EXPECT_FALSE(pool->members[0].stale);
    EXPECT_FALSE(pool->members[1].stale);
}

TEST(PoolMembership, ADocumentListingItselfLosesWhenTheMembersItListsDoNotListIt)
{
    Disks disks;
    const auto a = disks.add(0x21), b = disks.add(0x22), x = disks.add(0x2f);
    disks.commit(a, 5, disks.listing({0x21, 0x22}));
    disks.commit(b, 5, disks.listing({0x21, 0x22}));
    disks.commit(x, 500, disks.listing({0x21, 0x22, 0x2f}));
    const auto pool = disks.read();
    ASSERT_TRUE(succeeded(pool));
    EXPECT_EQ(pool->committed.seq, 5u);
    EXPECT_EQ(intruder_devices(*pool), std::vector<std::size_t>{x});
    EXPECT_FALSE(pool->precommitted);
}

TEST(PoolMembership, TwoSetsThatEachClaimTheWholePoolAreNotTold)
{
    Disks disks;
    const auto a = disks.add(0x21), x = disks.add(0x2f);
    disks.commit(a, 5, disks.listing({0x21}));
    disks.commit(x, 500, disks.listing({0x2f}));
    EXPECT_TRUE(fails_with(disks.read(), ErrorCode::Corrupt));
}

TEST(PoolMembership, AStaleMemberConfirmsTheNewerDocumentThatListsItsHolder)
{
    Disks disks;
    const auto a = disks.add(0x21), b = disks.add(0x22);
    disks.commit(a, 5, disks.listing({0x21, 0x22}));
    disks.commit(b, 5, disks.listing({0x21, 0x22}));
    disks.commit(a, 6, disks.listing({0x21, 0x22}));
    const auto pool = disks.read();
    ASSERT_TRUE(succeeded(pool));
    EXPECT_EQ(pool->committed.seq, 6u);
    EXPECT_TRUE(pool->intruders.empty());
    ASSERT_EQ(pool->members.size(), 2u);
    EXPECT_FALSE(pool->members[0].stale);
    EXPECT_TRUE(pool->members[1].stale);
}

TEST(PoolMembership, ADeviceListedWithAnotherSizeIsAnIntruder)
{
    Disks disks;
    const auto a = disks.add(0x21), b = disks.add(0x22);
    auto listing = disks.listing({0x21});
    listing["members"].push_back({0x22, disks.extents() + 1});
    disks.commit(a, 5, listing);
    disks.commit(b, 5, listing);
    const auto pool = disks.read();
    ASSERT_TRUE(succeeded(pool));
    EXPECT_EQ(intruder_devices(*pool), std::vector<std::size_t>{b});
}

TEST(PoolMembership, ADocumentTheModelRefusesNeverWinsAndItsHolderIsStale)
{
    Disks disks;
    const auto a = disks.add(0x21), b = disks.add(0x22);
    disks.commit(a, 5, disks.listing({0x21, 0x22}));
    disks.commit(b, 5, disks.listing({0x21, 0x22}));
    auto junk = disks.listing({0x21, 0x22});
    junk["junk"] = true;
    disks.commit(b, 9, junk);
    const auto pool = disks.read();
    ASSERT_TRUE(succeeded(pool));
    EXPECT_EQ(pool->committed.seq, 5u);
    ASSERT_EQ(pool->members.size(), 2u);
    EXPECT_TRUE(pool->members[1].stale);
    EXPECT_FALSE(pool->members[1].problems.empty());
}

TEST(PoolMembership, NoDocumentTheModelAcceptsIsCorrupt)
{
    Disks disks;
    const auto a = disks.add(0x21);
    auto junk = disks.listing({0x21});
    junk["junk"] = true;
    disks.commit(a, 5, junk);
    EXPECT_TRUE(fails_with(disks.read(), ErrorCode::Corrupt));
}

}  // namespace
}  // namespace volumes::metadata
