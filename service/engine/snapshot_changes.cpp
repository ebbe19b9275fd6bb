#include "service/engine/snapshot_changes.hpp"

#include <algorithm>
#include <bit>

#include <fmt/core.h>

#include "service/allocator/extent_allocator.hpp"
#include "service/engine/decision_checks.hpp"
#include "service/engine/error_translation.hpp"
#include "service/engine/summaries.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {

namespace {

using model::SnapshotLayout;
using model::SnapshotMergeState;

// The snapshot of `origin` whose merge is pending or running, if any.
const model::Volume* merge_into(const Pool& pool, const Uuid& origin)
{
    for (const auto& volume : pool.volumes) {
        const auto* snapshot = std::get_if<SnapshotLayout>(&volume.layout);
        if (snapshot && snapshot->origin == origin &&
            (snapshot->merge == SnapshotMergeState::Pending || snapshot->merge == SnapshotMergeState::Merging))
            return &volume;
    }
    return nullptr;
}

Result<void> check_no_merge_into(const Pool& pool, const model::Volume& origin)
{
    if (const auto* merging = merge_into(pool, origin.uuid)) {
        const auto state = std::get<SnapshotLayout>(merging->layout).merge == SnapshotMergeState::Merging
                               ? "is merging"
                               : "has a pending merge";
        return fail(ErrorCode::Busy, fmt::format("snapshot '{}' of '{}' {}; wait until it has merged", merging->name,
                                                 origin.name, state));
    }
    return {};
}

Result<const model::Volume*> snapshot_volume(const Pool& pool, const Uuid& uuid)
{
    const auto* volume = model::find_volume(pool, uuid);
    if (!volume)
        return fail(ErrorCode::NotFound, fmt::format("pool '{}' has no volume {}", pool.name, uuid.to_string()));
    if (!std::holds_alternative<SnapshotLayout>(volume->layout))
        return fail(ErrorCode::InvalidArgument, fmt::format("volume '{}' is not a snapshot", volume->name));
    return volume;
}

SnapshotLayout& layout_in(Pool& pool, const Uuid& snapshot)
{
    return std::get<SnapshotLayout>(model::find_volume(pool, snapshot)->layout);
}

}  // namespace

Result<Pool> add_snapshot(const Pool& pool, const Uuid& origin_uuid, const SnapshotRequest& request, const Uuid& uuid)
{
    const auto* origin = model::find_volume(pool, origin_uuid);
    if (!origin)
        return fail(ErrorCode::NotFound, fmt::format("pool '{}' has no volume {}", pool.name, origin_uuid.to_string()));
    if (!std::holds_alternative<model::LinearLayout>(origin->layout) &&
        !std::holds_alternative<model::Raid1Layout>(origin->layout))
        return fail(ErrorCode::NotSupported,
                    fmt::format("'{}' is a {} volume; CoW snapshots are taken of linear and raid1 volumes", origin->name,
                                kind_name(origin->layout)));
    if (auto no_merge = check_no_merge_into(pool, *origin); !no_merge)
        return std::unexpected(no_merge.error());
    if (auto checked = check_new_name(pool, request.name); !checked)
        return std::unexpected(checked.error());
    if (!std::has_single_bit(request.chunk_size) || request.chunk_size < kMinChunkSize ||
        request.chunk_size > kMaxChunkSize)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("chunk_size {} is not a power of two from 4 KiB to 512 KiB", request.chunk_size));
    if (request.cow_size == 0)
        return fail(ErrorCode::InvalidArgument, "a snapshot's COW size must be above 0");
    const auto extents = (request.cow_size + pool.extent_size - 1) / pool.extent_size;
    auto cow = allocator::allocate_linear(pool, extents);
    if (!cow)
        return std::unexpected(from_model(cow.error()));
    Pool next = pool;
    next.volumes.push_back(
        {uuid, request.name, origin->active,
         SnapshotLayout{origin_uuid, std::move(*cow), request.chunk_size, SnapshotMergeState::None}});
    return next;
}

Result<Pool> request_snapshot_merge(const Pool& pool, const Uuid& snapshot, bool held_open)
{
    auto volume = snapshot_volume(pool, snapshot);
    if (!volume)
        return std::unexpected(volume.error());
    const auto& layout = std::get<SnapshotLayout>((*volume)->layout);
    const auto* origin = model::find_volume(pool, layout.origin);
    if (!origin)
        return fail(ErrorCode::Failed, fmt::format("the origin of snapshot '{}' is missing", (*volume)->name));
    if (auto no_merge = check_no_merge_into(pool, *origin); !no_merge)
        return std::unexpected(no_merge.error());
    Pool next = pool;
    layout_in(next, snapshot).merge =
        origin->active && !held_open ? SnapshotMergeState::Merging : SnapshotMergeState::Pending;
    return next;
}

Result<Pool> start_pending_merge(const Pool& pool, const Uuid& snapshot)
{
    auto volume = snapshot_volume(pool, snapshot);
    if (!volume)
        return std::unexpected(volume.error());
    const auto& layout = std::get<SnapshotLayout>((*volume)->layout);
    if (layout.merge != SnapshotMergeState::Pending)
        return fail(ErrorCode::InvalidArgument, fmt::format("snapshot '{}' has no pending merge", (*volume)->name));
    const auto* origin = model::find_volume(pool, layout.origin);
    if (!origin || !origin->active)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("the origin of snapshot '{}' is not active; the merge starts when it is",
                                (*volume)->name));
    Pool next = pool;
    layout_in(next, snapshot).merge = SnapshotMergeState::Merging;
    return next;
}

Result<Pool> finish_snapshot_merge(const Pool& pool, const Uuid& snapshot)
{
    auto volume = snapshot_volume(pool, snapshot);
    if (!volume)
        return std::unexpected(volume.error());
    if (std::get<SnapshotLayout>((*volume)->layout).merge != SnapshotMergeState::Merging)
        return fail(ErrorCode::InvalidArgument, fmt::format("snapshot '{}' is not merging", (*volume)->name));
    Pool next = pool;
    std::erase_if(next.volumes, [&](const model::Volume& v) { return v.uuid == snapshot; });
    return next;
}

}  // namespace volumes::engine
