#include "lvm_side.hpp"

#include <string>

#include <fmt/core.h>

#include "block_write.hpp"
#include "command.hpp"
#include "dm_raid_status.hpp"
#include "loop_disk.hpp"
#include "lvm_conf.hpp"

namespace volumes::bench {

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
const std::string kVg = "volumes_bench_vg";
const std::string kLv = kVg + "/lv";
const std::string kDmName = kVg + "-lv";
constexpr auto kPollInterval = std::chrono::milliseconds(10);

CycleTimes cycle(const BenchSettings& settings, unsigned run)
{
    CycleTimes times;
    const auto split_start = Clock::now();
    bench::run({"lvconvert", "-y", "--splitmirrors", "1", "--trackchanges", kLv});
    times.split = seconds_between(split_start, Clock::now());

    write_mib("/dev/mapper/" + kDmName, settings.write_mib, run + 1);

    const auto merge_start = Clock::now();
    bench::run({"lvconvert", "-y", "--merge", kLv + "_rimage_1"});
    times.merge_call = seconds_between(merge_start, Clock::now());
    wait_raid_in_sync(kDmName, kPollInterval, std::chrono::seconds(600));
    times.until_synced = seconds_between(merge_start, Clock::now());
    times.total = times.split + times.until_synced;
    check_still_in_sync(kDmName, std::chrono::milliseconds(300));
    return times;
}

}  // namespace

std::vector<CycleTimes> run_lvm_side(const BenchSettings& settings)
{
    const std::uint64_t member_bytes = (settings.array_mib + 64) * kMiB;
    LoopDisk first(settings.scratch_dir, "lvm-0", member_bytes);
    LoopDisk second(settings.scratch_dir, "lvm-1", member_bytes);
    write_lvm_conf(settings.scratch_dir + "/lvm-etc", first.device(), second.device());

    run({"pvcreate", "-y", first.device(), second.device()});
    std::vector<CycleTimes> runs;
    try {
        run({"vgcreate", kVg, first.device(), second.device()});
        run({"lvcreate", "-y", "--type", "raid1", "-m", "1", "-R", fmt::format("{}k", settings.region_kib), "-L",
             fmt::format("{}M", settings.array_mib), "-n", "lv", kVg});
        wait_raid_in_sync(kDmName, std::chrono::milliseconds(100), std::chrono::seconds(600));
        fmt::print("lvm2: {} on {} {}, raid1 in sync\n", kLv, first.device(), second.device());
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
