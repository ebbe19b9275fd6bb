#include "pool_cleanup.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kmod/device_mapper.hpp"
#include "kmod/udev_cookie.hpp"

namespace volumes::test {

namespace dm = kmod::dm;

namespace {

std::vector<std::string> pool_device_names()
{
    auto listed = dm::list();
    if (!listed)
        throw std::runtime_error(listed.error().message);
    std::vector<std::string> names;
    for (const auto& entry : *listed) {
        auto info = dm::info(kmod::DeviceId::by_name(entry.name));
        if (info && info->exists && info->uuid.starts_with("VOLUMES-"))
            names.push_back(entry.name);
    }
    return names;
}

}  // namespace

void remove_all_pool_devices()
{
    // A device still held by a parent refuses removal; each round removes the current tops.
    for (int round = 0; round < 16; ++round) {
        const auto names = pool_device_names();
        if (names.empty())
            return;
        for (const auto& name : names) {
            const auto id = kmod::DeviceId::by_name(name);
            auto info = dm::info(id);
            if (!info || !info->exists || info->open_count > 0)
                continue;
            if (info->suspended) {
                kmod::UdevCookie resume_cookie;
                (void)dm::clear_inactive(id);
                (void)dm::resume(id, resume_cookie);
                (void)resume_cookie.wait();
            }
            kmod::UdevCookie cookie;
            (void)dm::remove(id, cookie);
            (void)cookie.wait();
        }
    }
    if (!pool_device_names().empty())
        throw std::runtime_error("pool dm devices are left that cannot be removed");
}

PoolDevicesRemovedOnExit::~PoolDevicesRemovedOnExit()
{
    try {
        remove_all_pool_devices();
    } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
    }
}

}  // namespace volumes::test
