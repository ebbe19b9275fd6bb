#include "pool_cleanup.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kmod/device_mapper.hpp"
#include "kmod/udev_cookie.hpp"

namespace volumes::test {

namespace dm = kmod::dm;

namespace {

struct PoolDevice {
    std::string name;
    kmod::DeviceNumber number;
};

std::vector<PoolDevice> pool_devices()
{
    auto listed = dm::list();
    if (!listed)
        throw std::runtime_error(listed.error().message);
    std::vector<PoolDevice> devices;
    for (const auto& entry : *listed) {
        auto info = dm::info(kmod::DeviceId::by_name(entry.name));
        if (info && info->exists && info->uuid.starts_with("VOLUMES-"))
            devices.push_back({entry.name, entry.number});
    }
    return devices;
}

// The pool devices no other pool device maps: they can go first.
std::vector<std::string> tops(const std::vector<PoolDevice>& devices)
{
    std::set<kmod::DeviceNumber> stacked_on;
    for (const auto& device : devices)
        if (auto deps = dm::deps(kmod::DeviceId::by_name(device.name)))
            stacked_on.insert(deps->begin(), deps->end());
    std::vector<std::string> names;
    for (const auto& device : devices)
        if (!stacked_on.contains(device.number))
            names.push_back(device.name);
    return names;
}

}  // namespace

void remove_all_pool_devices()
{
    // A suspended device under a top one (a thin pool under its thins) would hang that top
    // device's removal: resume every suspended device with its live table first, children
    // before the devices stacked on them (a thin resumes only over a running pool).
    for (int pass = 0; pass < 8; ++pass) {
        const auto devices = pool_devices();
        std::set<kmod::DeviceNumber> suspended;
        for (const auto& device : devices)
            if (auto info = dm::info(kmod::DeviceId::by_name(device.name)); info && info->suspended)
                suspended.insert(device.number);
        if (suspended.empty())
            break;
        for (const auto& device : devices) {
            if (!suspended.contains(device.number))
                continue;
            const auto id = kmod::DeviceId::by_name(device.name);
            auto deps = dm::deps(id);
            if (deps && std::any_of(deps->begin(), deps->end(),
                                    [&](const kmod::DeviceNumber& child) { return suspended.contains(child); }))
                continue;
            (void)dm::clear_inactive(id);
            kmod::UdevCookie resume_cookie;
            (void)dm::resume(id, resume_cookie, kmod::UdevIdentity::Internal);
            (void)resume_cookie.wait();
        }
    }
    for (auto devices = pool_devices(); !devices.empty(); devices = pool_devices()) {
        const auto removable = tops(devices);
        if (removable.empty())
            throw std::runtime_error("the pool dm devices stack on each other in a cycle");
        for (const auto& name : removable) {
            const auto id = kmod::DeviceId::by_name(name);
            if (auto info = dm::info(id); info && info->suspended) {
                (void)dm::clear_inactive(id);
                kmod::UdevCookie resume_cookie;
                (void)dm::resume(id, resume_cookie, kmod::UdevIdentity::Internal);
                (void)resume_cookie.wait();
            }
            kmod::UdevCookie cookie;
            auto removed = dm::remove(id, cookie);
            (void)cookie.wait();
            if (!removed)
                throw std::runtime_error("cannot remove " + name + ": " + removed.error().message);
        }
    }
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
