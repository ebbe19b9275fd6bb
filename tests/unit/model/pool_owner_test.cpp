// The pool's owner (architecture.md "Trust model"): the machine-id of the host that owns it.
#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_fixture.hpp"
#include "service/model/names.hpp"
#include "service/model/pool_codec.hpp"

namespace volumes::model {
namespace {

using namespace testing;
using nlohmann::json;
using volumes::testing::fails_with;
using volumes::testing::succeeded;

Pool owned_pool(std::string owner)
{
    Pool pool;
    pool.uuid = uuid_of(0xf0);
    pool.name = "tank";
    pool.owner = std::move(owner);
    pool.extent_size = 4 * MiB;
    pool.members = {{member_a, 100}};
    return pool;
}

TEST(PoolOwner, TravelsThroughTheDocument)
{
    const auto pool = owned_pool("3d1219c7c4c5404aaa1f6d2a48adfda4");
    const auto encoded = encode_pool(pool);
    EXPECT_EQ(encoded.at("owner"), "3d1219c7c4c5404aaa1f6d2a48adfda4");
    const auto decoded = decode_pool(json::parse(encoded.dump()));
    ASSERT_TRUE(succeeded(decoded));
    EXPECT_EQ(decoded->owner, pool.owner);
}

TEST(PoolOwner, ADocumentWithoutOneDecodesWithNoOwner)
{
    const auto encoded = encode_pool(owned_pool(""));
    EXPECT_FALSE(encoded.contains("owner"));
    const auto decoded = decode_pool(encoded);
    ASSERT_TRUE(succeeded(decoded));
    EXPECT_TRUE(decoded->owner.empty());
}

TEST(PoolOwner, AnythingButAMachineIdIsCorrupt)
{
    for (const auto* bad : {"3D1219C7C4C5404AAA1F6D2A48ADFDA4", "3d1219c7c4c5404aaa1f6d2a48adfda", "host-a",
                            "3d1219c7-c4c5-404a-aa1f-6d2a48adfda4", " 3d1219c7c4c5404aaa1f6d2a48adfda4"}) {
        auto encoded = encode_pool(owned_pool("3d1219c7c4c5404aaa1f6d2a48adfda4"));
        encoded["owner"] = bad;
        EXPECT_TRUE(fails_with(decode_pool(encoded), ErrorCode::Corrupt)) << bad;
    }
    auto encoded = encode_pool(owned_pool(""));
    encoded["owner"] = 42;
    EXPECT_TRUE(fails_with(decode_pool(encoded), ErrorCode::Corrupt));
}

TEST(PoolOwner, MachineIds)
{
    EXPECT_TRUE(is_machine_id("0123456789abcdef0123456789abcdef"));
    EXPECT_FALSE(is_machine_id(""));
    EXPECT_FALSE(is_machine_id("0123456789abcdef0123456789abcdeg"));
    EXPECT_FALSE(is_machine_id("0123456789abcdef0123456789abcdef0"));
}

}  // namespace
}  // namespace volumes::model
