#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "kmod/feature.hpp"

namespace volumes::kmod {
namespace {

using testing::fails_with;
using testing::succeeded;

TargetVersions with(std::string target, TargetVersion version)
{
    return TargetVersions({{std::move(target), version}});
}

TEST(FeatureGate, EveryFeatureHasItsOwnRequirement)
{
    for (const auto& requirement : all_feature_requirements())
        EXPECT_EQ(requirement_of(requirement.feature).feature, requirement.feature) << requirement.description;
}

TEST(FeatureGate, SplitTrackNeedsRaidOneNineTwo)
{
    EXPECT_TRUE(succeeded(check_feature(with("raid", {1, 9, 2}), Feature::Raid1SplitTrack)));
    EXPECT_TRUE(succeeded(check_feature(with("raid", {1, 15, 1}), Feature::Raid1SplitTrack)));
    EXPECT_TRUE(succeeded(check_feature(with("raid", {2, 0, 0}), Feature::Raid1SplitTrack)));
}

TEST(FeatureGate, AnOlderTargetIsKernelTooOldAndTheMessageNamesBothVersions)
{
    const auto refused = check_feature(with("raid", {1, 9, 1}), Feature::Raid1SplitTrack);
    ASSERT_TRUE(fails_with(refused, ErrorCode::KernelTooOld));
    EXPECT_NE(refused.error().message.find("1.9.2"), std::string::npos) << refused.error().message;
    EXPECT_NE(refused.error().message.find("1.9.1"), std::string::npos) << refused.error().message;
    EXPECT_NE(refused.error().message.find("'raid'"), std::string::npos) << refused.error().message;
}

TEST(FeatureGate, AMissingTargetIsNotFoundAndNamesItsModule)
{
    const auto refused = check_feature(with("raid", {1, 15, 1}), Feature::ThinMetadataSnapshot);
    ASSERT_TRUE(fails_with(refused, ErrorCode::NotFound));
    EXPECT_NE(refused.error().message.find("thin-pool"), std::string::npos) << refused.error().message;
    EXPECT_NE(refused.error().message.find("dm_thin_pool"), std::string::npos) << refused.error().message;
}

TEST(FeatureGate, MetadataSnapshotsNeedThinPoolOneOne)
{
    EXPECT_TRUE(fails_with(check_feature(with("thin-pool", {1, 0, 9}), Feature::ThinMetadataSnapshot),
                           ErrorCode::KernelTooOld));
    EXPECT_TRUE(succeeded(check_feature(with("thin-pool", {1, 1, 0}), Feature::ThinMetadataSnapshot)));
}

TEST(FeatureGate, SnapshotMergeIsGatedOnTheSnapshotMergeTargetNotSnapshot)
{
    EXPECT_TRUE(fails_with(check_feature(with("snapshot", {1, 16, 0}), Feature::SnapshotMerge), ErrorCode::NotFound));
    EXPECT_TRUE(succeeded(check_feature(with("snapshot-merge", {1, 5, 0}), Feature::SnapshotMerge)));
}

TEST(TargetVersion, OrdersByMajorThenMinorThenPatch)
{
    EXPECT_LT((TargetVersion{1, 9, 2}), (TargetVersion{1, 10, 0}));
    EXPECT_LT((TargetVersion{1, 15, 1}), (TargetVersion{2, 0, 0}));
    EXPECT_LT((TargetVersion{1, 9, 1}), (TargetVersion{1, 9, 2}));
    EXPECT_EQ((TargetVersion{1, 22, 0}).to_string(), "1.22.0");
}

}  // namespace
}  // namespace volumes::kmod
