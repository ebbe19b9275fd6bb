#include "lvm_conf.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include <fmt/core.h>

namespace volumes::bench {

void write_lvm_conf(const std::string& dir, const std::string& first, const std::string& second,
                    const std::string& extra_global)
{
    write_lvm_conf(dir, std::vector<std::string>{first, second}, extra_global);
}

void write_lvm_conf(const std::string& dir, const std::vector<std::string>& devices, const std::string& extra_global)
{
    std::string accepted;
    for (const auto& device : devices)
        accepted += fmt::format("\"a|^{}$|\", ", device);
    const bool udev = std::filesystem::exists("/lib/udev/rules.d/95-dm-notify.rules") &&
                      std::filesystem::exists("/run/udev/control");
    std::filesystem::create_directories(dir);
    std::ofstream conf(dir + "/lvm.conf");
    conf << fmt::format(R"(devices {{
    filter = [ {0}"r|.*|" ]
    global_filter = [ {0}"r|.*|" ]
    use_devicesfile = 0
}}
activation {{
    udev_sync = {2}
    udev_rules = {2}
    monitoring = 0
}}
global {{
    use_lvmlockd = 0
{4}}}
backup {{
    backup_dir = "{3}/backup"
    archive_dir = "{3}/archive"
}}
)",
                        accepted, "", udev ? 1 : 0, dir, extra_global);
    if (!conf)
        throw std::runtime_error(fmt::format("writing {}/lvm.conf", dir));
    ::setenv("LVM_SYSTEM_DIR", dir.c_str(), 1);
    fmt::print("lvm2: LVM_SYSTEM_DIR={} (udev_sync={})\n", dir, udev ? 1 : 0);
}

}  // namespace volumes::bench
