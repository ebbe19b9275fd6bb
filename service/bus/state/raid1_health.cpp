#include "service/bus/state/raid1_health.hpp"

#include <fmt/format.h>

namespace volumes::bus {

const char* image_health(const LegFacts& leg)
{
    if (leg.tracked)
        return "split";
    // Not found comes first: a member missing since start-up is also marked failed.
    if (leg.member_missing)
        return "missing";
    if (leg.member_failed)
        return "failed";
    if (!leg.kernel)
        return "unknown";
    switch (*leg.kernel) {
    case 'A': return "alive";
    case 'a': return "syncing";
    case 'D': return "failed";
    case '-': return "missing";
    default: return "unknown";
    }
}

const char* array_health(const std::vector<RaidImageState>& images, std::string_view unavailable)
{
    if (!unavailable.empty())
        return "failed";
    bool broken = false;
    bool serving = false;
    for (const auto& image : images) {
        if (image.health == "split")
            continue;
        if (image.health == "failed" || image.health == "missing")
            broken = true;
        else
            serving = true;
    }
    if (!broken)
        return "ok";
    return serving ? "degraded" : "failed";
}

std::string describe_images(const std::vector<RaidImageState>& images)
{
    std::string out;
    for (const auto& image : images)
        out += fmt::format("{}slot {} {} ({})", out.empty() ? "" : ", ", image.slot, image.health,
                           image.member_uuid.empty() ? "no member" : image.member_uuid);
    return out;
}

}  // namespace volumes::bus
