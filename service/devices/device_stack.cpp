#include "service/devices/device_stack.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/core.h>

namespace volumes::devices {

std::vector<kmod::DeviceNumber> holders_of(kmod::DeviceNumber device)
{
    std::vector<kmod::DeviceNumber> holders;
    std::error_code error;
    const auto directory = std::filesystem::path(fmt::format("/sys/dev/block/{}/holders", device.to_string()));
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
        std::ifstream dev(std::filesystem::path("/sys/class/block") / entry.path().filename() / "dev");
        std::string text;
        if (!(dev >> text))
            continue;
        if (auto number = kmod::DeviceNumber::parse(text))
            holders.push_back(*number);
    }
    return holders;
}

bool stacked_on(kmod::DeviceNumber upper, kmod::DeviceNumber lower)
{
    std::set<kmod::DeviceNumber> seen{lower};
    std::vector<kmod::DeviceNumber> next{lower};
    // A stack is a DAG a few levels deep; the bound only guards against a sysfs that lies.
    for (int steps = 0; !next.empty() && steps < 4096; ++steps) {
        const auto device = next.back();
        next.pop_back();
        for (const auto holder : holders_of(device)) {
            if (holder == upper)
                return true;
            if (seen.insert(holder).second)
                next.push_back(holder);
        }
    }
    return false;
}

}  // namespace volumes::devices
