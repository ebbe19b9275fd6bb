#include "service/bus/requests/health_log.hpp"

#include <fmt/format.h>

#include "service/bus/state/raid1_health.hpp"

namespace volumes::bus {

std::optional<HealthChange> health_change(const VolumeState* shown, const VolumeState& next)
{
    if (!next.raid1)
        return std::nullopt;
    const auto& after = next.raid1->health;
    const std::string before = shown && shown->raid1 ? shown->raid1->health : std::string();
    if (after == before || (before.empty() && after == "ok"))
        return std::nullopt;
    HealthChange change;
    change.level = after == "ok" ? logging::Level::Notice : logging::Level::Warning;
    change.message = before.empty() ? fmt::format("raid1 health {}: {}", after, describe_images(next.raid1->images))
                                    : fmt::format("raid1 health {} -> {}: {}", before, after,
                                                  describe_images(next.raid1->images));
    if (!next.unavailable.empty())
        change.message += fmt::format("; unavailable: {}", next.unavailable);
    return change;
}

void log_health_change(const VolumeState* shown, const VolumeState& next)
{
    if (const auto change = health_change(shown, next))
        logging::write(change->level, logging::Fields{next.pool, next.name, "raid1-health"}, change->message);
}

}  // namespace volumes::bus
