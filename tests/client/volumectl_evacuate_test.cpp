// volumectl evacuate and cancel against the real volumesd over the system bus: a move started
// with --no-wait is cancelled (the volume stays where it was, the member stays), then a move
// with --remove empties the member and takes it out of the pool, the data intact.
#include <gtest/gtest.h>

#include "state_snapshot.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "volumectl_fixture.hpp"

namespace volumes::test {
namespace {

class VolumectlEvacuate : public VolumectlTest {};

TEST_F(VolumectlEvacuate, ACancelledMoveThenAMoveThatRemovesTheMember)
{
    const auto created = create_pool_with_volumectl("ship", 1).at("pool");
    const std::string first = created.at("members").at(0).at("device");
    volumectl_json({"create", "ship/data", "24M"});  // on the only member
    write_pattern("/dev/mapper/volumes-ship-data", 0, 24 * mib, 61);
    const auto& second = new_loop();
    volumectl_json({"add-member", "ship", second.path()});

    const auto tables_before = dm_tables();
    const auto started = volumectl_json({"evacuate", "ship", first, "--no-wait", "--max-rate", "256"});
    const std::string job = started.at("job").at("object");
    EXPECT_TRUE(started.at("job").at("cancelable").get<bool>()) << started.dump();
    EXPECT_EQ(started.at("job").at("operation"), "member-evacuate");
    const auto cancelled = volumectl_json({"cancel", job}).at("job");
    EXPECT_TRUE(cancelled.at("finished").get<bool>()) << cancelled.dump();
    EXPECT_FALSE(cancelled.at("success").get<bool>()) << cancelled.dump();
    EXPECT_EQ(dm_tables(), tables_before);
    EXPECT_TRUE(holds_pattern("/dev/mapper/volumes-ship-data", 0, 24 * mib, 61));

    const auto moved = volumectl_json({"evacuate", "ship", first, "--remove"});
    EXPECT_TRUE(moved.at("job").at("success").get<bool>()) << moved.dump();
    const auto pool = volumectl_json({"show", "ship"});
    EXPECT_EQ(pool.dump().find(first), std::string::npos) << pool.dump();
    EXPECT_TRUE(holds_pattern("/dev/mapper/volumes-ship-data", 0, 24 * mib, 61));
}

}  // namespace
}  // namespace volumes::test
