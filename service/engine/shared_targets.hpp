#pragma once

#include <mutex>

#include "kmod/kernel_targets.hpp"

namespace volumes::engine {

// The kernel's dm targets, shared by every pool's worker. The lock covers only these calls
// (a version check, and loading a missing target's module), never a transaction: changes to
// different pools run side by side.
class SharedTargets {
public:
    explicit SharedTargets(kmod::KernelTargets targets) : targets_(std::move(targets)) {}

    kmod::Result<void> require(kmod::Feature feature)
    {
        std::lock_guard guard(lock_);
        return targets_.require(feature);
    }
    kmod::TargetVersions versions() const
    {
        std::lock_guard guard(lock_);
        return targets_.versions();
    }

private:
    mutable std::mutex lock_;
    kmod::KernelTargets targets_;
};

}  // namespace volumes::engine
