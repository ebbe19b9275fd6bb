#include "service/engine/kernel_thin_status.hpp"

#include "kmod/device_mapper.hpp"
#include "kmod/status/thin_pool_status.hpp"
#include "kmod/status/thin_status.hpp"
#include "service/engine/error_translation.hpp"

namespace volumes::engine {

namespace {

// The single status line of a device with target `target`, or nullopt when the device is
// gone or carries another target (a leaving device's error table).
Result<std::optional<kmod::TableLine>> status_line(const std::string& dm_uuid, std::string_view target)
{
    const auto device = kmod::DeviceId::by_uuid(dm_uuid);
    auto info = kmod::dm::info(device);
    if (!info)
        return std::unexpected(from_kmod(info.error()));
    if (!info->exists || !info->live_table)
        return std::nullopt;
    auto lines = kmod::dm::status(device);
    if (!lines) {
        auto again = kmod::dm::info(device);
        if (again && !again->exists)
            return std::nullopt;
        return std::unexpected(from_kmod(lines.error()));
    }
    if (lines->size() != 1 || lines->front().target_type != target)
        return std::nullopt;
    return lines->front();
}

std::string mode_word(const kmod::ThinPoolStatus& status)
{
    if (status.state != kmod::ThinPoolState::Active)
        return "fail";
    if (!status.mode)
        return "rw";
    switch (*status.mode) {
    case kmod::ThinPoolMode::ReadWrite: return "rw";
    case kmod::ThinPoolMode::ReadOnly: return "ro";
    case kmod::ThinPoolMode::OutOfDataSpace: return "out_of_data_space";
    }
    return "rw";
}

}  // namespace

Result<std::optional<ThinPoolUsage>> read_thin_pool_usage(const std::string& dm_uuid)
{
    auto line = status_line(dm_uuid, "thin-pool");
    if (!line || !*line)
        return line ? Result<std::optional<ThinPoolUsage>>(std::nullopt) : std::unexpected(line.error());
    auto status = kmod::parse_thin_pool_status((*line)->params);
    if (!status)
        return std::unexpected(from_kmod(status.error()));
    ThinPoolUsage usage;
    usage.transaction_id = status->transaction_id;
    usage.data_used_blocks = status->used_data_blocks;
    usage.data_total_blocks = status->total_data_blocks;
    usage.metadata_used_blocks = status->used_metadata_blocks;
    usage.metadata_total_blocks = status->total_metadata_blocks;
    usage.held_root = status->held_root;
    usage.mode = mode_word(*status);
    usage.needs_check = status->needs_check.value_or(false);
    return usage;
}

Result<std::optional<std::uint64_t>> read_thin_mapped_sectors(const std::string& dm_uuid)
{
    auto line = status_line(dm_uuid, "thin");
    if (!line || !*line)
        return line ? Result<std::optional<std::uint64_t>>(std::nullopt) : std::unexpected(line.error());
    auto status = kmod::parse_thin_status((*line)->params);
    if (!status)
        return std::unexpected(from_kmod(status.error()));
    return status->mapped_sectors;
}

}  // namespace volumes::engine
