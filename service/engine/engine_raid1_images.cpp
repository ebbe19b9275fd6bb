#include <fmt/core.h>

#include "service/engine/decision_checks.hpp"
#include "service/engine/engine.hpp"
#include "service/engine/extent_zeroing.hpp"
#include "service/engine/kernel_volume_status.hpp"
#include "service/engine/member_resolution.hpp"
#include "service/engine/pool_transaction.hpp"
#include "service/engine/raid1_images.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"

// The Engine's Raid1.AddImage and Raid1.RemoveImage, decided by raid1_images.hpp.
namespace volumes::engine {

Result<std::uint32_t> Engine::add_raid1_image(std::string_view pool_name, std::string_view array,
                                              const AddImageRequest& request)
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
    auto addition = engine::add_raid1_image(managed.pool, uuid, *choice);
    if (!addition)
        return std::unexpected(addition.error());
    // Only the new leg is marked rebuilding (a leg still marked would have made it Busy).
    if (auto zeroed = zero_rebuilding_raid1_metadata(managed, *model::find_volume(addition->next, uuid)); !zeroed)
        return std::unexpected(zeroed.error());
    if (auto applied = apply_pool_change(managed, addition->next, targets_, udev_reaper_); !applied)
        return std::unexpected(applied.error());
    return addition->slot;
}

Result<void> Engine::remove_raid1_image(std::string_view pool_name, std::string_view array, std::uint32_t slot)
{
    auto locked = lock_owned_pool(pool_name);
    if (!locked)
        return std::unexpected(locked.error());
    auto& managed = *locked->pool;
    auto volume = volume_named(managed.pool, array);
    if (!volume)
        return std::unexpected(volume.error());
    const auto uuid = (*volume)->uuid;
    std::optional<Raid1KernelView> kernel;
    if ((*volume)->active && std::holds_alternative<model::Raid1Layout>((*volume)->layout)) {
        auto status = read_volume_status(model::dm_uuid(managed.pool.uuid, uuid), true);
        if (!status)
            return std::unexpected(status.error());
        if (status->raid)
            kernel = Raid1KernelView{status->raid->synced, status->raid->health};
    }
    auto next = engine::remove_raid1_image(managed.pool, uuid, slot, managed.missing, kernel);
    if (!next)
        return std::unexpected(next.error());
    return apply_pool_change(managed, *next, targets_, udev_reaper_);
}

}  // namespace volumes::engine
