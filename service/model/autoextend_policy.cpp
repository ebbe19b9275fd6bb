#include "service/model/autoextend_policy.hpp"

#include <fmt/core.h>

namespace volumes::model {

Result<void> check_autoextend_policy(const AutoextendPolicy& policy, std::string_view what)
{
    if (policy.threshold_percent < kAutoextendMinThreshold || policy.threshold_percent > kAutoextendOff)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("{}: an autoextend threshold is {} to {} percent ({} turns it off), not {}", what,
                                kAutoextendMinThreshold, kAutoextendOff, kAutoextendOff, policy.threshold_percent));
    if (policy.step_percent == 0 || policy.step_percent > kAutoextendMaxStep)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("{}: an autoextend step is 1 to {} percent of the current size, not {}", what,
                                kAutoextendMaxStep, policy.step_percent));
    return {};
}

AutoextendPolicy effective_autoextend(const Pool& pool, const ThinPoolLayout& thin_pool)
{
    return thin_pool.autoextend.value_or(pool.thin_pool_autoextend.value_or(AutoextendPolicy{}));
}

AutoextendPolicy effective_autoextend(const Pool& pool, const SnapshotLayout& snapshot)
{
    return snapshot.autoextend.value_or(pool.snapshot_autoextend.value_or(AutoextendPolicy{}));
}

}  // namespace volumes::model
