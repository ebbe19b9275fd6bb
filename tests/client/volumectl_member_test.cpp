// volumectl remove-member against the real volumesd over the system bus: a member that
// holds extents and the last member are refused with nothing changed; an empty member leaves
// by path or by member uuid, and its device is free for a new pool without --force.
#include <gtest/gtest.h>

#include "state_snapshot.hpp"
#include "volumectl_fixture.hpp"

namespace volumes::test {
namespace {

class VolumectlMembers : public VolumectlTest {};

TEST_F(VolumectlMembers, AnEmptyMemberLeavesAndItsDeviceIsFreeAgain)
{
    const auto created = create_pool_with_volumectl("shelf", 1).at("pool");
    const std::string first = created.at("members").at(0).at("device");
    volumectl_json({"create", "shelf/data", "8M"});
    const auto& second = new_loop();
    const auto& third = new_loop();
    volumectl_json({"add-member", "shelf", second.path()});
    const auto grown = volumectl_json({"add-member", "shelf", third.path()}).at("pool");
    ASSERT_EQ(grown.at("members").size(), 3u);
    std::string third_uuid;
    for (const auto& member : grown.at("members"))
        if (member.at("device") == third.path())
            third_uuid = member.at("uuid");
    ASSERT_FALSE(third_uuid.empty()) << grown.dump();

    expect_refused_unchanged({"remove-member", "shelf", first}, 7);            // data's extents
    expect_refused_unchanged({"remove-member", "shelf", "/dev/no-such"}, 4);   // not a member
    expect_refused_unchanged({"remove-member", "shelf", std::string(5000, 'x')}, 2);

    const auto by_path = volumectl_json({"remove-member", "shelf", second.path()}).at("pool");
    EXPECT_EQ(by_path.at("members").size(), 2u);
    const auto by_uuid = volumectl_json({"remove-member", "shelf", third_uuid}).at("pool");
    ASSERT_EQ(by_uuid.at("members").size(), 1u);
    EXPECT_EQ(by_uuid.at("members").at(0).at("device"), first);
    EXPECT_EQ(by_uuid.at("size"), created.at("size"));
    EXPECT_TRUE(by_uuid.at("problems").empty()) << by_uuid.dump();

    volumectl_json({"remove", "shelf/data"});
    expect_refused_unchanged({"remove-member", "shelf", first}, 2);  // the last member

    // The labels are gone: both devices make a new pool without --force.
    const auto again = volumectl({"create-pool", "again", second.path(), third.path()});
    EXPECT_EQ(again.status, 0) << again.describe();
}

}  // namespace
}  // namespace volumes::test
