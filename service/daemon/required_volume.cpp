#include "service/daemon/required_volume.hpp"

#include <algorithm>

#include <fmt/core.h>

namespace volumes::daemon {

namespace {

std::string joined(const std::vector<std::string>& items)
{
    std::string text;
    for (const auto& item : items)
        text += (text.empty() ? "" : "; ") + item;
    return text;
}

std::string missing_members(const engine::PoolSummary& pool)
{
    std::string missing;
    std::size_t present = 0;
    for (const auto& member : pool.members) {
        if (member.present)
            ++present;
        else
            missing += (missing.empty() ? "" : ", ") + member.uuid.to_string();
    }
    return fmt::format("{} of its {} members missing ({}), {} present", pool.members.size() - present,
                       pool.members.size(), missing, present);
}

}  // namespace

std::optional<NotActive> why_not_active(const RequiredVolume& required, const std::vector<engine::PoolSummary>& pools,
                                          const std::vector<std::string>& start_problems,
                                          const std::vector<engine::VolumeSummary>& volumes, bool in_kernel)
{
    const auto pool = std::find_if(pools.begin(), pools.end(), [&](const auto& p) { return p.name == required.pool; });
    if (pool == pools.end()) {
        auto reason = fmt::format("no pool named '{}' was found on the attached devices", required.pool);
        if (!start_problems.empty())
            reason += "; devices and pools that were refused: " + joined(start_problems);
        return NotActive{reason, true};
    }
    if (!pool->foreign.empty())
        return NotActive{fmt::format("pool '{}' is foreign: {}; it is activated only after an import on this machine "
                                     "(volumectl import {})",
                                     required.pool, pool->foreign, required.pool)};
    if (!pool->complete)
        return NotActive{fmt::format("pool '{}' is incomplete: {}", required.pool, missing_members(*pool)), true};
    const auto volume =
        std::find_if(volumes.begin(), volumes.end(), [&](const auto& v) { return v.name == required.volume; });
    if (volume == volumes.end())
        return NotActive{fmt::format("pool '{}' has no volume '{}'", required.pool, required.volume)};
    const auto not_active = fmt::format("volume '{}' of pool '{}' is not active", required.volume, required.pool);
    if (!volume->active)
        return NotActive{not_active + ": it is recorded inactive (Volume.Activate from a running system records it active)"};
    if (in_kernel)
        return std::nullopt;
    return NotActive{not_active + ": " + (pool->problems.empty() ? "start-up reported no reason" : joined(pool->problems))};
}

}  // namespace volumes::daemon
