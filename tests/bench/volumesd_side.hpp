#pragma once

#include <vector>

#include "report.hpp"

namespace volumes::bench {

// Through volumesd on the system bus (bus-activated): a pool on two loop devices, a
// raid1 volume of settings.array_mib, its initial sync, then settings.repeats cycles of
// Raid1.SplitTrack, a write of settings.write_mib, TrackedImage.Merge and its Job's end.
// Removes the volume and the pool at the end, also when a step fails.
std::vector<CycleTimes> run_volumesd_side(const BenchSettings& settings);

}  // namespace volumes::bench
