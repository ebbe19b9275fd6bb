#include <gtest/gtest.h>

#include "pool_builder.hpp"
#include "service/engine/snapshot_changes.hpp"
#include "service/engine/touched_volumes.hpp"
#include "service/engine/volume_changes.hpp"

// What the bus reads again after a change: the volumes it can have changed, by the real
// decisions and the real scope.
namespace volumes::engine {
namespace {

using namespace testing;

graph::MemberPlacements placements_of(const model::Pool& pool)
{
    graph::MemberPlacements placements;
    std::uint32_t minor = 16;
    for (const auto& member : pool.members)
        placements.emplace(member.uuid, graph::MemberPlacement{kmod::DeviceNumber{8, minor++}, 1 << 20});
    return placements;
}

std::optional<std::set<std::string>> touched(const model::Pool& before, const model::Pool& after)
{
    const auto scope = graph::change_scope(before, after, placements_of(before));
    EXPECT_TRUE(scope.has_value());
    return touched_volumes(before, after, *scope);
}

model::Pool with(const model::Pool& pool, const std::string& name, std::uint8_t uuid)
{
    return add_linear_volume(pool, {name, kExtent}, uuid_of(uuid)).value();
}

// "o" and "b" (a bystander), one extent each.
model::Pool two_volumes()
{
    return with(with(empty_pool(), "o", 1), "b", 2);
}

using Names = std::set<std::string>;

TEST(TouchedVolumes, ANewVolumeOnly)
{
    const auto before = two_volumes();
    EXPECT_EQ(touched(before, with(before, "new", 3)), Names{"new"});
}

TEST(TouchedVolumes, ASnapshotAndItsOriginNotTheBystander)
{
    const auto before = two_volumes();
    const auto after = add_snapshot(before, uuid_of(1), {"snap", kExtent}, uuid_of(3)).value();
    EXPECT_EQ(touched(before, after), (Names{"o", "snap"}));
    EXPECT_EQ(touched(after, remove_volume(after, uuid_of(3)).value()), Names{"o"});
}

TEST(TouchedVolumes, ADeactivatedVolumeOnly)
{
    const auto before = two_volumes();
    auto after = before;
    after.volumes[1].active = false;
    EXPECT_EQ(touched(before, after), Names{"b"});
}

TEST(TouchedVolumes, NothingChangedTouchesNothing)
{
    const auto pool = two_volumes();
    EXPECT_EQ(touched(pool, pool), Names{});
}

TEST(TouchedVolumes, APoolDefaultMayShowOnEveryVolume)
{
    const auto before = two_volumes();
    auto after = before;
    after.snapshot_autoextend = model::AutoextendPolicy{70, 10};
    EXPECT_EQ(touched(before, after), std::nullopt);
}

}  // namespace
}  // namespace volumes::engine
