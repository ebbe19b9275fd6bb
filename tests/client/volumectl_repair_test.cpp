// volumectl repair against volumesd, on members a test can make fail (failing_members.hpp).
#include <algorithm>

#include <gtest/gtest.h>

#include "failing_members.hpp"
#include "object_paths.hpp"
#include "state_snapshot.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "volumectl_fixture.hpp"

namespace volumes::test {
namespace {

using nlohmann::json;

constexpr std::uint64_t mirror_bytes = 16 * mib;

class VolumectlRepair : public VolumectlTest {
protected:
    void TearDown() override
    {
        VolumectlTest::TearDown();  // the pool's dm devices go before the members they map
        members.reset();
    }

    // The member of `pool_json`'s members whose uuid is `uuid`, as an index into `members`.
    unsigned member_index(const json& pool_json, const std::string& uuid)
    {
        for (const auto& member : pool_json.at("members"))
            if (member.at("uuid") == uuid)
                if (auto index = members->index_of(member.at("device").get<std::string>()))
                    return *index;
        throw std::runtime_error("no member device with uuid " + uuid + " in " + pool_json.dump());
    }

    std::unique_ptr<FailingMembers> members;
};

TEST_F(VolumectlRepair, RepairsOntoTheSpareAndWaitsForTheRebuild)
{
    members = std::make_unique<FailingMembers>(3);
    auto create_pool = members->paths();
    create_pool.insert(create_pool.begin(), {"create-pool", "tank"});
    volumectl_json(create_pool);
    create_synced_raid1("tank/mirror", mirror_bytes, 2);
    const auto device = show_volume("tank/mirror").at("device_path").get<std::string>();
    write_pattern(device, 0, mirror_bytes, 31);

    // Nothing to repair while both images are alive: bad input, nothing changed.
    const auto before = take_snapshot(*bus, members->paths());
    const auto healthy = volumectl({"repair", "tank/mirror"});
    EXPECT_EQ(healthy.status, 2) << healthy.describe();
    EXPECT_NE(healthy.err.find("nothing to repair"), std::string::npos) << healthy.describe();
    const auto changed = differences(before, take_snapshot(*bus, members->paths()));
    EXPECT_TRUE(changed.empty()) << changed.front();

    const auto pool_json = volumectl_json({"show", "tank"}).at("pool");
    const auto images = show_volume("tank/mirror").at("raid1").at("images");
    ASSERT_EQ(images.size(), 2u) << images.dump();
    const unsigned kept = member_index(pool_json, images[0].at("member"));
    const unsigned dying = member_index(pool_json, images[1].at("member"));
    unsigned spare = 0;
    while (spare == kept || spare == dying)
        ++spare;

    members->fail(dying);
    write_pattern(device, 0, 4 * mib, 32);
    // A change that cannot write the dead member marks it failed.
    volumectl_json({"create", "tank/more", "4M"});
    const auto failed = volumectl_json({"show", "tank"}).at("pool").at("failed_members");
    ASSERT_EQ(failed.size(), 1u) << failed.dump();
    EXPECT_EQ(failed[0], images[1].at("member"));

    const auto repaired = volumectl_json({"repair", "tank/mirror", "--members", members->path(spare)});
    EXPECT_EQ(repaired.at("object"), volume_path("tank", "mirror"));
    EXPECT_EQ(repaired.at("pending"), false);
    EXPECT_EQ(repaired.at("job").at("operation"), "raid1-repair") << repaired.dump();
    EXPECT_EQ(repaired.at("job").at("finished"), true) << repaired.dump();
    EXPECT_EQ(repaired.at("job").at("success"), true) << repaired.dump();

    const auto array = show_volume("tank/mirror").at("raid1");
    EXPECT_EQ(array.at("health"), "ok") << array.dump();
    ASSERT_EQ(array.at("images").size(), 2u) << array.dump();
    EXPECT_EQ(array.at("images")[0].at("member"), images[0].at("member"));
    EXPECT_EQ(member_index(volumectl_json({"show", "tank"}).at("pool"), array.at("images")[1].at("member")), spare);
    EXPECT_TRUE(std::all_of(array.at("images").begin(), array.at("images").end(),
                            [](const json& image) { return image.at("health") == "alive"; }))
        << array.dump();
    EXPECT_TRUE(holds_pattern(device, 0, 4 * mib, 32));
    EXPECT_TRUE(holds_pattern(device, 4 * mib, mirror_bytes - 4 * mib, 31));
}

}  // namespace
}  // namespace volumes::test
