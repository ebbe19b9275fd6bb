#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/engine/summaries.hpp"

namespace volumes::daemon {

// The volume a boot cannot go on without (the root, named on the kernel command line).
struct RequiredVolume {
    std::string pool;
    std::string volume;
};

// Why a required volume is not active, in one line that names the pool and what is missing
// (for the initramfs's panic message); `awaits_devices` when a device attached later (a slow
// disk) could still change that: the pool or a member is missing.
struct NotActive {
    std::string reason;
    bool awaits_devices = false;
};

// After activation: why `required` is not an active volume; nothing when it is active.
// `pools` and `start_problems` are what the engine found; `volumes` are the required pool's as
// committed; `in_kernel` says whether the required volume's dm device exists.
std::optional<NotActive> why_not_active(const RequiredVolume& required, const std::vector<engine::PoolSummary>& pools,
                                          const std::vector<std::string>& start_problems,
                                          const std::vector<engine::VolumeSummary>& volumes, bool in_kernel);

}  // namespace volumes::daemon
