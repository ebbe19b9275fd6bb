// snapshot_merge_bench: a CoW snapshot of a linear volume, a write into the origin and
// the merge back of the snapshot, through volumesd (over the system bus) and through
// lvm2's lvcreate -s / lvconvert --merge, side by side; prints the times and their ratio.
// Run as root in the qemu guest (scripts/bench.sh); see README.md.
#include <exception>
#include <filesystem>
#include <string>

#include <fmt/core.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "snapshot_bench.hpp"

namespace {

constexpr const char* kUsage =
    "usage: snapshot_merge_bench [--scratch DIR] [--origin-mib N] [--cow-mib N] [--write-mib N] [--chunk-kib N]\n"
    "                            [--lvm-interval S] [--repeats N]\n"
    "  DIR (default /tmp/snapshot-bench) should be on tmpfs; defaults: 256 MiB origin, 64 MiB COW,\n"
    "  32 MiB written, 4 KiB chunks, lvconvert -i 1, 3 runs per side\n";

bool parse(int argc, char** argv, volumes::bench::SnapshotSettings& settings)
{
    for (int i = 1; i < argc; i += 2) {
        const std::string flag = argv[i];
        if (i + 1 >= argc)
            return false;
        const std::string value = argv[i + 1];
        try {
            if (flag == "--scratch")
                settings.scratch_dir = value;
            else if (flag == "--origin-mib")
                settings.origin_mib = std::stoull(value);
            else if (flag == "--cow-mib")
                settings.cow_mib = std::stoull(value);
            else if (flag == "--write-mib")
                settings.write_mib = std::stoull(value);
            else if (flag == "--chunk-kib")
                settings.chunk_kib = std::stoull(value);
            else if (flag == "--lvm-interval")
                settings.lvm_interval = static_cast<unsigned>(std::stoul(value));
            else if (flag == "--repeats")
                settings.repeats = static_cast<unsigned>(std::stoul(value));
            else
                return false;
        } catch (const std::exception&) {
            return false;
        }
    }
    const auto chunk = settings.chunk_kib;
    return settings.origin_mib > 0 && settings.cow_mib > 0 && settings.write_mib > 0 &&
           settings.write_mib <= settings.origin_mib && chunk >= 4 && chunk <= 512 && (chunk & (chunk - 1)) == 0 &&
           settings.lvm_interval > 0 && settings.repeats > 0;
}

}  // namespace

int main(int argc, char** argv)
{
    volumes::bench::SnapshotSettings settings{.kernel = "",
                                              .scratch_dir = "/tmp/snapshot-bench",
                                              .origin_mib = 256,
                                              .cow_mib = 64,
                                              .write_mib = 32,
                                              .chunk_kib = 4,
                                              .lvm_interval = 1,
                                              .repeats = 3};
    if (!parse(argc, argv, settings)) {
        fmt::print(stderr, "{}", kUsage);
        return 2;
    }
    if (::geteuid() != 0) {
        fmt::print(stderr, "snapshot_merge_bench: run it as root (in the guest: scripts/bench.sh)\n");
        return 2;
    }
    utsname name{};
    ::uname(&name);
    settings.kernel = name.release;
    std::filesystem::create_directories(settings.scratch_dir);

    volumes::bench::SnapshotResults ours;
    std::vector<volumes::bench::SnapshotTimes> theirs;
    int status = 0;
    try {
        ours = volumes::bench::run_volumesd_snapshot_side(settings);
    } catch (const std::exception& error) {
        fmt::print(stderr, "volumesd side FAILED: {}\n", error.what());
        status = 1;
    }
    try {
        theirs = volumes::bench::run_lvm_snapshot_side(settings);
    } catch (const std::exception& error) {
        fmt::print(stderr, "lvm2 side FAILED: {}\n", error.what());
        status = 1;
    }
    volumes::bench::print_snapshot_report(settings, ours.runs, theirs);
    if (volumes::bench::print_kernel_floors(ours.floors) != 0)
        status = 1;
    return status;
}
