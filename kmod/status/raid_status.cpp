#include "kmod/status/raid_status.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include <fmt/core.h>

#include "kmod/status/status_words.hpp"

namespace volumes::kmod {

namespace {

constexpr std::array<std::pair<std::string_view, RaidSyncAction>, 8> sync_action_names{{
    {"frozen", RaidSyncAction::Frozen},
    {"reshape", RaidSyncAction::Reshape},
    {"resync", RaidSyncAction::Resync},
    {"check", RaidSyncAction::Check},
    {"repair", RaidSyncAction::Repair},
    {"recover", RaidSyncAction::Recover},
    {"idle", RaidSyncAction::Idle},
    {"undef", RaidSyncAction::Undef},
}};

std::optional<RaidDeviceHealth> health_from_char(char c)
{
    switch (c) {
    case 'A': return RaidDeviceHealth::InSync;
    case 'a': return RaidDeviceHealth::NotInSync;
    case 'D': return RaidDeviceHealth::Dead;
    case '-': return RaidDeviceHealth::Missing;
    default: return std::nullopt;
    }
}

std::optional<RaidSyncAction> sync_action_from_word(std::string_view word)
{
    for (const auto& [name, action] : sync_action_names)
        if (name == word)
            return action;
    return std::nullopt;
}

}  // namespace

const char* to_string(RaidSyncAction action)
{
    for (const auto& [name, known] : sync_action_names)
        if (known == action)
            return name.data();
    return "undef";
}

std::string health_string(const std::vector<RaidDeviceHealth>& health)
{
    std::string chars;
    for (const auto h : health) {
        switch (h) {
        case RaidDeviceHealth::InSync: chars += 'A'; break;
        case RaidDeviceHealth::NotInSync: chars += 'a'; break;
        case RaidDeviceHealth::Dead: chars += 'D'; break;
        case RaidDeviceHealth::Missing: chars += '-'; break;
        }
    }
    return chars;
}

bool RaidStatus::is_synced() const
{
    const bool idle = !sync_action || *sync_action == RaidSyncAction::Idle;
    const bool legs_in_sync = std::none_of(health.begin(), health.end(), [](RaidDeviceHealth h) {
        return h == RaidDeviceHealth::NotInSync || h == RaidDeviceHealth::Dead;
    });
    return idle && in_sync_sectors == total_sectors && legs_in_sync;
}

Result<RaidStatus> parse_raid_status(std::string_view params)
{
    // Field counts by target version, as libdm's dm_get_status_raid tells them apart:
    // 4 before 1.5.0, 6 from 1.5.0, 7 from 1.9.0, 8 from 1.10.0.
    const auto words = detail::split_status_words(params);
    if (words.empty())
        return detail::status_parse_error("raid", params, "empty");
    if (words.size() < 4)
        return detail::status_parse_error("raid", params, fmt::format("{} fields, expected at least 4", words.size()));
    if (words.size() == 5)
        return detail::status_parse_error("raid", params, "a sync action without a mismatch count");
    if (words.size() > 8)
        return detail::status_parse_error("raid", params, fmt::format("{} fields, expected at most 8", words.size()));

    RaidStatus status;

    if (!words[0].starts_with("raid"))
        return detail::status_parse_error("raid", params, fmt::format("'{}' is not a raid type", words[0]));
    status.raid_type = std::string(words[0]);

    const auto device_count = detail::parse_decimal(words[1]);
    if (!device_count || *device_count == 0 || *device_count > std::numeric_limits<std::uint32_t>::max())
        return detail::status_parse_error("raid", params, fmt::format("'{}' is not a device count", words[1]));
    status.device_count = static_cast<std::uint32_t>(*device_count);

    for (const char c : words[2]) {
        const auto health = health_from_char(c);
        if (!health)
            return detail::status_parse_error("raid", params, fmt::format("'{}' is not a health character (A, a, D or -)", c));
        status.health.push_back(*health);
    }

    const auto ratio = detail::parse_fraction(words[3]);
    if (!ratio)
        return detail::status_parse_error("raid", params, fmt::format("'{}' is not <in_sync>/<total>", words[3]));
    // dm-raid clamps the progress to the total (rs_get_progress), so more is not a real line.
    if (ratio->numerator > ratio->denominator)
        return detail::status_parse_error("raid", params, fmt::format("in-sync count {} exceeds the total {}", ratio->numerator,
                                               ratio->denominator));
    status.in_sync_sectors = ratio->numerator;
    status.total_sectors = ratio->denominator;

    if (words.size() >= 6) {
        const auto action = sync_action_from_word(words[4]);
        if (!action)
            return detail::status_parse_error("raid", params, fmt::format("'{}' is not a sync action", words[4]));
        status.sync_action = action;

        const auto mismatches = detail::parse_decimal(words[5]);
        if (!mismatches)
            return detail::status_parse_error("raid", params, fmt::format("'{}' is not a mismatch count", words[5]));
        status.mismatch_count = mismatches;
    }

    if (words.size() >= 7) {
        const auto offset = detail::parse_decimal(words[6]);
        if (!offset)
            return detail::status_parse_error("raid", params, fmt::format("'{}' is not a data offset", words[6]));
        status.data_offset = offset;
    }

    if (words.size() == 8) {
        const auto journal = words[7].size() == 1 ? health_from_char(words[7][0]) : std::nullopt;
        if (!journal)
            return detail::status_parse_error("raid", params, fmt::format("'{}' is not a journal character (A, a, D or -)", words[7]));
        status.journal = journal;
    }

    return status;
}

}  // namespace volumes::kmod
