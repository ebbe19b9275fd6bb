#pragma once

#include <string>
#include <vector>

#include "timing.hpp"

namespace volumes::bench {

// One split-track, write, merge cycle, in seconds. `until_synced` runs from the merge
// call's start to the array being in sync again; `total` is split + until_synced (the
// write between them is left out).
struct CycleTimes {
    double split = 0;
    double merge_call = 0;
    double until_synced = 0;
    double total = 0;
};

// Per-field medians of the runs.
CycleTimes median(const std::vector<CycleTimes>& runs);

struct BenchSettings {
    std::string kernel;
    std::string scratch_dir;  // a tmpfs directory for the loop devices' files
    unsigned long long array_mib = 0;
    unsigned long long write_mib = 0;
    unsigned long long region_kib = 0;
    unsigned repeats = 0;
};

// Prints every run, then the medians of both sides and their ratio, as aligned tables.
void print_report(const BenchSettings& settings, const std::vector<CycleTimes>& volumesd,
                  const std::vector<CycleTimes>& lvm);

}  // namespace volumes::bench
