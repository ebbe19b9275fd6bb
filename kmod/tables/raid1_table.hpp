#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "kmod/device_number.hpp"
#include "kmod/error.hpp"
#include "kmod/table_line.hpp"

namespace volumes::kmod {

// One slot of a raid1 set. Both absent is a "- -" slot (a split-off or missing leg); a data
// device without metadata is allowed; metadata without data is not.
struct Raid1Leg {
    std::optional<DeviceNumber> metadata;
    std::optional<DeviceNumber> data;
};

enum class Raid1InitialSync {
    Default,  // trust the superblocks
    Sync,     // "sync": force a full initial resync
    NoSync,   // "nosync": skip the initial resync
};

// A dm-raid raid1 table line (dm-raid.rst, dm-raid.c parse_raid_params). Lengths and sizes
// are sectors; slot indices count from 0.
struct Raid1Table {
    std::uint64_t length = 0;
    std::uint64_t region_size = 0;  // write-intent bitmap region; 0 omits it (kernel default)
    Raid1InitialSync initial_sync = Raid1InitialSync::Default;
    std::vector<std::uint32_t> rebuild;       // slots to recover in full
    std::vector<std::uint32_t> write_mostly;  // slots to avoid for reads
    std::optional<std::uint32_t> daemon_sleep_ms;
    std::optional<std::uint32_t> min_recovery_rate_kbs;
    std::optional<std::uint32_t> max_recovery_rate_kbs;
    std::optional<std::uint32_t> max_write_behind;  // sectors
    std::vector<Raid1Leg> legs;
};

// "0 <length> raid raid1 <#raid_params> 0 [options] <#raid_devs> <meta> <data>...", with the
// options in the order dm-raid documents and reports them.
Result<TableLine> raid1_table_line(const Raid1Table& table);

}  // namespace volumes::kmod
