#pragma once

#include <optional>
#include <string>

namespace volumes::bench {

// The first target of a dm device's live table.
struct DmTarget {
    std::string type;    // "linear", "snapshot-merge", ...; "" when no table is loaded
    std::string params;  // its status line, or its table line with `table`
};

// DM_TABLE_STATUS on /dev/mapper/control, without a dmsetup process: cheap enough to poll
// every few milliseconds beside the work being timed. nullopt when no device has that
// name; throws for other errors.
std::optional<DmTarget> dm_target(const std::string& dm_name, bool table = false);

}  // namespace volumes::bench
