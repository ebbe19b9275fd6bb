#include <sys/sysmacros.h>

#include <fmt/core.h>

#include "kmod/filesystem_grow.hpp"
#include "service/devices/member_candidate.hpp"
#include "service/engine/decision_checks.hpp"
#include "service/engine/engine.hpp"
#include "service/engine/engine_change.hpp"
#include "service/engine/error_translation.hpp"
#include "service/engine/kernel_volume_status.hpp"
#include "service/model/names.hpp"

// The Engine's resizes: a volume's size, a thin pool's data and metadata, and a filesystem
// mounted from a volume that grew.
namespace volumes::engine {

namespace {

// A shrink cuts whatever lies past the new end; refused unless the volume is active and
// libblkid finds no signature on it at all.
Result<void> check_shrink_is_safe(const model::Pool& current, const model::Pool& next, const model::Uuid& uuid)
{
    const auto* before = model::find_volume(current, uuid);
    const auto* after = model::find_volume(next, uuid);
    if (!before || !after || model::volume_size(next, *after) >= model::volume_size(current, *before))
        return {};
    if (!before->active)
        return fail(ErrorCode::InUse, fmt::format("'{}' is inactive, so what lies past the new end cannot be checked: "
                                                  "activate it before shrinking it",
                                                  before->name));
    const auto path = "/dev/mapper/" + model::dm_name(current.name, before->name);
    auto signatures = devices::probe_signatures(path);
    if (!signatures)
        return std::unexpected(from_devices(signatures.error()));
    if (!signatures->empty())
        return fail(ErrorCode::InUse,
                    fmt::format("'{}' carries a {} signature ({}); shrink the {} first and wipe the volume's "
                                "signatures, or it would lose its end",
                                before->name, signatures->front().type, signatures->front().usage,
                                signatures->front().usage));
    return {};
}

// An active raid1 is resized only in sync: dm-raid resyncs just a grow's new region after the
// reload, so a sync or recovery still running (or a dead leg) would be left to md to sort out
// in the middle of a resize, and the grow's job could not tell its own work from the earlier one's.
Result<void> check_resized_raid1_in_sync(const model::Pool& current, const model::Pool& next, const model::Uuid& uuid)
{
    const auto* before = model::find_volume(current, uuid);
    const auto* after = model::find_volume(next, uuid);
    if (!before || !after || !before->active || !std::holds_alternative<model::Raid1Layout>(before->layout) ||
        *before == *after)
        return {};
    return check_raid1_in_sync(current, *before);
}

}  // namespace

Result<Engine::Resized> Engine::resize_volume(std::string_view pool, std::string_view name,
                                              const ResizeRequest& request)
{
    std::uint64_t previous_size = 0;
    auto resized = change(
        pool,
        [&](const model::Pool& current) -> Result<model::Pool> {
            auto volume = volume_named(current, name);
            if (!volume)
                return std::unexpected(volume.error());
            return engine::resize_volume(current, (*volume)->uuid, request);
        },
        [&](ManagedPool& managed, const model::Pool& next) -> Result<void> {
            const auto* volume = model::find_volume(managed.pool, name);
            if (!volume)
                return {};
            previous_size = model::volume_size(managed.pool, *volume).value_or(0);
            if (auto synced = check_resized_raid1_in_sync(managed.pool, next, volume->uuid); !synced)
                return synced;
            return check_shrink_is_safe(managed.pool, next, volume->uuid);
        });
    if (!resized)
        return std::unexpected(resized.error());
    auto summary = volume(pool, name);
    if (!summary)
        return std::unexpected(summary.error());
    Resized result{*summary, {}, previous_size, {}};
    if (summary->kind == "raid1" && summary->active && summary->size > previous_size)
        result.resync_from_sector = previous_size / 512;
    if (!request.resize_filesystem)
        return result;
    auto status = volume_status(pool, name);
    if (!status)
        return std::unexpected(status.error());
    if (!status->active) {
        result.filesystem = "the volume is inactive: no filesystem was grown";
        return result;
    }
    const auto device = static_cast<dev_t>(status->device_number);
    auto mounted = kmod::mounted_filesystem(device);
    if (!mounted)
        return std::unexpected(from_kmod(mounted.error()));
    if (!*mounted) {
        result.filesystem = "no filesystem is mounted from it: left alone";
        return result;
    }
    const auto& fs = **mounted;
    if (!kmod::can_grow(fs.type)) {
        result.filesystem = fmt::format("{} at {} is left alone: only ext4 and xfs are grown", fs.type, fs.mountpoint);
        return result;
    }
    auto grown = kmod::grow_filesystem(fs, summary->size);
    if (!grown)
        return fail(ErrorCode::Failed, fmt::format("'{}' grew to {} bytes, but its {} at {} did not: {}", name,
                                                   summary->size, fs.type, fs.mountpoint, grown.error().message));
    result.filesystem = fmt::format("{} at {} grown to {} bytes", fs.type, fs.mountpoint, *grown);
    return result;
}

Result<VolumeSummary> Engine::resize_thin_pool(std::string_view pool, std::string_view name, std::uint64_t data_size,
                                               std::uint64_t metadata_size)
{
    auto resized = change(pool, [&](const model::Pool& current) -> Result<model::Pool> {
        auto volume = volume_named(current, name);
        if (!volume)
            return std::unexpected(volume.error());
        if (!std::holds_alternative<model::ThinPoolLayout>((*volume)->layout))
            return fail(ErrorCode::InvalidArgument, fmt::format("volume '{}' is not a thin pool", name));
        const auto uuid = (*volume)->uuid;
        Result<model::Pool> next = current;
        if (data_size != 0)
            next = engine::resize_volume(current, uuid, {data_size});
        if (next && metadata_size != 0)
            next = resize_thin_pool_metadata(*next, uuid, metadata_size);
        return next;
    });
    if (!resized)
        return std::unexpected(resized.error());
    return volume(pool, name);
}

}  // namespace volumes::engine
