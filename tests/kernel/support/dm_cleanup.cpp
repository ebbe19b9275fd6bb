#include "tests/kernel/support/dm_cleanup.hpp"

#include <iostream>

#include "kmod/device_mapper.hpp"

namespace volumes::test {

DmCleanup::~DmCleanup()
{
    namespace dm = kmod::dm;
    for (auto name = names_.rbegin(); name != names_.rend(); ++name) {
        const auto device = kmod::DeviceId::by_name(*name);
        auto info = dm::info(device);
        if (!info || !info->exists)
            continue;
        kmod::UdevCookie cookie;
        if (info->suspended)
            (void)dm::resume(device, cookie, kmod::UdevIdentity::Internal);
        if (auto removed = dm::remove(device, cookie); !removed)
            std::cerr << "cleanup: " << removed.error().message << '\n';
    }
}

}  // namespace volumes::test
