#include <fmt/core.h>

#include "service/engine/decision_checks.hpp"
#include "service/engine/engine.hpp"
#include "service/engine/extent_zeroing.hpp"
#include "service/engine/kernel_volume_status.hpp"
#include "service/engine/member_resolution.hpp"
#include "service/engine/pool_transaction.hpp"
#include "service/engine/raid1_repair.hpp"
#include "service/logging/log.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"

// The Engine's repair of a raid1 array whose images lost their member (Raid1.Repair), decided
// by raid1_repair.hpp, and the end of the rebuild it starts.
namespace volumes::engine {

namespace {

// The array's rebuilding marks the kernel no longer needs: those of the legs it shows alive
// once the array is idle and in sync. nullopt when none goes now.
Result<std::optional<model::Pool>> finished_rebuild(const model::Pool& pool, const model::Volume& array)
{
    if (!array.active || !raid1_rebuilding(array))
        return std::optional<model::Pool>{};
    auto status = read_volume_status(model::dm_uuid(pool.uuid, array.uuid), true);
    if (!status)
        return std::unexpected(status.error());
    if (!status->raid || !status->raid->synced)
        return std::optional<model::Pool>{};
    return finish_raid1_rebuild(pool, array.uuid, status->raid->health);
}

}  // namespace

Result<std::vector<std::uint32_t>> Engine::repair_raid1(std::string_view pool_name, std::string_view array,
                                                        const RepairRequest& request)
{
    auto locked = lock_owned_pool(pool_name);
    if (!locked)
        return std::unexpected(locked.error());
    auto& managed = *locked->pool;
    auto volume = volume_named(managed.pool, array);
    if (!volume)
        return std::unexpected(volume.error());
    const auto uuid = (*volume)->uuid;
    auto choice = member_choice(managed, request.members);
    if (!choice)
        return std::unexpected(choice.error());
    auto repair = engine::repair_raid1(managed.pool, uuid, *choice);
    if (!repair)
        return std::unexpected(repair.error());
    // Only the new legs are marked rebuilding (a leg still marked would have made it Busy).
    if (auto zeroed = zero_rebuilding_raid1_metadata(managed, *model::find_volume(repair->next, uuid)); !zeroed)
        return std::unexpected(zeroed.error());
    if (auto applied = apply_pool_change(managed, repair->next, targets_, udev_reaper_); !applied)
        return std::unexpected(applied.error());
    return repair->slots;
}

Result<bool> Engine::finish_raid1_rebuild(std::string_view pool_name, std::string_view array)
{
    auto locked = lock_owned_pool(pool_name);
    if (!locked)
        return std::unexpected(locked.error());
    auto& managed = *locked->pool;
    auto volume = volume_named(managed.pool, array);
    if (!volume)
        return std::unexpected(volume.error());
    auto next = finished_rebuild(managed.pool, **volume);
    if (!next)
        return std::unexpected(next.error());
    if (!*next)
        return false;
    if (auto applied = apply_pool_change(managed, **next, targets_, udev_reaper_); !applied)
        return std::unexpected(applied.error());
    return true;
}

void Engine::finish_rebuilds(ManagedPool& pool, const char* operation)
{
    std::vector<std::string> names;
    for (const auto& volume : pool.pool.volumes)
        if (raid1_rebuilding(volume))
            names.push_back(volume.name);
    for (const auto& name : names) {
        const auto* volume = model::find_volume(pool.pool, name);
        if (!volume)
            continue;
        auto next = finished_rebuild(pool.pool, *volume);
        if (!next) {
            logging::warning({pool.pool.name, name, operation}, "reading the rebuild of its new image(s) failed: {}",
                             next.error().message);
            continue;
        }
        if (!*next)
            continue;
        if (auto applied = apply_pool_change(pool, **next, targets_, udev_reaper_); !applied)
            logging::warning({pool.pool.name, name, operation},
                             "the rebuild has ended, but reloading the array without \"rebuild\" failed: {}",
                             applied.error().message);
        else
            logging::notice({pool.pool.name, name, operation},
                            "the rebuild of its new image(s) had ended; the array no longer loads with \"rebuild\"");
    }
}

}  // namespace volumes::engine
