#include "service/daemon/activate_pools.hpp"

#include <algorithm>
#include <chrono>

#include "service/devices/udev_settle.hpp"
#include "service/engine/engine.hpp"
#include "service/logging/log.hpp"

namespace volumes::daemon {

namespace {

// Under systemd-udev-settle's own 180 s, so a stuck queue is reported here, not as a unit timeout.
constexpr std::chrono::seconds settle_timeout{120};

}  // namespace

int activate_pools()
{
    auto engine = engine::Engine::start();
    if (!engine) {
        logging::error({}, "cannot activate pools: {}", engine.error().message);
        return 1;
    }
    const auto pools = (*engine)->pools();
    for (const auto& pool : pools) {
        for (const auto& problem : pool.problems)
            logging::warning({pool.name, {}, "activate"}, "{}", problem);
        if (auto volumes = (*engine)->volumes(pool.name)) {
            const auto active = std::count_if(volumes->begin(), volumes->end(), [](const auto& v) { return v.active; });
            logging::info({pool.name, {}, "activate"}, "{} of {} volume(s) active", active, volumes->size());
        }
    }
    if (!devices::wait_for_udev_to_settle(settle_timeout))
        logging::warning({}, "udev did not settle within {} s after activation", settle_timeout.count());
    logging::info({}, "activation done: {} pool(s)", pools.size());
    return 0;
}

}  // namespace volumes::daemon
