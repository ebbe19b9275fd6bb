#include "service/engine/snapshot_merges.hpp"

#include <chrono>

#include <fmt/core.h>

#include "service/devices/udev_settle.hpp"
#include "service/engine/kernel_volume_status.hpp"
#include "service/engine/pool_transaction.hpp"
#include "service/engine/snapshot_changes.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {

namespace {

constexpr std::chrono::milliseconds udev_settle_timeout{5000};

}  // namespace

Result<bool> merge_held_open(const model::Pool& pool, const model::Volume& snapshot)
{
    const auto& layout = std::get<model::SnapshotLayout>(snapshot.layout);
    devices::wait_for_udev_to_settle(udev_settle_timeout);
    auto origin_open = device_open(model::dm_uuid(pool.uuid, layout.origin));
    if (!origin_open)
        return origin_open;
    if (*origin_open)
        return true;
    return device_open(model::dm_uuid(pool.uuid, snapshot.uuid));
}

Result<void> check_snapshot_valid(const model::Pool& pool, const model::Volume& snapshot)
{
    auto usage = read_snapshot_usage(model::dm_uuid(pool.uuid, snapshot.uuid));
    if (!usage)
        return std::unexpected(usage.error());
    if (*usage && (*usage)->state == "invalid")
        return fail(ErrorCode::NotSupported,
                    fmt::format("snapshot '{}' is invalid: its COW filled up, or the kernel dropped it after an I/O "
                                "error; it cannot be merged, only removed",
                                snapshot.name));
    return {};
}

Result<std::vector<std::string>> start_pending_merges(ManagedPool& pool, SharedTargets& targets,
                                                      executor::UdevReaper& udev_reaper)
{
    std::vector<model::Uuid> pending;
    for (const auto& volume : pool.pool.volumes) {
        const auto* snapshot = std::get_if<model::SnapshotLayout>(&volume.layout);
        if (snapshot && snapshot->merge == model::SnapshotMergeState::Pending)
            pending.push_back(volume.uuid);
    }
    std::vector<std::string> started;
    for (const auto& uuid : pending) {
        const auto* snapshot = model::find_volume(pool.pool, uuid);
        const auto* origin = model::find_volume(pool.pool, std::get<model::SnapshotLayout>(snapshot->layout).origin);
        if (!origin || !origin->active)
            continue;
        auto held = merge_held_open(pool.pool, *snapshot);
        if (!held)
            return std::unexpected(held.error());
        if (*held)
            continue;
        const auto name = snapshot->name;
        auto next = start_pending_merge(pool.pool, uuid);
        if (!next)
            return std::unexpected(next.error());
        if (auto applied = apply_pool_change(pool, *next, targets, udev_reaper); !applied)
            return std::unexpected(applied.error());
        started.push_back(name);
    }
    return started;
}

}  // namespace volumes::engine
