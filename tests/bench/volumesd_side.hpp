#pragma once

#include <string>
#include <utility>
#include <vector>

#include "kernel_floor.hpp"
#include "report.hpp"

namespace volumes::bench {

// Through volumesd on the system bus (bus-activated): a pool on two loop devices, a
// raid1 volume of settings.array_mib, its initial sync, then settings.repeats cycles of
// Raid1.SplitTrack, a write of settings.write_mib, TrackedImage.Merge and its Job's end.
// Then one more cycle with volumesd traced around each call, for the kernel floor (a failure
// of the tracing alone is kept in floors.failure). Removes the volume and the pool at the end,
// also when a step fails.
struct VolumesdResults {
    std::vector<CycleTimes> runs;
    KernelFloors floors;
};
VolumesdResults run_volumesd_side(const BenchSettings& settings);

}  // namespace volumes::bench
