#include "kmod/tables/raid1_table.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <string>
#include <utility>

#include <fmt/core.h>

namespace volumes::kmod {

namespace {

constexpr std::size_t max_raid_devices = 253;  // MAX_RAID_DEVICES in dm-raid.c
// dm-raid reads every numeric option with kstrtoint.
constexpr std::uint64_t max_option_value = std::numeric_limits<std::int32_t>::max();
constexpr unsigned bitmap_region_bits = 21;  // the md bitmap holds at most 2^21 regions
constexpr std::uint32_t md_counter_max = 16383;  // COUNTER_MAX in md-bitmap.h

std::unexpected<Error> invalid(std::string message)
{
    return fail(ErrorCode::InvalidArgument, "raid1 table: " + message);
}

bool has_duplicates(std::vector<std::uint32_t> slots)
{
    std::sort(slots.begin(), slots.end());
    return std::adjacent_find(slots.begin(), slots.end()) != slots.end();
}

bool contains(const std::vector<std::uint32_t>& slots, std::size_t slot)
{
    return std::find(slots.begin(), slots.end(), slot) != slots.end();
}

Result<void> validate_legs(const Raid1Table& table)
{
    if (table.legs.empty())
        return invalid("no legs");
    if (table.legs.size() > max_raid_devices)
        return invalid(fmt::format("{} legs, at most {} are possible", table.legs.size(), max_raid_devices));
    for (std::size_t i = 0; i < table.legs.size(); ++i)
        if (table.legs[i].metadata && !table.legs[i].data)
            return invalid(fmt::format("leg {}: No data device supplied with metadata device", i));
    const bool any_data = std::any_of(table.legs.begin(), table.legs.end(), [](const Raid1Leg& leg) {
        return leg.data.has_value();
    });
    if (!any_data)
        return invalid("no leg has a data device");
    return {};
}

Result<void> validate_slots(const Raid1Table& table)
{
    const auto leg_count = table.legs.size();
    for (const auto slot : table.rebuild) {
        if (slot >= leg_count)
            return invalid(fmt::format("rebuild index {} is out of range for {} legs", slot, leg_count));
        if (!table.legs[slot].data)
            return invalid(fmt::format("rebuild index {}: Drive designated for rebuild not specified", slot));
    }
    if (has_duplicates(table.rebuild))
        return invalid("rebuild lists a slot twice");
    if (!table.rebuild.empty() && table.initial_sync != Raid1InitialSync::Default)
        return invalid("sync/nosync and rebuild are mutually exclusive");
    bool has_source = false;
    for (std::size_t i = 0; i < leg_count; ++i)
        if (table.legs[i].data && !contains(table.rebuild, i))
            has_source = true;
    if (!has_source)
        return invalid("every leg with a data device is marked for rebuild, so none can be the source");

    for (const auto slot : table.write_mostly)
        if (slot >= leg_count)
            return invalid(fmt::format("write_mostly index {} is out of range for {} legs", slot, leg_count));
    if (has_duplicates(table.write_mostly))
        return invalid("write_mostly lists a slot twice");
    if (table.write_mostly.size() >= leg_count)
        return invalid("Can't set all raid1 devices to write_mostly");
    return {};
}

Result<void> validate_options(const Raid1Table& table)
{
    const std::pair<const std::optional<std::uint32_t>&, const char*> options[] = {
        {table.daemon_sleep_ms, "daemon_sleep"},
        {table.min_recovery_rate_kbs, "min_recovery_rate"},
        {table.max_recovery_rate_kbs, "max_recovery_rate"},
        {table.max_write_behind, "max_write_behind"},
    };
    for (const auto& [value, name] : options)
        if (value && *value > max_option_value)
            return invalid(fmt::format("{} {} exceeds {}", name, *value, max_option_value));
    // Older dm-raid and the md bitmap superblock check both refuse a zero sleep period.
    if (table.daemon_sleep_ms && *table.daemon_sleep_ms == 0)
        return invalid("daemon_sleep must be at least 1 ms");
    // dm-raid halves the value into KiB; md's bitmap holds at most COUNTER_MAX of them.
    if (table.max_write_behind && *table.max_write_behind / 2 > md_counter_max)
        return invalid(fmt::format("max_write_behind {} exceeds {} sectors", *table.max_write_behind,
                                   md_counter_max * 2 + 1));
    // dm-raid compares the rates only when the maximum is set (non-zero).
    if (table.min_recovery_rate_kbs && table.max_recovery_rate_kbs && *table.max_recovery_rate_kbs != 0 &&
        *table.min_recovery_rate_kbs > *table.max_recovery_rate_kbs)
        return invalid(fmt::format("min_recovery_rate {} exceeds max_recovery_rate {}", *table.min_recovery_rate_kbs,
                                   *table.max_recovery_rate_kbs));
    return {};
}

Result<void> validate_region_size(const Raid1Table& table)
{
    if (table.region_size == 0)
        return {};
    if (!std::has_single_bit(table.region_size))
        return invalid(fmt::format("region_size {} is not a power of 2", table.region_size));
    if (table.region_size > max_option_value)
        return invalid(fmt::format("region_size {} exceeds {}", table.region_size, max_option_value));
    if (table.region_size > table.length)
        return invalid(fmt::format("region_size {} is larger than the length {}", table.region_size, table.length));
    const auto min_region_size = table.length >> bitmap_region_bits;
    if (table.region_size < min_region_size)
        return invalid(fmt::format("region_size {} is below the minimum {} for length {} (at most 2^21 regions)",
                                   table.region_size, min_region_size, table.length));
    return {};
}

void append_option(std::string& params, std::size_t& count, std::string_view key)
{
    params += fmt::format(" {}", key);
    count += 1;
}

void append_option(std::string& params, std::size_t& count, std::string_view key, std::uint64_t value)
{
    params += fmt::format(" {} {}", key, value);
    count += 2;
}

std::string device_or_dash(const std::optional<DeviceNumber>& device)
{
    return device ? device->to_string() : "-";
}

}  // namespace

Result<TableLine> raid1_table_line(const Raid1Table& table)
{
    if (table.length == 0)
        return invalid("zero length");
    if (auto valid = validate_legs(table); !valid)
        return std::unexpected(valid.error());
    if (auto valid = validate_slots(table); !valid)
        return std::unexpected(valid.error());
    if (auto valid = validate_options(table); !valid)
        return std::unexpected(valid.error());
    if (auto valid = validate_region_size(table); !valid)
        return std::unexpected(valid.error());

    // Indices go out in ascending order, as dm-raid prints them in its own table, so a line
    // read back from the kernel compares equal to the one built here.
    auto rebuild = table.rebuild;
    auto write_mostly = table.write_mostly;
    std::sort(rebuild.begin(), rebuild.end());
    std::sort(write_mostly.begin(), write_mostly.end());

    std::string options = " 0";  // chunk size: dm-raid ignores it for raid1
    std::size_t option_count = 1;
    if (table.initial_sync == Raid1InitialSync::Sync)
        append_option(options, option_count, "sync");
    if (table.initial_sync == Raid1InitialSync::NoSync)
        append_option(options, option_count, "nosync");
    for (const auto slot : rebuild)
        append_option(options, option_count, "rebuild", slot);
    if (table.daemon_sleep_ms)
        append_option(options, option_count, "daemon_sleep", *table.daemon_sleep_ms);
    if (table.min_recovery_rate_kbs)
        append_option(options, option_count, "min_recovery_rate", *table.min_recovery_rate_kbs);
    if (table.max_recovery_rate_kbs)
        append_option(options, option_count, "max_recovery_rate", *table.max_recovery_rate_kbs);
    for (const auto slot : write_mostly)
        append_option(options, option_count, "write_mostly", slot);
    if (table.max_write_behind)
        append_option(options, option_count, "max_write_behind", *table.max_write_behind);
    if (table.region_size != 0)
        append_option(options, option_count, "region_size", table.region_size);

    std::string params = fmt::format("raid1 {}{} {}", option_count, options, table.legs.size());
    for (const auto& leg : table.legs)
        params += fmt::format(" {} {}", device_or_dash(leg.metadata), device_or_dash(leg.data));

    return TableLine{0, table.length, "raid", std::move(params)};
}

}  // namespace volumes::kmod
