#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/bus/state/service_state.hpp"

// The health words of a raid1 volume: one per image (Raid1.Images) and one for the array
// (Raid1.Health), from the metadata's member states and the kernel's status line.
namespace volumes::bus {

// What decides the word of one image.
struct LegFacts {
    bool tracked = false;         // the slot's image is split off as a tracked image
    bool member_failed = false;   // a member the leg has extents on is marked failed
    bool member_missing = false;  // a member the leg has extents on was not found
    std::optional<char> kernel;   // dm-raid's health character for the slot; none while inactive
};

// "split" (tracked), "missing" (member not found: such a member is marked failed too),
// "failed" (member marked failed, or kernel 'D'), "missing" (an active array's empty slot
// '-' without a tracked image), "alive" ('A'),
// "syncing" ('a'), "unknown" (inactive, or a character dm-raid does not document). The
// first that applies, in this order.
const char* image_health(const LegFacts& leg);

// "ok", "degraded" or "failed". Split images do not count. An unavailable volume is "failed";
// otherwise, with an image failed or missing, "degraded" while another image can serve
// (alive, syncing, or unknown: an inactive array's leg on a member that is here and not
// failed) and "failed" when none can; else "ok" (a leg that is only syncing is not degraded).
const char* array_health(const std::vector<RaidImageState>& images, std::string_view unavailable);

// The images for people: "slot 0 alive (<member uuid>), slot 1 missing (<member uuid>)".
std::string describe_images(const std::vector<RaidImageState>& images);

}  // namespace volumes::bus
