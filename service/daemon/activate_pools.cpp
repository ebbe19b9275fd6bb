#include "service/daemon/activate_pools.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/core.h>

#include "service/devices/udev_settle.hpp"
#include "service/engine/engine.hpp"
#include "service/logging/log.hpp"

namespace volumes::daemon {

namespace {

// Under systemd-udev-settle's own 180 s, so a stuck queue is reported here, not as a unit timeout.
constexpr std::chrono::seconds settle_timeout{120};

bool activated(const engine::PoolSummary& pool, const Activation& activation)
{
    return pool.foreign.empty() && (!activation.pool || *activation.pool == pool.name);
}

}  // namespace

int activate_pools(const Activation& activation)
{
    auto engine = engine::Engine::start({.only_pool = activation.pool});
    if (!engine) {
        logging::error({}, "cannot activate pools: {}", engine.error().message);
        return activation_failed;
    }
    const auto pools = (*engine)->pools();
    for (const auto& pool : pools) {
        if (!activated(pool, activation))
            continue;
        for (const auto& problem : pool.problems)
            logging::warning({pool.name, {}, "activate"}, "{}", problem);
        if (auto volumes = (*engine)->volumes(pool.name)) {
            const auto active = std::count_if(volumes->begin(), volumes->end(), [](const auto& v) { return v.active; });
            logging::info({pool.name, {}, "activate"}, "{} of {} volume(s) active", active, volumes->size());
        }
    }
    if (!devices::wait_for_udev_to_settle(settle_timeout))
        logging::warning({}, "udev did not settle within {} s after activation", settle_timeout.count());
    const auto count = std::count_if(pools.begin(), pools.end(), [&](const auto& p) { return activated(p, activation); });
    logging::info({}, "activation done: {} pool(s)", count);
    if (!activation.required)
        return 0;
    const auto& required = *activation.required;
    auto volumes = (*engine)->volumes(required.pool);
    const auto status = (*engine)->volume_status(required.pool, required.volume);
    if (auto reason = why_not_active(required, pools, (*engine)->problems(),
                                     volumes ? *volumes : std::vector<engine::VolumeSummary>{},
                                     status && status->active)) {
        logging::error({required.pool, required.volume, "activate"}, "the required volume is not active: {}",
                       reason->reason);
        fmt::print("{}\n", reason->reason);
        return reason->awaits_devices ? required_awaits_devices : required_not_active;
    }
    return 0;
}

}  // namespace volumes::daemon
