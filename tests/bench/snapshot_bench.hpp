#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "kernel_floor.hpp"
#include "timing.hpp"

namespace volumes::bench {

struct SnapshotSettings {
    std::string kernel;
    std::string scratch_dir;  // a tmpfs directory for the loop devices' files
    unsigned long long origin_mib = 0;
    unsigned long long cow_mib = 0;
    unsigned long long write_mib = 0;
    unsigned long long chunk_kib = 0;
    unsigned lvm_interval = 0;  // lvconvert --interval, seconds
    unsigned repeats = 0;
};

// One snapshot, write, merge cycle, in seconds. `merged` and `done` run from the merge
// call's start: `merged` until the kernel has copied every chunk back (the origin's
// snapshot-merge status, probed the same way on both sides), `done` until the tool says
// the merge is over and the snapshot is gone. `total` is create + done; the write is
// timed apart and left out.
struct SnapshotTimes {
    double create = 0;
    double write = 0;
    double merge_call = 0;
    double merged = 0;
    double done = 0;
    double total = 0;
};

// How often both sides probe the origin's status for `merged`.
inline constexpr auto kMergeProbeInterval = std::chrono::milliseconds(10);
inline constexpr auto kMergeTimeout = std::chrono::minutes(10);

// The kernel's side of a merge into the dm device `origin_dm`: true once its
// snapshot-merge status says only metadata is left, or once the origin no longer has a
// snapshot-merge table (the tool finished the merge first). Throws if the merge failed
// or the origin is gone.
bool kernel_merge_done(const std::string& origin_dm);

// After a finished merge: the origin is one plain linear device again and its first
// `write_mib` MiB read back as zeros, as they were when the snapshot was taken.
void check_rolled_back(const std::string& origin_dm, unsigned long long write_mib);

// Through volumesd on the system bus: a pool on two loop devices, a linear volume of
// settings.origin_mib, then settings.repeats cycles of Volume.CreateSnapshot, a write of
// settings.write_mib into the origin, Snapshot.Merge and its MergeCompleted. Removes
// what it made at the end, also when a step fails. Then one more cycle with volumesd traced
// around the create and around the merge until MergeCompleted, for the kernel floor (a
// failure of the tracing alone is kept in floors.failure).
struct SnapshotResults {
    std::vector<SnapshotTimes> runs;
    KernelFloors floors;
};
SnapshotResults run_volumesd_snapshot_side(const SnapshotSettings& settings);

// The same with lvm2 on two other loop devices: `lvcreate -s`, the same write,
// `lvconvert --merge --background --interval N` and the exit of its background poller.
std::vector<SnapshotTimes> run_lvm_snapshot_side(const SnapshotSettings& settings);

// Prints every run, then the medians of both sides and their ratio, as aligned tables.
void print_snapshot_report(const SnapshotSettings& settings, const std::vector<SnapshotTimes>& volumesd,
                           const std::vector<SnapshotTimes>& lvm);

}  // namespace volumes::bench
