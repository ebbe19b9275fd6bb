#include "service/engine/decision_checks.hpp"
#include "service/engine/engine.hpp"
#include "service/engine/extent_zeroing.hpp"
#include "service/engine/member_resolution.hpp"
#include "service/engine/pool_transaction.hpp"
#include "service/engine/raid1_conversion.hpp"
#include "service/model/volume_lookup.hpp"

// The Engine's conversion of a linear volume into a raid1 in place (Volume.ConvertToRaid1),
// decided by raid1_conversion.hpp; its new image's rebuild ends as a repair's does
// (Engine::finish_raid1_rebuild, engine_repair.cpp).
namespace volumes::engine {

Result<VolumeSummary> Engine::convert_to_raid1(std::string_view pool_name, std::string_view name,
                                               const ConvertToRaid1Request& request)
{
    {
        auto locked = lock_owned_pool(pool_name);
        if (!locked)
            return std::unexpected(locked.error());
        auto& managed = *locked->pool;
        auto volume = volume_named(managed.pool, name);
        if (!volume)
            return std::unexpected(volume.error());
        const auto uuid = (*volume)->uuid;
        auto choice = member_choice(managed, request.members);
        if (!choice)
            return std::unexpected(choice.error());
        auto next = engine::convert_to_raid1(managed.pool, uuid, *choice, request.region_size);
        if (!next)
            return std::unexpected(next.error());
        // Both images' metadata: a zeroed rmeta under every slot makes dm-raid take the array
        // as new, and "rebuild 1" has it copy image 0 (the old data) onto image 1.
        if (auto zeroed = zero_raid1_metadata(managed, *model::find_volume(*next, uuid)); !zeroed)
            return std::unexpected(zeroed.error());
        if (auto applied = apply_pool_change(managed, *next, targets_, udev_reaper_); !applied)
            return std::unexpected(applied.error());
    }
    return volume(pool_name, name);
}

}  // namespace volumes::engine
