#include "kmod/feature.hpp"

#include <array>

#include <fmt/core.h>

namespace volumes::kmod {
namespace {

constexpr std::array requirements{
    FeatureRequirement{Feature::Linear, "linear volumes", "linear", {1, 0, 0}, "dm_mod"},
    FeatureRequirement{Feature::Raid1, "raid1 volumes", "raid", {1, 2, 0}, "dm_raid", "raid1"},
    FeatureRequirement{Feature::Raid1SyncAction, "raid1 sync progress", "raid", {1, 5, 0}, "dm_raid", "raid1"},
    FeatureRequirement{Feature::Raid1SplitTrack, "split-track of a raid1 image", "raid", {1, 9, 2}, "dm_raid", "raid1"},
    FeatureRequirement{Feature::Snapshot, "snapshots", "snapshot", {1, 0, 0}, "dm_snapshot"},
    FeatureRequirement{Feature::SnapshotMerge, "snapshot merge", "snapshot-merge", {1, 0, 0}, "dm_snapshot"},
    FeatureRequirement{Feature::ThinPool, "thin pools", "thin-pool", {1, 0, 0}, "dm_thin_pool"},
    FeatureRequirement{Feature::ThinMetadataSnapshot, "thin pool metadata snapshots", "thin-pool", {1, 1, 0},
                       "dm_thin_pool"},
    FeatureRequirement{Feature::ThinErrorIfNoSpace, "error_if_no_space on thin pools", "thin-pool", {1, 10, 0},
                       "dm_thin_pool"},
};

}  // namespace

std::span<const FeatureRequirement> all_feature_requirements()
{
    return requirements;
}

const FeatureRequirement& requirement_of(Feature feature)
{
    for (const auto& requirement : requirements)
        if (requirement.feature == feature)
            return requirement;
    return requirements.front();  // unreachable: every Feature has an entry (tested)
}

Result<void> check_feature(const TargetVersions& versions, Feature feature)
{
    const auto& needed = requirement_of(feature);
    const auto present = versions.of(needed.target);
    if (!present)
        return fail(ErrorCode::NotFound,
                    fmt::format("{} need the dm target '{}' (kernel module {}), which is not loaded", needed.description,
                                needed.target, needed.module));
    if (*present < needed.minimum)
        return fail(ErrorCode::KernelTooOld,
                    fmt::format("{} need dm target '{}' version {} or later; this kernel has {}", needed.description,
                                needed.target, needed.minimum.to_string(), present->to_string()));
    return {};
}

}  // namespace volumes::kmod
