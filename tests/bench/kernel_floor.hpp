#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace volumes::bench {

// What one call cost volumesd in the kernel, from an strace of the daemon attached for that
// call only: its dm ioctls (how many, and the time spent inside them: the floor no tool
// making the same change can go under), and the time spent waiting on udev cookies
// (semop/semtimedop): by the threads that made the change (the caller waits for it) and by
// the others (volumesd's reaper of the events no caller waits for). `call` is the call's own
// time, slowed by the tracing.
struct KernelFloor {
    unsigned ioctls = 0;
    double ioctl_seconds = 0;
    double udev_wait_seconds = 0;
    double udev_later_seconds = 0;
    double call_seconds = 0;
};

// Runs `call` with `strace -f -T` attached to volumesd (found on the system bus) and sums
// what the trace saw. The raw trace is kept in `trace_file`. Throws if strace cannot attach.
KernelFloor trace_volumesd_call(const std::string& trace_file, const std::function<void()>& call);

// Where a trace named `name` goes: $VOLUMES_BENCH_TRACE_DIR (scripts/bench.sh sets it to the
// results it keeps) or else `fallback_dir`.
std::string trace_path(const std::string& fallback_dir, const std::string& name);

// The floors of one traced cycle, step by step, or why tracing failed.
struct KernelFloors {
    std::vector<std::pair<std::string, KernelFloor>> steps;
    std::string failure;
};

// Prints the floors as a table after the benchmark's report; a failure goes to stderr and
// makes the result 1, else 0.
int print_kernel_floors(const KernelFloors& floors);

}  // namespace volumes::bench
