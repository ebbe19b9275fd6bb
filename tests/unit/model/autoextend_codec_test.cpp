// Autoextend policies in the pool object: written only where set, absent read as unset (the
// defaults apply), out of bounds Corrupt, an unknown key in a policy Unsupported.
#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_fixture.hpp"
#include "service/model/autoextend_policy.hpp"
#include "service/model/pool_checks.hpp"
#include "service/model/pool_codec.hpp"

namespace volumes::model {
namespace {

using namespace testing;
using nlohmann::json;
using volumes::testing::fails_with;
using volumes::testing::succeeded;

json& volume_json(json& pool, std::string_view name)
{
    for (auto& volume : pool.at("volumes"))
        if (volume.at("name") == name)
            return volume;
    throw std::out_of_range("no volume named " + std::string(name));
}

TEST(AutoextendCodec, APoolWithoutPoliciesEncodesNoneAndReadsEveryPolicyAtTheDefault)
{
    const auto pool = valid_pool();
    auto encoded = encode_pool(pool);
    EXPECT_FALSE(encoded.contains("thin_pool_autoextend"));
    EXPECT_FALSE(encoded.contains("snapshot_autoextend"));
    EXPECT_FALSE(volume_json(encoded, "tpool").contains("autoextend"));
    EXPECT_FALSE(volume_json(encoded, "snap").contains("autoextend"));

    const auto decoded = decode_pool(json::parse(encoded.dump()));
    ASSERT_TRUE(succeeded(decoded));
    EXPECT_EQ(*decoded, pool);
    auto copy = *decoded;
    EXPECT_EQ(effective_autoextend(copy, layout_of<ThinPoolLayout>(copy, "tpool")), (AutoextendPolicy{80, 20}));
    EXPECT_EQ(effective_autoextend(copy, layout_of<SnapshotLayout>(copy, "snap")), (AutoextendPolicy{80, 20}));
}

TEST(AutoextendCodec, PoliciesRoundTripInTheDocumentedShape)
{
    auto pool = valid_pool();
    pool.thin_pool_autoextend = AutoextendPolicy{70, 10};
    pool.snapshot_autoextend = AutoextendPolicy{100, 20};
    layout_of<ThinPoolLayout>(pool, "tpool").autoextend = AutoextendPolicy{90, 50};
    layout_of<SnapshotLayout>(pool, "snap").autoextend = AutoextendPolicy{50, 1};
    auto encoded = encode_pool(pool);
    EXPECT_EQ(encoded.at("thin_pool_autoextend"), json::parse(R"({"threshold_percent": 70, "step_percent": 10})"));
    EXPECT_EQ(encoded.at("snapshot_autoextend"), json::parse(R"({"threshold_percent": 100, "step_percent": 20})"));
    EXPECT_EQ(volume_json(encoded, "tpool").at("autoextend"),
              json::parse(R"({"threshold_percent": 90, "step_percent": 50})"));
    EXPECT_EQ(volume_json(encoded, "snap").at("autoextend"),
              json::parse(R"({"threshold_percent": 50, "step_percent": 1})"));
    EXPECT_FALSE(volume_json(encoded, "msnap").contains("autoextend"));

    const auto decoded = decode_pool(json::parse(encoded.dump()));
    ASSERT_TRUE(succeeded(decoded));
    EXPECT_EQ(*decoded, pool);
    auto copy = *decoded;
    EXPECT_EQ(effective_autoextend(copy, layout_of<ThinPoolLayout>(copy, "tpool")), (AutoextendPolicy{90, 50}));
    EXPECT_EQ(effective_autoextend(copy, layout_of<SnapshotLayout>(copy, "msnap")), (AutoextendPolicy{100, 20}));
}

TEST(AutoextendCodec, PoliciesOutOfBoundsAreCorrupt)
{
    for (const auto& [threshold, step] : {std::pair{49u, 20u}, {101u, 20u}, {80u, 0u}, {80u, 101u}}) {
        auto pool = valid_pool();
        layout_of<SnapshotLayout>(pool, "snap").autoextend = AutoextendPolicy{threshold, step};
        EXPECT_TRUE(fails_with(check_pool(pool), ErrorCode::Corrupt)) << threshold << "/" << step;
        EXPECT_TRUE(fails_with(decode_pool(encode_pool(pool)), ErrorCode::Corrupt)) << threshold << "/" << step;

        pool = valid_pool();
        pool.thin_pool_autoextend = AutoextendPolicy{threshold, step};
        EXPECT_TRUE(fails_with(check_pool(pool), ErrorCode::Corrupt)) << threshold << "/" << step;
    }
}

TEST(AutoextendCodec, AMalformedPolicyIsRefused)
{
    auto encoded = encode_pool(valid_pool());
    auto unknown = encoded;
    volume_json(unknown, "tpool")["autoextend"] = {{"threshold_percent", 80}, {"step_percent", 20}, {"size", 1}};
    EXPECT_TRUE(fails_with(decode_pool(unknown), ErrorCode::Unsupported));

    auto missing = encoded;
    missing["snapshot_autoextend"] = {{"threshold_percent", 80}};
    EXPECT_TRUE(fails_with(decode_pool(missing), ErrorCode::Corrupt));

    auto not_object = encoded;
    volume_json(not_object, "snap")["autoextend"] = 80;
    EXPECT_TRUE(fails_with(decode_pool(not_object), ErrorCode::Corrupt));
}

}  // namespace
}  // namespace volumes::model
