#include <algorithm>

#include <gtest/gtest.h>

#include "pool_builder.hpp"
#include "service/engine/required_features.hpp"
#include "service/engine/volume_changes.hpp"

namespace volumes::engine {
namespace {

using namespace testing;
using kmod::Feature;

bool needs(const model::Pool& pool, Feature feature)
{
    const auto features = required_features(pool);
    return std::find(features.begin(), features.end(), feature) != features.end();
}

TEST(RequiredFeatures, FollowTheActiveVolumes)
{
    auto pool = empty_pool(3, 10);
    EXPECT_TRUE(required_features(pool).empty());
    auto with_raid = add_raid1_volume(pool, {"arr", kExtent, 3}, uuid_of(1));
    ASSERT_TRUE(with_raid);
    EXPECT_TRUE(needs(*with_raid, Feature::Raid1));
    EXPECT_FALSE(needs(*with_raid, Feature::Raid1SplitTrack));

    auto split = split_track(*with_raid, uuid_of(1), {}, uuid_of(2));
    ASSERT_TRUE(split);
    EXPECT_TRUE(needs(*split, Feature::Raid1SplitTrack));

    auto inactive = set_active(*with_raid, uuid_of(1), false);
    ASSERT_TRUE(inactive);
    EXPECT_FALSE(needs(*inactive, Feature::Raid1));
}

}  // namespace
}  // namespace volumes::engine
