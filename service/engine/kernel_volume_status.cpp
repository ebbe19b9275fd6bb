#include "service/engine/kernel_volume_status.hpp"

#include <fmt/core.h>

#include "kmod/device_mapper.hpp"
#include "kmod/status/snapshot_status.hpp"
#include "service/engine/error_translation.hpp"
#include "service/model/names.hpp"

namespace volumes::engine {

namespace {

// A failed info counts as there, so the status error is what gets reported.
bool still_exists(const kmod::DeviceId& device)
{
    auto info = kmod::dm::info(device);
    return !info || info->exists;
}

}  // namespace

RaidSync raid_sync_of(const kmod::RaidStatus& status)
{
    const auto health = kmod::health_string(status.health);
    return {status.sync_action ? kmod::to_string(*status.sync_action) : "undef",
            {health.begin(), health.end()},
            status.in_sync_sectors,
            status.total_sectors,
            status.is_synced()};
}

Result<VolumeStatus> read_volume_status(const std::string& dm_uuid, bool raid1)
{
    const auto device = kmod::DeviceId::by_uuid(dm_uuid);
    auto info = kmod::dm::info(device);
    if (!info)
        return std::unexpected(from_kmod(info.error()));
    VolumeStatus status;
    if (!info->exists)
        return status;
    status.active = true;
    status.device_number = info->number.to_dev_t();
    status.event_nr = info->event_nr;
    status.open = info->open_count > 0;
    if (!raid1 || !info->live_table)
        return status;

    auto lines = kmod::dm::status(device);
    if (!lines) {
        if (!still_exists(device))
            return VolumeStatus{};
        return std::unexpected(from_kmod(lines.error()));
    }
    // A leaving array carries an error table for a moment before it is removed.
    if (lines->size() != 1 || lines->front().target_type != "raid")
        return status;
    auto raid = kmod::parse_raid_status(lines->front().params);
    if (!raid)
        return std::unexpected(from_kmod(raid.error()));
    status.raid = raid_sync_of(*raid);
    return status;
}

Result<std::optional<SnapshotUsage>> read_snapshot_usage(const std::string& dm_uuid)
{
    const auto device = kmod::DeviceId::by_uuid(dm_uuid);
    auto lines = kmod::dm::status(device);
    if (!lines) {
        if (!still_exists(device))
            return std::nullopt;
        return std::unexpected(from_kmod(lines.error()));
    }
    if (lines->size() != 1 ||
        (lines->front().target_type != "snapshot" && lines->front().target_type != "snapshot-merge"))
        return std::nullopt;
    auto parsed = kmod::parse_snapshot_status(lines->front().params);
    if (!parsed)
        return std::unexpected(from_kmod(parsed.error()));
    SnapshotUsage usage;
    switch (parsed->state) {
    case kmod::SnapshotState::Active: usage.state = "active"; break;
    case kmod::SnapshotState::Invalid: usage.state = "invalid"; break;
    case kmod::SnapshotState::MergeFailed: usage.state = "merge-failed"; break;
    case kmod::SnapshotState::Overflow: usage.state = "overflow"; break;
    case kmod::SnapshotState::Unknown: usage.state = "unknown"; break;
    }
    usage.allocated_sectors = parsed->allocated_sectors;
    usage.total_sectors = parsed->total_sectors;
    usage.metadata_sectors = parsed->metadata_sectors.value_or(0);
    usage.merge_finished = parsed->merge_finished();
    return usage;
}

Result<bool> device_open(const std::string& dm_uuid)
{
    auto info = kmod::dm::info(kmod::DeviceId::by_uuid(dm_uuid));
    if (!info)
        return std::unexpected(from_kmod(info.error()));
    return info->exists && info->open_count > 0;
}

Result<void> check_raid1_in_sync(const model::Pool& pool, const model::Volume& array)
{
    const auto uuid = model::dm_uuid(pool.uuid, array.uuid);
    auto lines = kmod::dm::status(kmod::DeviceId::by_uuid(uuid));
    if (!lines)
        return std::unexpected(from_kmod(lines.error()));
    if (lines->size() != 1)
        return fail(ErrorCode::Failed, fmt::format("raid1 volume '{}' has no single raid status line", array.name));
    auto status = kmod::parse_raid_status(lines->front().params);
    if (!status)
        return std::unexpected(from_kmod(status.error()));
    if (!status->is_synced())
        return fail(ErrorCode::Busy,
                    fmt::format("raid1 volume '{}' is not in sync ({} of {} sectors, health {}); wait for its sync",
                                array.name, status->in_sync_sectors, status->total_sectors,
                                kmod::health_string(status->health)));
    return {};
}

}  // namespace volumes::engine
