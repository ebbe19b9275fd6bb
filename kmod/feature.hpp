#pragma once

#include <span>
#include <string_view>

#include "kmod/error.hpp"
#include "kmod/target_version.hpp"

namespace volumes::kmod {

// What the daemon may ask of the kernel, each gated on one target's version
// (kernel-targets.md §1.6, §3.3, §2).
enum class Feature {
    Linear,
    Raid1,                 // raid1 with metadata devices and a write-intent bitmap
    Raid1SyncAction,       // status sync_action and the message interface
    Raid1SplitTrack,       // "- -" slots reported as '-' health, so a split image is seen as such
    Snapshot,
    SnapshotMerge,
    ThinPool,
    ThinMetadataSnapshot,  // reserve_metadata_snap / release_metadata_snap
    ThinErrorIfNoSpace,
};

struct FeatureRequirement {
    Feature feature;
    std::string_view description;  // "split-track of a raid1 image"
    std::string_view target;       // dm target name, "raid"
    TargetVersion minimum;
    std::string_view module;       // kernel module that registers the target
    std::string_view helper_module = {};  // a module the target requests from the kernel itself (md's raid1
                                          // personality), loaded ahead because that request can fail
};

const FeatureRequirement& requirement_of(Feature feature);
std::span<const FeatureRequirement> all_feature_requirements();

// Yes, or an error that names what is missing: the target (NotFound, with its module) or the
// version needed (KernelTooOld).
Result<void> check_feature(const TargetVersions& versions, Feature feature);

}  // namespace volumes::kmod
