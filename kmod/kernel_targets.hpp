#pragma once

#include "kmod/feature.hpp"
#include "kmod/module_loader.hpp"
#include "kmod/target_version.hpp"

namespace volumes::kmod {

// DM_DEVICE_LIST_VERSIONS: every target the kernel has registered, with its version.
Result<TargetVersions> query_target_versions();

// The kernel's device-mapper as the daemon sees it: dm core loaded, the target versions
// known, and the modules for a feature loaded the first time it is asked for.
class KernelTargets {
public:
    // Loads dm_mod and reads the target versions.
    static Result<KernelTargets> open();

    // Loads what the feature needs if its target is missing, then checks its version.
    Result<void> require(Feature feature);

    const TargetVersions& versions() const { return versions_; }

private:
    KernelTargets(ModuleLoader loader, TargetVersions versions)
        : loader_(std::move(loader)), versions_(std::move(versions))
    {
    }
    ModuleLoader loader_;
    TargetVersions versions_;
};

}  // namespace volumes::kmod
