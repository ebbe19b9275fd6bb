#pragma once

#include <cstdint>

namespace volumes::bus {

// The number of a daemon's first job: microseconds since boot when it starts (CLOCK_BOOTTIME,
// which never goes back within a boot). Numbers then go up by one per job, so a daemon started
// again, by bus activation or after a crash, never gives a path a client may still hold from
// before to another job: that would take more than one job per microsecond.
std::uint64_t first_job_id();

}  // namespace volumes::bus
