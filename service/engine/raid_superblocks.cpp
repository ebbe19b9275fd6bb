#include "service/engine/raid_superblocks.hpp"

#include "kmod/device_mapper.hpp"
#include "kmod/udev_cookie.hpp"
#include "service/engine/error_translation.hpp"
#include "service/graph/udev_identity.hpp"
#include "service/model/names.hpp"

namespace volumes::engine {

Result<void> rewrite_raid_superblocks(const model::Pool& pool, const model::Volume& array,
                                      executor::UdevReaper& udev_reaper)
{
    const auto device = kmod::DeviceId::by_uuid(model::dm_uuid(pool.uuid, array.uuid));
    if (auto suspended = kmod::dm::suspend(device, {.no_flush = false, .skip_lockfs = true}); !suspended)
        return std::unexpected(from_kmod(suspended.error()));
    kmod::UdevCookie cookie;
    auto resumed = kmod::dm::resume(device, cookie, graph::udev_identity(array));
    // The array's node is there already: udev's probe of its change need not hold the caller.
    udev_reaper.hand_over(std::move(cookie));
    if (!resumed)
        return std::unexpected(from_kmod(resumed.error()));
    return {};
}

}  // namespace volumes::engine
