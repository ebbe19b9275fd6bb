// libFuzzer target: every input goes to every status parser. A parser may accept or reject it,
// but must not crash, and what it accepts must keep the invariants its type promises.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kmod/status/raid_status.hpp"
#include "kmod/status/snapshot_status.hpp"
#include "kmod/status/thin_pool_status.hpp"
#include "kmod/status/thin_status.hpp"

namespace {

using volumes::kmod::Error;
using volumes::kmod::ErrorCode;

void require(bool holds)
{
    if (!holds)
        __builtin_trap();
}

void require_parse_error(const Error& error)
{
    require(error.code == ErrorCode::Parse && !error.message.empty());
}

void fuzz_raid(std::string_view params)
{
    const auto status = volumes::kmod::parse_raid_status(params);
    if (!status)
        return require_parse_error(status.error());
    require(status->raid_type.starts_with("raid"));
    require(status->device_count > 0 && !status->health.empty());
    require(status->in_sync_sectors <= status->total_sectors);
    require(status->sync_action.has_value() == status->mismatch_count.has_value());
    require(!status->data_offset || status->sync_action);
    require(!status->journal || status->data_offset);
    (void)status->is_synced();
}

void fuzz_snapshot(std::string_view params)
{
    const auto status = volumes::kmod::parse_snapshot_status(params);
    if (!status)
        return require_parse_error(status.error());
    require(status->allocated_sectors <= status->total_sectors);
    require(!status->merge_finished() || status->has_metadata_sectors());
}

void fuzz_thin_pool(std::string_view params)
{
    const auto status = volumes::kmod::parse_thin_pool_status(params);
    if (!status)
        return require_parse_error(status.error());
    require(status->used_metadata_blocks <= status->total_metadata_blocks);
    require(status->used_data_blocks <= status->total_data_blocks);
    // Optional fields only ever appear with all the ones before them.
    require(!status->discards || status->mode);
    require(!status->no_space_policy || status->discards);
    require(!status->needs_check || status->no_space_policy);
    require(!status->metadata_low_watermark || status->needs_check);
}

void fuzz_thin(std::string_view params)
{
    const auto status = volumes::kmod::parse_thin_status(params);
    if (!status)
        return require_parse_error(status.error());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view params(reinterpret_cast<const char*>(data), size);
    fuzz_raid(params);
    fuzz_snapshot(params);
    fuzz_thin_pool(params);
    fuzz_thin(params);
    return 0;
}
