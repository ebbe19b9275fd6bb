#include <gtest/gtest.h>

#include "pool_fixture.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::model {
namespace {

using namespace testing;

std::optional<std::uint64_t> size_of(Pool& pool, std::string_view name)
{
    return volume_size(pool, volume_named(pool, name));
}

TEST(VolumeSize, LinearIsItsExtents)
{
    auto pool = valid_pool();
    EXPECT_EQ(size_of(pool, "lin"), 15 * 4 * MiB);
}

TEST(VolumeSize, Raid1IsOneLegsDataExtents)
{
    auto pool = valid_pool();
    EXPECT_EQ(size_of(pool, "mirror"), 20 * 4 * MiB);
}

TEST(VolumeSize, Raid1WithoutLegsHasNone)
{
    auto pool = valid_pool();
    layout_of<Raid1Layout>(pool, "mirror").legs.clear();
    EXPECT_EQ(size_of(pool, "mirror"), std::nullopt);
}

TEST(VolumeSize, TrackedImageIsItsLeg)
{
    auto pool = valid_pool();
    EXPECT_EQ(size_of(pool, "split"), 20 * 4 * MiB);
}

TEST(VolumeSize, TrackedImageOfAMissingArrayOrSlotHasNone)
{
    auto pool = valid_pool();
    layout_of<TrackedImageLayout>(pool, "split").slot = 3;
    EXPECT_EQ(size_of(pool, "split"), std::nullopt);
    layout_of<TrackedImageLayout>(pool, "split").slot = 0;
    layout_of<TrackedImageLayout>(pool, "split").array = uuid_of(0x77);
    EXPECT_EQ(size_of(pool, "split"), std::nullopt);
}

TEST(VolumeSize, SnapshotIsItsOrigin)
{
    auto pool = valid_pool();
    EXPECT_EQ(size_of(pool, "snap"), 15 * 4 * MiB);
    EXPECT_EQ(size_of(pool, "msnap"), 20 * 4 * MiB);
}

TEST(VolumeSize, SnapshotOfAMissingOriginHasNone)
{
    auto pool = valid_pool();
    layout_of<SnapshotLayout>(pool, "snap").origin = uuid_of(0x77);
    EXPECT_EQ(size_of(pool, "snap"), std::nullopt);
}

TEST(VolumeSize, ThinPoolIsItsDataExtents)
{
    auto pool = valid_pool();
    EXPECT_EQ(size_of(pool, "tpool"), 40 * 4 * MiB);
}

TEST(VolumeSize, ThinIsItsVirtualSize)
{
    auto pool = valid_pool();
    layout_of<ThinLayout>(pool, "thin2").virtual_size = 0xffff'ffff'ffff'fe00;
    EXPECT_EQ(size_of(pool, "thin1"), GiB);
    EXPECT_EQ(size_of(pool, "thin2"), 0xffff'ffff'ffff'fe00);
}

}  // namespace
}  // namespace volumes::model
