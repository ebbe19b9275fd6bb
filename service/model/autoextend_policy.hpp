#pragma once

#include <cstdint>
#include <string_view>

#include "service/model/model_error.hpp"
#include "service/model/pool_model.hpp"

// The bounds of an autoextend policy and the policy that applies to a volume.
namespace volumes::model {

// lvm2 also treats a threshold below 50 as 50: lower, a step would soon cross it again.
inline constexpr std::uint32_t kAutoextendMinThreshold = 50;
inline constexpr std::uint32_t kAutoextendOff = 100;
// One step at most doubles the volume, so one reading cannot take a large pool's free space.
inline constexpr std::uint32_t kAutoextendMaxStep = 100;

// InvalidArgument naming `what` unless the threshold is 50..100 and the step 1..100.
Result<void> check_autoextend_policy(const AutoextendPolicy& policy, std::string_view what);

// The policy of a thin pool or a CoW snapshot: its own, else its pool's default for its kind,
// else AutoextendPolicy's defaults.
AutoextendPolicy effective_autoextend(const Pool& pool, const ThinPoolLayout& thin_pool);
AutoextendPolicy effective_autoextend(const Pool& pool, const SnapshotLayout& snapshot);

}  // namespace volumes::model
