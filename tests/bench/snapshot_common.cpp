// What both sides of snapshot_merge_bench share: the kernel probe, the check after a
// merge, and the report.
#include <sstream>
#include <stdexcept>

#include <fmt/core.h>

#include "block_write.hpp"
#include "dm_status.hpp"
#include "snapshot_bench.hpp"

namespace volumes::bench {

bool kernel_merge_done(const std::string& origin_dm)
{
    const auto target = dm_target(origin_dm);
    if (!target)
        throw std::runtime_error(fmt::format("the origin {} disappeared while merging", origin_dm));
    if (target->type != "snapshot-merge")
        return true;
    // "<allocated>/<total> <metadata>" (sectors); "Invalid", "Merge failed", "Overflow"...
    unsigned long long allocated = 0, total = 0, metadata = 0;
    char slash = 0;
    std::istringstream words(target->params);
    if (!(words >> allocated >> slash >> total >> metadata) || slash != '/')
        throw std::runtime_error(fmt::format("merging {}: snapshot-merge status '{}'", origin_dm, target->params));
    return allocated == metadata;
}

void check_rolled_back(const std::string& origin_dm, unsigned long long write_mib)
{
    const auto table = dm_target(origin_dm, true);
    if (!table || table->type != "linear")
        throw std::runtime_error(fmt::format("after the merge, {} is not one linear device: '{} {}'", origin_dm,
                                             table ? table->type : "(gone)", table ? table->params : ""));
    if (!reads_zero("/dev/mapper/" + origin_dm, write_mib))
        throw std::runtime_error(
            fmt::format("after the merge, the first {} MiB of {} are not the snapshot's (zeros)", write_mib, origin_dm));
}

namespace {

double median_of(const std::vector<SnapshotTimes>& runs, double SnapshotTimes::*field)
{
    std::vector<double> values;
    for (const auto& run : runs)
        values.push_back(run.*field);
    return bench::median_of(std::move(values));
}

SnapshotTimes median(const std::vector<SnapshotTimes>& runs)
{
    return {median_of(runs, &SnapshotTimes::create), median_of(runs, &SnapshotTimes::write),
            median_of(runs, &SnapshotTimes::merge_call), median_of(runs, &SnapshotTimes::merged),
            median_of(runs, &SnapshotTimes::done), median_of(runs, &SnapshotTimes::total)};
}

void print_row(const std::string& label, const SnapshotTimes& times)
{
    fmt::print("  {:<16} {:>10.3f} {:>10.3f} {:>11.3f} {:>14.3f} {:>12.3f} {:>10.3f}\n", label, times.create,
               times.write, times.merge_call, times.merged, times.done, times.total);
}

void print_header()
{
    fmt::print("  {:<16} {:>10} {:>10} {:>11} {:>14} {:>12} {:>10}\n", "", "create (s)", "write (s)", "merge call",
               "merge->merged", "merge->done", "total (s)");
}

}  // namespace

void print_snapshot_report(const SnapshotSettings& settings, const std::vector<SnapshotTimes>& volumesd,
                           const std::vector<SnapshotTimes>& lvm)
{
    fmt::print("\nCoW snapshot + merge: volumesd (D-Bus) vs lvm2 (lvcreate -s, lvconvert --merge)\n");
    fmt::print("kernel {}, linear origin of {} MiB, COW {} MiB, chunk {} KiB, {} MiB written to the origin "
               "after the snapshot, {} runs\n",
               settings.kernel, settings.origin_mib, settings.cow_mib, settings.chunk_kib, settings.write_mib,
               settings.repeats);
    fmt::print("  create:      volumesd Volume.CreateSnapshot | lvm2 lvcreate -s -c {}k -L {}M\n", settings.chunk_kib,
               settings.cow_mib);
    fmt::print("  write:       {} MiB O_DIRECT + fsync into the origin, timed apart, not in total\n",
               settings.write_mib);
    fmt::print("  merge call:  volumesd Snapshot.Merge | lvm2 lvconvert --merge --background -i {} "
               "(returns once the kernel merges)\n",
               settings.lvm_interval);
    fmt::print("  merge->merged: from the merge call's start until the origin's snapshot-merge status has no\n"
               "               chunk left (DM_TABLE_STATUS every {} ms, the same probe on both sides)\n",
               kMergeProbeInterval.count());
    fmt::print("  merge->done: from the merge call's start until volumesd's MergeCompleted arrives (volumesd\n"
               "               samples the merge every 250 ms) | until lvm2's background poller has finished\n"
               "               the merge and exited (it samples every -i {} s; lvm's default would be 15 s)\n",
               settings.lvm_interval);
    fmt::print("  total:       create + merge->done\n\n");
    print_header();
    for (std::size_t i = 0; i < volumesd.size(); ++i)
        print_row(fmt::format("volumesd run {}", i + 1), volumesd[i]);
    for (std::size_t i = 0; i < lvm.size(); ++i)
        print_row(fmt::format("lvm2 run {}", i + 1), lvm[i]);

    const SnapshotTimes ours = median(volumesd);
    const SnapshotTimes theirs = median(lvm);
    fmt::print("\nmedians\n");
    print_header();
    print_row("volumesd", ours);
    print_row("lvm2", theirs);
    fmt::print("  {:<16} {:>10} {:>10} {:>11} {:>14} {:>12} {:>10}\n", "volumesd/lvm2", ratio(ours.create, theirs.create),
               ratio(ours.write, theirs.write), ratio(ours.merge_call, theirs.merge_call),
               ratio(ours.merged, theirs.merged), ratio(ours.done, theirs.done), ratio(ours.total, theirs.total));
}

}  // namespace volumes::bench
