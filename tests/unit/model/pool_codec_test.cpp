#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_fixture.hpp"
#include "service/model/pool_checks.hpp"
#include "service/model/pool_codec.hpp"

namespace volumes::model {
namespace {

using namespace testing;
using nlohmann::json;
using volumes::testing::succeeded;

constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();

// Through text, as the pool travels in a metadata document.
Result<Pool> round_trip(const Pool& pool)
{
    return decode_pool(json::parse(encode_pool(pool).dump()));
}

json volume_json(const json& pool, std::string_view name)
{
    for (const auto& volume : pool.at("volumes"))
        if (volume.at("name") == name)
            return volume;
    throw std::out_of_range("no volume named " + std::string(name));
}

TEST(PoolCodec, EncodesTheDocumentedShape)
{
    Pool pool;
    pool.uuid = uuid_of(0xf0);
    pool.name = "tank";
    pool.extent_size = 4 * MiB;
    pool.members = {{member_a, 100}};
    pool.volumes = {{uuid_of(0x01), "home", true, LinearLayout{{{member_a, 0, 10}, {member_a, 20, 5}}}}};

    EXPECT_EQ(encode_pool(pool), json::parse(R"({
        "uuid": "f0f0f0f0-f0f0-f0f0-f0f0-f0f0f0f0f0f0",
        "name": "tank",
        "extent_size": 4194304,
        "members": [{"uuid": "a1a1a1a1-a1a1-a1a1-a1a1-a1a1a1a1a1a1", "extent_count": 100}],
        "volumes": [{
            "uuid": "01010101-0101-0101-0101-010101010101", "name": "home", "active": true, "kind": "linear",
            "data": [{"member": "a1a1a1a1-a1a1-a1a1-a1a1-a1a1a1a1a1a1", "start": 0, "count": 10},
                     {"member": "a1a1a1a1-a1a1-a1a1-a1a1-a1a1a1a1a1a1", "start": 20, "count": 5}]
        }]
    })"));
}

TEST(PoolCodec, EncodesEachKindsFields)
{
    auto pool = valid_pool();
    layout_of<ThinPoolLayout>(pool, "tpool").held_metadata_root = 1234;
    const auto encoded = encode_pool(pool);

    EXPECT_EQ(volume_json(encoded, "mirror").at("kind"), "raid1");
    EXPECT_EQ(volume_json(encoded, "mirror").at("region_size"), 512 * KiB);
    EXPECT_EQ(volume_json(encoded, "mirror").at("legs").at(2).at("tracked_image"), uuid_of(0x03).to_string());
    EXPECT_EQ(volume_json(encoded, "split"),
              json::parse(R"({"uuid": "03030303-0303-0303-0303-030303030303", "name": "split", "active": true,
                              "kind": "tracked_image", "array": "02020202-0202-0202-0202-020202020202", "slot": 2})"));
    EXPECT_EQ(volume_json(encoded, "msnap").at("kind"), "snapshot");
    EXPECT_EQ(volume_json(encoded, "msnap").at("merge"), "pending");
    EXPECT_EQ(volume_json(encoded, "msnap").at("chunk_size"), 4096);
    EXPECT_EQ(volume_json(encoded, "tpool").at("kind"), "thin_pool");
    EXPECT_EQ(volume_json(encoded, "tpool").at("held_metadata_root"), 1234);
    EXPECT_EQ(volume_json(encoded, "tpool").at("error_if_no_space"), true);
    EXPECT_EQ(volume_json(encoded, "thin2"),
              json::parse(R"({"uuid": "08080808-0808-0808-0808-080808080808", "name": "thin2", "active": true,
                              "kind": "thin", "pool": "06060606-0606-0606-0606-060606060606", "thin_id": 2,
                              "origin_thin_id": 1, "virtual_size": 1073741824})"));
    EXPECT_EQ(volume_json(encoded, "idle").at("active"), false);
}

TEST(PoolCodec, OmitsAbsentOptionalFields)
{
    const auto encoded = encode_pool(valid_pool());
    EXPECT_FALSE(volume_json(encoded, "mirror").at("legs").at(0).contains("tracked_image"));
    EXPECT_FALSE(volume_json(encoded, "mirror").at("legs").at(0).contains("rebuilding"));
    EXPECT_FALSE(volume_json(encoded, "tpool").contains("held_metadata_root"));
    EXPECT_FALSE(volume_json(encoded, "thin1").contains("origin_thin_id"));
}

TEST(PoolCodec, WritesRebuildingOnlyWhenTrue)
{
    auto pool = valid_pool();
    layout_of<Raid1Layout>(pool, "mirror").legs[1].rebuilding = true;
    const auto encoded = encode_pool(pool);
    EXPECT_EQ(volume_json(encoded, "mirror").at("legs").at(1).at("rebuilding"), true);
    EXPECT_FALSE(volume_json(encoded, "mirror").at("legs").at(0).contains("rebuilding"));

    // An explicit false reads as absent; another type is refused.
    auto document = encoded;
    for (auto& volume : document.at("volumes"))
        if (volume.at("name") == "mirror")
            volume.at("legs").at(0)["rebuilding"] = false;
    const auto decoded = decode_pool(document);
    ASSERT_TRUE(succeeded(decoded));
    EXPECT_EQ(*decoded, pool);
    for (auto& volume : document.at("volumes"))
        if (volume.at("name") == "mirror")
            volume.at("legs").at(0)["rebuilding"] = 1;
    EXPECT_FALSE(decode_pool(document).has_value());
}

TEST(PoolCodec, RoundTripsEveryKindWithOptionalFieldsAbsent)
{
    const auto pool = valid_pool();
    const auto decoded = round_trip(pool);
    ASSERT_TRUE(succeeded(decoded));
    EXPECT_EQ(*decoded, pool);
}

TEST(PoolCodec, RoundTripsEveryKindWithOptionalFieldsPresent)
{
    auto pool = valid_pool();
    layout_of<ThinPoolLayout>(pool, "tpool").held_metadata_root = 0;
    layout_of<Raid1Layout>(pool, "mirror").legs[0].tracked_image = uuid_of(0x0a);
    layout_of<Raid1Layout>(pool, "mirror").legs[1].rebuilding = true;
    pool.volumes.push_back({uuid_of(0x0a), "split0", false, TrackedImageLayout{uuid_of(0x02), 0}});
    for (const auto merge : {SnapshotMergeState::None, SnapshotMergeState::Pending, SnapshotMergeState::Merging,
                             SnapshotMergeState::Failed}) {
        layout_of<SnapshotLayout>(pool, "msnap").merge = merge;
        const auto decoded = round_trip(pool);
        ASSERT_TRUE(succeeded(decoded));
        EXPECT_EQ(*decoded, pool);
    }
}

TEST(PoolCodec, AFailedMemberIsWrittenOnlyWhenFailedAndRoundTrips)
{
    auto pool = valid_pool();
    EXPECT_FALSE(encode_pool(pool).at("members").at(0).contains("failed"));
    pool.members.back().failed = true;
    const auto encoded = encode_pool(pool);
    EXPECT_EQ(encoded.at("members").back().at("failed"), true);
    const auto decoded = round_trip(pool);
    ASSERT_TRUE(succeeded(decoded));
    EXPECT_EQ(*decoded, pool);
}

TEST(PoolCodec, AMemberFailedFlagMustBeABoolean)
{
    auto encoded = encode_pool(valid_pool());
    encoded["members"][0]["failed"] = false;
    ASSERT_TRUE(succeeded(decode_pool(encoded)));
    EXPECT_FALSE(decode_pool(encoded)->members[0].failed);
    encoded["members"][0]["failed"] = "yes";
    EXPECT_TRUE(volumes::testing::fails_with(decode_pool(encoded), ErrorCode::Corrupt));
}

TEST(PoolCodec, RoundTrips64BitIntegersExactly)
{
    Pool pool;
    pool.uuid = uuid_of(0xf0);
    pool.name = "big";
    pool.extent_size = u64_max - 4095;  // the largest multiple of 4 KiB
    pool.members = {{member_a, u64_max}, {member_b, u64_max}};
    const Uuid tpool = uuid_of(0x06);
    // 2^53 + 1 is the first integer a double cannot hold.
    const std::uint64_t start = (1ULL << 53) + 1;
    pool.volumes.push_back({uuid_of(0x01), "lin", true, LinearLayout{{{member_a, start, u64_max - start}}}});
    pool.volumes.push_back({tpool, "tpool", true,
                            ThinPoolLayout{{{member_b, 0, 1}},
                                           {{member_b, 1, u64_max - 1}},
                                           1024 * 1024 * 1024,
                                           u64_max,
                                           false,
                                           u64_max - 1,
                                           (1ULL << 63) + 1,
                                           std::numeric_limits<std::uint32_t>::max()}});
    pool.volumes.push_back(
        {uuid_of(0x07), "thin", true, ThinLayout{tpool, (1U << 24) - 1, std::nullopt, u64_max - 511}});
    ASSERT_TRUE(succeeded(check_pool(pool)));

    const auto text = encode_pool(pool).dump();
    EXPECT_NE(text.find("18446744073709551615"), std::string::npos) << text;
    EXPECT_NE(text.find("9007199254740993"), std::string::npos) << text;
    const auto decoded = decode_pool(json::parse(text));
    ASSERT_TRUE(succeeded(decoded));
    EXPECT_EQ(*decoded, pool);
}

TEST(PoolCodec, RoundTripsAnEmptyPool)
{
    Pool pool;
    pool.uuid = uuid_of(0xf0);
    pool.name = "empty";
    pool.extent_size = 4 * MiB;
    const auto decoded = round_trip(pool);
    ASSERT_TRUE(succeeded(decoded));
    EXPECT_EQ(*decoded, pool);
}

TEST(PoolCodec, DecodesIntegersBuiltInCodeAsWellAsParsed)
{
    auto encoded = encode_pool(valid_pool());
    encoded["extent_size"] = static_cast<int>(4 * MiB);  // number_integer, not number_unsigned
    const auto decoded = decode_pool(encoded);
    ASSERT_TRUE(succeeded(decoded));
    EXPECT_EQ(*decoded, valid_pool());
}

}  // namespace
}  // namespace volumes::model
