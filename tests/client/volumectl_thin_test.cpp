// volumectl thin-pool, thin, thin snapshots and the metadata snapshot hold against the real
// volumesd, each --json document checked against the bus properties.
#include <gtest/gtest.h>

#include "object_paths.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "volumectl_fixture.hpp"

namespace volumes::test {
namespace {

class VolumectlThin : public VolumectlTest {};

TEST_F(VolumectlThin, ThinPoolThinVolumeSnapshotAndMetadataHold)
{
    create_pool_with_volumectl("tank", 2);
    const auto pool = volumectl_json({"thin-pool", "tank/tp", "32M", "4M"}).at("volume");
    const auto tp = volume_path("tank", "tp");
    EXPECT_EQ(pool.at("object"), tp);
    EXPECT_EQ(pool.at("kind"), "thin_pool");
    const auto& thin_pool = pool.at("thin_pool");
    ASSERT_TRUE(thin_pool.is_object()) << pool.dump();
    EXPECT_EQ(thin_pool.at("mode"), "rw");
    EXPECT_EQ(thin_pool.at("transaction_id"), 0u);
    EXPECT_EQ(thin_pool.at("data_size"), 32 * mib);
    EXPECT_EQ(thin_pool.at("held_metadata_root"), 0u);
    EXPECT_EQ(thin_pool.at("below_low_water"), property_as<bool>(tp, thin_pool_interface, "BelowLowWater"));
    EXPECT_EQ(thin_pool.at("below_low_water"), false);
    EXPECT_EQ(thin_pool.at("metadata_device"), property_as<std::string>(tp, thin_pool_interface, "MetadataDevice"));

    const auto data = volumectl_json({"thin", "tank/tp", "data", "16M"}).at("volume");
    EXPECT_EQ(data.at("kind"), "thin");
    EXPECT_EQ(data.at("size"), 16 * mib);
    EXPECT_EQ(data.at("thin").at("thin_pool"), tp);
    EXPECT_EQ(data.at("thin").at("thin_id"), 0u);
    write_pattern(data.at("device_path"), 0, 4 * mib, 91);

    const auto snap = volumectl_json({"snapshot", "--cow-size", "0", "tank/data", "snap"}).at("volume");
    EXPECT_EQ(snap.at("kind"), "thin");
    EXPECT_EQ(snap.at("thin").at("thin_id"), 1u);
    EXPECT_EQ(snap.at("thin").at("thin_id"), property_as<std::uint32_t>(volume_path("tank", "snap"), thin_interface, "ThinId"));
    EXPECT_TRUE(holds_pattern(snap.at("device_path"), 0, 4 * mib, 91));

    const auto held = volumectl_json({"reserve-metadata-snap", "tank/tp"});
    EXPECT_EQ(held.at("object"), tp);
    EXPECT_GT(held.at("held_root").get<std::uint64_t>(), 0u);
    EXPECT_EQ(held.at("metadata_device"), thin_pool.at("metadata_device"));
    EXPECT_EQ(held.at("transaction_id"), 2u);
    EXPECT_EQ(show_volume("tank/tp").at("thin_pool").at("held_metadata_root"), held.at("held_root"));
    const auto again = volumectl({"reserve-metadata-snap", "tank/tp"});
    EXPECT_EQ(again.status, 6) << again.describe();

    const auto released = volumectl_json({"release-metadata-snap", "tank/tp"});
    EXPECT_EQ(released, (nlohmann::json{{"object", tp}, {"released", true}}));
    EXPECT_EQ(show_volume("tank/tp").at("thin_pool").at("held_metadata_root"), 0u);
    const auto without_hold = volumectl({"release-metadata-snap", "tank/tp"});
    EXPECT_EQ(without_hold.status, 4) << without_hold.describe();

    EXPECT_EQ(volumectl({"remove", "tank/snap"}).status, 0);
    EXPECT_EQ(volumectl({"show", "tank/snap"}).status, 4);
    EXPECT_TRUE(holds_pattern(data.at("device_path"), 0, 4 * mib, 91));
}

TEST_F(VolumectlThin, ThinOfAVolumeThatIsNoThinPoolIsEight)
{
    create_pool_with_volumectl("tank", 2);
    volumectl_json({"create", "tank/plain", "8M"});
    const auto result = volumectl({"--json", "thin", "tank/plain", "t", "8M"});
    EXPECT_EQ(result.status, 8) << result.describe();
}

}  // namespace
}  // namespace volumes::test
