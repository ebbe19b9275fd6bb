#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_builder.hpp"
#include "service/allocator/extent_allocator.hpp"
#include "service/engine/raid1_conversion.hpp"
#include "service/engine/snapshot_changes.hpp"
#include "service/engine/volume_changes.hpp"
#include "service/model/pool_checks.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {
namespace {

using volumes::testing::fails_with;
using volumes::testing::succeeded;
using namespace testing;

// A linear volume "lin" of `extents` extents in a pool of `members` members of 10 extents.
model::Pool with_linear(unsigned members = 3, std::uint64_t extents = 2)
{
    auto pool = add_linear_volume(empty_pool(members, 10), {"lin", extents * kExtent}, uuid_of(1));
    if (!pool)
        throw std::runtime_error(pool.error().message);
    return *pool;
}

const model::ExtentMap& data_of(const model::Pool& pool)
{
    return std::get<model::LinearLayout>(model::find_volume(pool, uuid_of(1))->layout).data;
}

model::Uuid home_of(const model::Pool& pool)
{
    return data_of(pool).front().member;
}

const model::Raid1Layout& raid_of(const model::Pool& pool)
{
    return std::get<model::Raid1Layout>(model::find_volume(pool, uuid_of(1))->layout);
}

std::uint64_t free_on(const model::Pool& pool, const model::Uuid& member)
{
    for (const auto& free : allocator::free_extents(pool))
        if (free.member == member)
            return free.extents();
    return 0;
}

// Members other than the volume's.
std::vector<model::Uuid> others_of(const model::Pool& pool)
{
    std::vector<model::Uuid> others;
    for (const auto& member : pool.members)
        if (member.uuid != home_of(pool))
            others.push_back(member.uuid);
    return others;
}

Result<model::Pool> convert(const model::Pool& pool, const Raid1RepairChoice& choice = {},
                            std::uint64_t region_size = kDefaultRegionSize)
{
    return convert_to_raid1(pool, uuid_of(1), choice, region_size);
}

TEST(Raid1Conversion, TheLinearDataBecomesImageZeroAndANewRebuildingImageGoesElsewhere)
{
    const auto pool = with_linear();
    const auto home = home_of(pool);
    const auto data = data_of(pool);
    auto next = convert(pool);
    ASSERT_TRUE(succeeded(next));
    EXPECT_TRUE(succeeded(model::check_pool(*next)));
    const auto& volume = *model::find_volume(*next, uuid_of(1));
    EXPECT_EQ(volume.name, "lin");
    EXPECT_TRUE(volume.active);
    const auto& raid = raid_of(*next);
    EXPECT_EQ(raid.region_size, kDefaultRegionSize);
    ASSERT_EQ(raid.legs.size(), 2u);
    // Image 0 maps exactly the old extents; its metadata extent is on the same member.
    EXPECT_EQ(raid.legs[0].data, data);
    ASSERT_EQ(raid.legs[0].meta.size(), 1u);
    EXPECT_EQ(raid.legs[0].meta.front().member, home);
    EXPECT_EQ(raid.legs[0].meta.front().count, 1u);
    EXPECT_FALSE(raid.legs[0].rebuilding);
    EXPECT_FALSE(raid.legs[0].tracked_image);
    // Image 1 is rebuilt from it, on another member.
    EXPECT_TRUE(raid.legs[1].rebuilding);
    EXPECT_NE(raid.legs[1].meta.front().member, home);
    EXPECT_EQ(raid.legs[1].data.front().member, raid.legs[1].meta.front().member);
    EXPECT_EQ(model::extent_count(raid.legs[1].data), 2u);
    EXPECT_EQ(model::extent_count(raid.legs[1].meta), 1u);
    EXPECT_TRUE(raid1_rebuilding(volume));
    // One extent more on the home member, three on the new image's.
    EXPECT_EQ(free_on(*next, home), free_on(pool, home) - 1);
    EXPECT_EQ(free_on(*next, raid.legs[1].meta.front().member), 10u - 3u);
    // Nothing else changes.
    auto expected = *next;
    model::find_volume(expected, uuid_of(1))->layout = model::LinearLayout{data};
    EXPECT_EQ(expected, pool);
}

TEST(Raid1Conversion, TakesTheRegionSizeAsCreateDoes)
{
    const auto pool = with_linear();
    auto next = convert(pool, {}, 64 * 1024);
    ASSERT_TRUE(succeeded(next));
    EXPECT_EQ(raid_of(*next).region_size, 64u * 1024);
    EXPECT_TRUE(fails_with(convert(pool, {}, 3000), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(convert(pool, {}, 2048), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(convert(pool, {}, 3 * 4096), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(convert(pool, {}, 4 * kExtent), ErrorCode::InvalidArgument));  // above the image
    EXPECT_TRUE(succeeded(convert(pool, {}, 2 * kExtent)));
}

TEST(Raid1Conversion, GoesOnlyOnAnAllowedMember)
{
    const auto pool = with_linear(4);
    for (const auto& chosen : others_of(pool)) {
        auto next = convert(pool, {{chosen}, {}});
        ASSERT_TRUE(succeeded(next));
        EXPECT_EQ(raid_of(*next).legs[1].meta.front().member, chosen);
    }
}

TEST(Raid1Conversion, RefusesAnAllowedMemberThatCannotHoldTheImage)
{
    auto pool = with_linear();
    const auto others = others_of(pool);
    const auto home = convert(pool, {{home_of(pool)}, {}});
    ASSERT_TRUE(fails_with(home, ErrorCode::InvalidArgument));
    EXPECT_NE(home.error().message.find("another member"), std::string::npos) << home.error().message;
    EXPECT_TRUE(fails_with(convert(pool, {{uuid_of(0x77)}, {}}), ErrorCode::NotFound));
    EXPECT_TRUE(fails_with(convert(pool, {{others[0]}, {others[0]}}), ErrorCode::InvalidArgument));  // missing
    model::find_member(pool, others[1])->failed = true;
    EXPECT_TRUE(fails_with(convert(pool, {{others[1]}, {}}), ErrorCode::InvalidArgument));
    // Left to choose, it takes the member that can.
    auto next = convert(pool);
    ASSERT_TRUE(succeeded(next));
    EXPECT_EQ(raid_of(*next).legs[1].meta.front().member, others[0]);
}

TEST(Raid1Conversion, RefusesAVolumeOnAFailedOrMissingMember)
{
    auto pool = with_linear();
    const auto home = home_of(pool);
    EXPECT_TRUE(fails_with(convert(pool, {{}, {home}}), ErrorCode::InvalidArgument));
    model::find_member(pool, home)->failed = true;
    EXPECT_TRUE(fails_with(convert(pool), ErrorCode::InvalidArgument));
}

TEST(Raid1Conversion, RefusesOtherKindsInactiveVolumesAndUnknownVolumes)
{
    const auto pool = with_linear();
    EXPECT_TRUE(fails_with(convert_to_raid1(pool, uuid_of(9), {}, kDefaultRegionSize), ErrorCode::NotFound));
    auto inactive = set_active(pool, uuid_of(1), false);
    ASSERT_TRUE(succeeded(inactive));
    const auto refused = convert(*inactive);
    ASSERT_TRUE(fails_with(refused, ErrorCode::InvalidArgument));
    EXPECT_NE(refused.error().message.find("activate it first"), std::string::npos) << refused.error().message;

    auto converted = convert(pool);
    ASSERT_TRUE(succeeded(converted));
    const auto again = convert(*converted);
    ASSERT_TRUE(fails_with(again, ErrorCode::InvalidArgument));
    EXPECT_NE(again.error().message.find("raid1 volume already"), std::string::npos) << again.error().message;

    auto with_raid = add_raid1_volume(pool, {"arr", kExtent, 2}, uuid_of(2));
    ASSERT_TRUE(succeeded(with_raid));
    EXPECT_TRUE(fails_with(convert_to_raid1(*with_raid, uuid_of(2), {}, kDefaultRegionSize),
                           ErrorCode::InvalidArgument));
    auto with_snapshot = add_snapshot(pool, uuid_of(1), {"snap", kExtent}, uuid_of(3));
    ASSERT_TRUE(succeeded(with_snapshot));
    EXPECT_TRUE(fails_with(convert_to_raid1(*with_snapshot, uuid_of(3), {}, kDefaultRegionSize),
                           ErrorCode::InvalidArgument));
}

TEST(Raid1Conversion, RefusesAnOriginWithSnapshots)
{
    const auto pool = with_linear();
    auto with_snapshot = add_snapshot(pool, uuid_of(1), {"snap", kExtent}, uuid_of(3));
    ASSERT_TRUE(succeeded(with_snapshot));
    const auto refused = convert(*with_snapshot);
    ASSERT_TRUE(fails_with(refused, ErrorCode::NotSupported));
    EXPECT_NE(refused.error().message.find("snap"), std::string::npos) << refused.error().message;
}

TEST(Raid1Conversion, RefusesAVolumeSpanningMembers)
{
    // 8 extents on members of 5: the allocator spreads them over two.
    auto pool = add_linear_volume(empty_pool(3, 5), {"lin", 8 * kExtent}, uuid_of(1));
    ASSERT_TRUE(succeeded(pool));
    ASSERT_NE(data_of(*pool).front().member, data_of(*pool).back().member);
    const auto refused = convert(*pool);
    ASSERT_TRUE(fails_with(refused, ErrorCode::NotSupported));
    EXPECT_NE(refused.error().message.find("spans members"), std::string::npos) << refused.error().message;
}

TEST(Raid1Conversion, NoSpaceForImageZerosMetadataOnItsMember)
{
    // Two members of 2 extents: "lin" fills one of them.
    auto pool = add_linear_volume(empty_pool(2, 2), {"lin", 2 * kExtent}, uuid_of(1));
    ASSERT_TRUE(succeeded(pool));
    ASSERT_EQ(free_on(*pool, home_of(*pool)), 0u);
    const auto refused = convert(*pool);
    ASSERT_TRUE(fails_with(refused, ErrorCode::NoSpace));
    EXPECT_NE(refused.error().message.find("metadata"), std::string::npos) << refused.error().message;
}

TEST(Raid1Conversion, NoSpaceWithoutAnotherMemberWithRoom)
{
    // One member only.
    EXPECT_TRUE(fails_with(convert(with_linear(1)), ErrorCode::NoSpace));
    // The other member keeps 2 free extents: the new image needs 3.
    auto pool = add_linear_volume(empty_pool(2, 10), {"lin", 2 * kExtent}, uuid_of(1));
    ASSERT_TRUE(succeeded(pool));
    auto filled = add_linear_volume(*pool, {"fill", 8 * kExtent}, uuid_of(2));
    ASSERT_TRUE(succeeded(filled));
    ASSERT_EQ(free_on(*filled, others_of(*filled).front()), 2u);
    EXPECT_TRUE(fails_with(convert(*filled), ErrorCode::NoSpace));
}

}  // namespace
}  // namespace volumes::engine
