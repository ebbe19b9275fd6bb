#pragma once

#include <vector>

#include "report.hpp"

namespace volumes::bench {

// The same with lvm2 on two other loop devices: a raid1 LV of settings.array_mib, its
// initial sync, then settings.repeats cycles of `lvconvert --splitmirrors 1
// --trackchanges`, the same write, `lvconvert --merge` and the resync's end. lvm runs
// with its own lvm.conf (LVM_SYSTEM_DIR) that sees only those loop devices. Removes the
// volume group at the end, also when a step fails.
std::vector<CycleTimes> run_lvm_side(const BenchSettings& settings);

}  // namespace volumes::bench
