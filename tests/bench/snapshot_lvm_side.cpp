#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include <fmt/core.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "block_write.hpp"
#include "command.hpp"
#include "loop_disk.hpp"
#include "lvm_conf.hpp"
#include "snapshot_bench.hpp"

namespace volumes::bench {

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
const std::string kVg = "volumes_snapbench_vg";
const std::string kOrigin = kVg + "/origin";
const std::string kSnapshot = kVg + "/snap";
const std::string kOriginDm = kVg + "-origin";

// `lvconvert --merge --background` forks a poller that finishes the merge and exits; the
// bench is its subreaper, so it is reparented here and its exit is the merge's end.
// Returns when it exited, with its status; nullopt while it runs. Throws when there is no
// such process (lvm polled through lvmpolld, or not at all).
std::optional<std::pair<Clock::time_point, int>> poller_exit()
{
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid == 0)
        return std::nullopt;
    if (pid < 0)
        throw std::runtime_error(fmt::format("no background lvconvert poller to wait for: {}", std::strerror(errno)));
    return std::pair{Clock::now(), WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)};
}

SnapshotTimes cycle(const SnapshotSettings& settings, unsigned run)
{
    SnapshotTimes times;
    const auto create_start = Clock::now();
    bench::run({"lvcreate", "-y", "-s", "-c", fmt::format("{}k", settings.chunk_kib), "-L",
                fmt::format("{}M", settings.cow_mib), "-n", "snap", kOrigin});
    times.create = seconds_between(create_start, Clock::now());

    const auto write_start = Clock::now();
    write_mib("/dev/mapper/" + kOriginDm, settings.write_mib, run + 1);
    times.write = seconds_between(write_start, Clock::now());
    // As on the volumesd side: lvconvert would only delay the merge while udev holds the
    // origin open.
    try_run({"udevadm", "settle"});

    const auto merge_start = Clock::now();
    const std::string said = bench::run(
        {"lvconvert", "-y", "--merge", "--background", "-i", fmt::format("{}", settings.lvm_interval), kSnapshot});
    times.merge_call = seconds_between(merge_start, Clock::now());
    if (said.find("Delaying merge") != std::string::npos)
        throw std::runtime_error(fmt::format("lvconvert delayed the merge: {}", said));

    std::optional<Clock::time_point> merged_at;
    std::optional<std::pair<Clock::time_point, int>> exited;
    const auto deadline = merge_start + kMergeTimeout;
    while (!merged_at || !exited) {
        if (!exited)
            exited = poller_exit();
        if (!merged_at && kernel_merge_done(kOriginDm))
            merged_at = Clock::now();
        if (merged_at && exited)
            break;
        if (Clock::now() > deadline)
            throw std::runtime_error(fmt::format("the merge of {} did not end within {} min", kSnapshot,
                                                 std::chrono::duration_cast<std::chrono::minutes>(kMergeTimeout).count()));
        std::this_thread::sleep_for(kMergeProbeInterval);
    }
    if (exited->second != 0)
        throw std::runtime_error(fmt::format("lvconvert's background poller exited with status {}", exited->second));
    times.merged = seconds_between(merge_start, std::min(*merged_at, exited->first));
    times.done = seconds_between(merge_start, exited->first);
    times.total = times.create + times.done;

    const std::string names = bench::run({"lvs", "--noheadings", "-o", "lv_name", kVg});
    if (names.find("snap") != std::string::npos)
        throw std::runtime_error(fmt::format("after the merge, lvs still lists the snapshot: {}", names));
    check_rolled_back(kOriginDm, settings.write_mib);
    return times;
}

}  // namespace

std::vector<SnapshotTimes> run_lvm_snapshot_side(const SnapshotSettings& settings)
{
    const std::uint64_t member_bytes = (settings.origin_mib + settings.cow_mib + 64) * kMiB;
    LoopDisk first(settings.scratch_dir, "lvm-snap-0", member_bytes);
    LoopDisk second(settings.scratch_dir, "lvm-snap-1", member_bytes);
    // No lvmpolld: lvconvert's own background process polls, and is reparented to us.
    write_lvm_conf(settings.scratch_dir + "/lvm-etc", first.device(), second.device(), "    use_lvmpolld = 0\n");
    if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
        throw std::runtime_error(fmt::format("PR_SET_CHILD_SUBREAPER: {}", std::strerror(errno)));

    run({"pvcreate", "-y", first.device(), second.device()});
    std::vector<SnapshotTimes> runs;
    try {
        run({"vgcreate", kVg, first.device(), second.device()});
        run({"lvcreate", "-y", "-L", fmt::format("{}M", settings.origin_mib), "-n", "origin", kVg});
        fmt::print("lvm2: {} on {} {}, linear\n", kOrigin, first.device(), second.device());
        for (unsigned i = 0; i < settings.repeats; ++i)
            runs.push_back(cycle(settings, i));
    } catch (...) {
        try_run({"vgremove", "-ff", "-y", kVg});
        try_run({"pvremove", "-y", first.device(), second.device()});
        throw;
    }
    run({"vgremove", "-ff", "-y", kVg});
    run({"pvremove", "-y", first.device(), second.device()});
    return runs;
}

}  // namespace volumes::bench
