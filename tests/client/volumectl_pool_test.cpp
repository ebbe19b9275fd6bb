// volumectl create-pool, list, show and remove (of a pool) against volumesd, --json
// checked field by field against the bus's own properties.
#include <gtest/gtest.h>

#include "object_paths.hpp"
#include "volumectl_fixture.hpp"

namespace volumes::test {
namespace {

using nlohmann::json;

TEST_F(VolumectlTest, CreatePoolThenListShowAndDestroy)
{
    const auto created = create_pool_with_volumectl("tank", 2, 64 * mib).at("pool");
    const auto path = pool_path("tank");

    EXPECT_EQ(created.at("object"), path);
    EXPECT_EQ(created.at("name"), "tank");
    EXPECT_EQ(created.at("uuid"), property_as<std::string>(path, pool_interface, "Uuid"));
    EXPECT_EQ(created.at("size"), property_as<std::uint64_t>(path, pool_interface, "Size"));
    EXPECT_GT(created.at("size").get<std::uint64_t>(), 64 * mib);
    EXPECT_EQ(created.at("free"), created.at("size"));
    EXPECT_EQ(created.at("extent_size"), 4 * mib);
    EXPECT_EQ(created.at("complete"), true);
    EXPECT_EQ(created.at("problems"), json::array());
    ASSERT_EQ(created.at("members").size(), 2u);
    std::vector<std::string> devices;
    for (const auto& member : created.at("members")) {
        EXPECT_EQ(member.at("present"), true);
        EXPECT_EQ(member.at("uuid").get<std::string>().size(), 36u);
        EXPECT_GT(member.at("size").get<std::uint64_t>(), 0u);
        devices.push_back(member.at("device"));
    }
    std::sort(devices.begin(), devices.end());
    auto loops = loop_paths();
    std::sort(loops.begin(), loops.end());
    EXPECT_EQ(devices, loops);

    const auto listed = volumectl_json({"list"});
    ASSERT_EQ(listed.at("pools").size(), 1u);
    EXPECT_EQ(listed.at("pools")[0], created);
    EXPECT_EQ(listed.at("volumes"), json::array());
    EXPECT_EQ(volumectl_json({"show", "tank"}).at("pool"), created);
    EXPECT_EQ(volumectl_json({"show", path}).at("pool"), created);

    const auto text = volumectl({"list"});
    EXPECT_EQ(text.status, 0) << text.describe();
    EXPECT_NE(text.out.find("tank"), std::string::npos) << text.out;

    EXPECT_EQ(volumectl_json({"remove", "tank"}), (json{{"removed", path}}));
    EXPECT_EQ(volumectl_json({"list"}).at("pools"), json::array());
    EXPECT_EQ(volumectl({"show", "tank"}).status, 4);
}

TEST_F(VolumectlTest, CreatePoolWithExtentSizeAndForce)
{
    const auto& loop = new_loop(64 * mib);
    const auto pool = volumectl_json({"create-pool", "--force", "--extent-size", "8M", "big", loop.path()}).at("pool");
    EXPECT_EQ(pool.at("extent_size"), 8 * mib);
    EXPECT_EQ(pool.at("extent_size"), property_as<std::uint64_t>(pool_path("big"), pool_interface, "ExtentSize"));
}

// `show` takes digits for a job number, but a pool of that name wins (volumectl.1).
TEST_F(VolumectlTest, APoolNamedInDigitsIsShownByItsName)
{
    const auto& loop = new_loop(64 * mib);
    const auto pool = volumectl_json({"create-pool", "--force", "2024", loop.path()}).at("pool");
    EXPECT_EQ(pool.at("name"), "2024");
    EXPECT_EQ(volumectl_json({"show", "2024"}).at("pool"), pool);
    EXPECT_EQ(volumectl({"show", "2025"}).status, 4);
}

}  // namespace
}  // namespace volumes::test
