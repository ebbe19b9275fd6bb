#pragma once

#include <string>
#include <vector>

namespace volumes::bench {

// Writes <dir>/lvm.conf and points LVM_SYSTEM_DIR at it, so that lvm sees only the two
// loop devices `first` and `second`; it waits for udev only where udev's dm rules are
// installed and udevd runs; no dmeventd monitoring, no lvmlockd. `extra_global` is added
// to its global section as it is (settings one per line, or "").
void write_lvm_conf(const std::string& dir, const std::string& first, const std::string& second,
                    const std::string& extra_global = "");
// The same for any number of devices.
void write_lvm_conf(const std::string& dir, const std::vector<std::string>& devices,
                    const std::string& extra_global = "");

}  // namespace volumes::bench
