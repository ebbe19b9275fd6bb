// volumectl autoextend against the real volumesd: a pool's defaults, a thin pool's and a
// snapshot's own policy, --inherit, off, and what show prints; each checked against the bus.
#include <gtest/gtest.h>

#include "object_paths.hpp"
#include "volumectl_fixture.hpp"

namespace volumes::test {
namespace {

using Policy = sdbus::Struct<std::uint32_t, std::uint32_t, bool>;
using PoolPolicy = sdbus::Struct<std::uint32_t, std::uint32_t>;

class VolumectlAutoextend : public VolumectlTest {};

nlohmann::json policy(std::uint32_t threshold, std::uint32_t step, bool inherited)
{
    return {{"threshold", threshold}, {"step", step}, {"inherited", inherited}};
}

TEST_F(VolumectlAutoextend, PoolDefaultsVolumePoliciesInheritAndOff)
{
    create_pool_with_volumectl("tank", 2);
    volumectl_json({"thin-pool", "tank/tp", "16M", "4M"});
    volumectl_json({"create", "tank/root", "8M"});
    volumectl_json({"snapshot", "--cow-size", "4M", "tank/root", "snap"});
    const auto tp = volume_path("tank", "tp");
    const auto snap = volume_path("tank", "snap");

    auto pool = volumectl_json({"autoextend", "tank"}).at("pool");
    EXPECT_EQ(pool.at("autoextend"), (nlohmann::json{{"thin_pool", {{"threshold", 80}, {"step", 20}}},
                                                     {"snapshot", {{"threshold", 80}, {"step", 20}}}}));
    pool = volumectl_json({"autoextend", "tank", "--thin-pools", "70/25", "--snapshots", "off"}).at("pool");
    EXPECT_EQ(pool.at("autoextend").at("thin_pool"), (nlohmann::json{{"threshold", 70}, {"step", 25}}));
    EXPECT_EQ(pool.at("autoextend").at("snapshot"), (nlohmann::json{{"threshold", 100}, {"step", 20}}));
    EXPECT_EQ(property_as<PoolPolicy>(pool_path("tank"), pool_interface, "ThinPoolAutoextend"), PoolPolicy(70u, 25u));
    EXPECT_EQ(show_volume("tank/tp").at("thin_pool").at("autoextend"), policy(70, 25, true));
    EXPECT_EQ(show_volume("tank/snap").at("snapshot").at("autoextend"), policy(100, 20, true));

    const auto own = volumectl_json({"autoextend", "tank/tp", "90/10"}).at("volume");
    EXPECT_EQ(own.at("thin_pool").at("autoextend"), policy(90, 10, false));
    EXPECT_EQ(property_as<Policy>(tp, thin_pool_interface, "Autoextend"), Policy(90u, 10u, false));
    const auto snap_own = volumectl_json({"autoextend", "tank/snap", "60/50"}).at("volume");
    EXPECT_EQ(snap_own.at("snapshot").at("autoextend"), policy(60, 50, false));
    const auto snap_off = volumectl_json({"autoextend", "tank/snap", "off"}).at("volume");
    EXPECT_EQ(snap_off.at("snapshot").at("autoextend"), policy(100, 50, false));
    EXPECT_EQ(property_as<Policy>(snap, snapshot_interface, "Autoextend"), Policy(100u, 50u, false));

    const auto inherited = volumectl_json({"autoextend", "tank/tp", "--inherit"}).at("volume");
    EXPECT_EQ(inherited.at("thin_pool").at("autoextend"), policy(70, 25, true));

    const auto text = volumectl({"show", "tank/tp"});
    EXPECT_NE(text.out.find("at 70% used, by 25% (the pool's)"), std::string::npos) << text.describe();
    const auto pool_text = volumectl({"show", "tank"});
    EXPECT_NE(pool_text.out.find("autoextend snapshots"), std::string::npos) << pool_text.describe();
    EXPECT_NE(pool_text.out.find("off"), std::string::npos) << pool_text.describe();

    // The daemon checks the ranges: InvalidArgument is exit 2; nothing changed.
    const auto refused = volumectl({"autoextend", "tank/tp", "49/20"});
    EXPECT_EQ(refused.status, 2) << refused.describe();
    EXPECT_NE(refused.err.find("threshold"), std::string::npos) << refused.describe();
    EXPECT_EQ(property_as<Policy>(tp, thin_pool_interface, "Autoextend"), Policy(70u, 25u, true));
    const auto linear = volumectl({"autoextend", "tank/root", "80/20"});
    EXPECT_EQ(linear.status, 8) << linear.describe();
}

}  // namespace
}  // namespace volumes::test
