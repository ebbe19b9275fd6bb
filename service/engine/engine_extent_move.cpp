#include <fmt/core.h>

#include "service/engine/device_arguments.hpp"
#include "service/engine/engine.hpp"
#include "service/engine/extent_move.hpp"
#include "service/engine/kernel_volume_status.hpp"
#include "service/engine/member_removal.hpp"
#include "service/engine/member_resolution.hpp"
#include "service/engine/pool_transaction.hpp"
#include "service/graph/extent_move_devices.hpp"
#include "service/logging/log.hpp"

// The Engine's extent moves (Pool.EvacuateMember), decided by extent_move.hpp.
namespace volumes::engine {

namespace {

// The kernel's view of each temporary raid1 of `pool`'s move, in the order of its runs.
Result<std::vector<MoveCopyStatus>> read_copies(const model::Pool& pool)
{
    std::vector<MoveCopyStatus> copies;
    if (!pool.extent_move)
        return copies;
    for (std::size_t i = 0; i < pool.extent_move->runs.size(); ++i) {
        auto status = read_volume_status(graph::move_device_uuid(pool, i), true);
        if (!status)
            return std::unexpected(status.error());
        MoveCopyStatus copy;
        copy.present = status->active && status->raid.has_value();
        copy.total_sectors = pool.extent_move->runs[i].from.count * pool.extent_size / 512;
        if (status->raid) {
            copy.synced = status->raid->synced;
            copy.in_sync_sectors = status->raid->synced ? copy.total_sectors : status->raid->in_sync_sectors;
            for (const auto health : status->raid->health)
                if (health == 'D')
                    return fail(ErrorCode::Failed,
                                fmt::format("the copy of run {} of the move lost a leg (raid health {})", i,
                                            std::string(status->raid->health.begin(), status->raid->health.end())));
        }
        copies.push_back(copy);
    }
    return copies;
}

}  // namespace

Result<void> Engine::start_extent_move(std::string_view pool_name, const std::string& device,
                                       const ExtentMoveRequest& request)
{
    if (auto bounded = check_member_argument(device); !bounded)
        return std::unexpected(bounded.error());
    auto locked = lock_owned_pool(pool_name);
    if (!locked)
        return std::unexpected(locked.error());
    auto& managed = *locked->pool;
    auto index = member_index(managed, device);
    if (!index)
        return std::unexpected(index.error());
    auto next = engine::start_extent_move(managed.pool, managed.members[*index].area.label().member_uuid, request,
                                         managed.missing);
    if (!next)
        return std::unexpected(next.error());
    if (auto applied = apply_pool_change(managed, *next, targets_, udev_reaper_); !applied)
        return applied;
    // Every write goes through the copies now: they may start.
    auto copying = engine::start_extent_copies(managed.pool);
    if (!copying)
        return std::unexpected(copying.error());
    if (auto applied = apply_pool_change(managed, *copying, targets_, udev_reaper_); !applied) {
        // The move stays recorded without copying; it is dropped so nothing waits for it.
        if (auto dropped = engine::cancel_extent_move(managed.pool); dropped)
            (void)apply_pool_change(managed, *dropped, targets_, udev_reaper_);
        return applied;
    }
    return {};
}

Result<ExtentMoveProgress> Engine::extent_move_progress(std::string_view pool_name) const
{
    model::Pool pool;
    {
        auto viewed = view_pool(pool_name);
        if (!viewed)
            return std::unexpected(viewed.error());
        if (!viewed->pool->pool.extent_move)
            return ExtentMoveProgress{};
        pool = viewed->pool->pool;
    }
    auto copies = read_copies(pool);
    if (!copies)
        return std::unexpected(copies.error());
    ExtentMoveProgress progress;
    progress.moving = true;
    progress.member = pool.extent_move->member.to_string();
    progress.remove_member = pool.extent_move->remove_member;
    for (const auto& copy : *copies) {
        progress.copied_sectors += copy.in_sync_sectors;
        progress.total_sectors += copy.total_sectors;
    }
    progress.copying = pool.extent_move->copying;
    progress.copied = pool.extent_move->copying && extent_move_copied(*copies);
    if (!pool.extent_move->copying)
        progress.copied_sectors = 0;
    return progress;
}

Result<ExtentMoveEnd> Engine::finish_extent_move(std::string_view pool_name)
{
    std::string member;
    bool remove = false;
    {
        auto locked = lock_owned_pool(pool_name);
        if (!locked)
            return std::unexpected(locked.error());
        auto& managed = *locked->pool;
        if (!managed.pool.extent_move)
            return fail(ErrorCode::NotFound, fmt::format("pool '{}' is not moving extents", managed.pool.name));
        auto copies = read_copies(managed.pool);
        if (!copies)
            return std::unexpected(copies.error());
        if (!managed.pool.extent_move->copying) {
            // Recorded, but a crash came before the copies started: they start now.
            auto copying = engine::start_extent_copies(managed.pool);
            if (!copying)
                return std::unexpected(copying.error());
            if (auto applied = apply_pool_change(managed, *copying, targets_, udev_reaper_); !applied)
                return std::unexpected(applied.error());
            return ExtentMoveEnd::Copying;
        }
        if (!extent_move_copied(*copies))
            return ExtentMoveEnd::Copying;
        member = managed.pool.extent_move->member.to_string();
        remove = managed.pool.extent_move->remove_member;
        auto next = engine::finish_extent_move(managed.pool);
        if (!next)
            return std::unexpected(next.error());
        if (auto applied = apply_pool_change(managed, *next, targets_, udev_reaper_); !applied)
            return std::unexpected(applied.error());
    }
    if (!remove)
        return ExtentMoveEnd::Moved;
    if (auto removed = remove_member(pool_name, member); !removed)
        return fail(removed.error().code,
                    fmt::format("the extents were moved off member {}, but removing it failed: {}", member,
                                removed.error().message));
    return ExtentMoveEnd::Removed;
}

Result<void> Engine::cancel_extent_move(std::string_view pool_name)
{
    auto locked = lock_owned_pool(pool_name);
    if (!locked)
        return std::unexpected(locked.error());
    auto& managed = *locked->pool;
    auto next = engine::cancel_extent_move(managed.pool);
    if (!next)
        return std::unexpected(next.error());
    return apply_pool_change(managed, *next, targets_, udev_reaper_);
}

}  // namespace volumes::engine
