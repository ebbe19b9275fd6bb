// raid1_split_merge_bench: split-track, write and merge of the same raid1 array through
// volumesd (over the system bus) and through lvm2's lvconvert, side by side; prints the
// times and their ratio. Run as root in the qemu guest (scripts/bench.sh); see README.md.
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>

#include <fmt/core.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "lvm_side.hpp"
#include "report.hpp"
#include "volumesd_side.hpp"

namespace {

constexpr const char* kUsage =
    "usage: raid1_split_merge_bench [--scratch DIR] [--array-mib N] [--write-mib N] [--region-kib N] "
    "[--repeats N]\n"
    "  DIR (default /tmp/raid1-bench) should be on tmpfs; defaults: 256 MiB array, 16 MiB written,\n"
    "  512 KiB region, 3 runs per side\n";

bool parse(int argc, char** argv, volumes::bench::BenchSettings& settings)
{
    for (int i = 1; i < argc; i += 2) {
        const std::string flag = argv[i];
        if (i + 1 >= argc)
            return false;
        const std::string value = argv[i + 1];
        try {
            if (flag == "--scratch")
                settings.scratch_dir = value;
            else if (flag == "--array-mib")
                settings.array_mib = std::stoull(value);
            else if (flag == "--write-mib")
                settings.write_mib = std::stoull(value);
            else if (flag == "--region-kib")
                settings.region_kib = std::stoull(value);
            else if (flag == "--repeats")
                settings.repeats = static_cast<unsigned>(std::stoul(value));
            else
                return false;
        } catch (const std::exception&) {
            return false;
        }
    }
    return settings.array_mib > 0 && settings.write_mib > 0 && settings.write_mib <= settings.array_mib &&
           settings.region_kib > 0 && settings.repeats > 0;
}

}  // namespace

int main(int argc, char** argv)
{
    volumes::bench::BenchSettings settings{.kernel = "",
                                           .scratch_dir = "/tmp/raid1-bench",
                                           .array_mib = 256,
                                           .write_mib = 16,
                                           .region_kib = 512,
                                           .repeats = 3};
    if (!parse(argc, argv, settings)) {
        fmt::print(stderr, "{}", kUsage);
        return 2;
    }
    if (::geteuid() != 0) {
        fmt::print(stderr, "raid1_split_merge_bench: run it as root (in the guest: scripts/bench.sh)\n");
        return 2;
    }
    utsname name{};
    ::uname(&name);
    settings.kernel = name.release;
    std::filesystem::create_directories(settings.scratch_dir);

    volumes::bench::VolumesdResults ours;
    std::vector<volumes::bench::CycleTimes> theirs;
    int status = 0;
    try {
        ours = volumes::bench::run_volumesd_side(settings);
    } catch (const std::exception& error) {
        fmt::print(stderr, "volumesd side FAILED: {}\n", error.what());
        status = 1;
    }
    try {
        theirs = volumes::bench::run_lvm_side(settings);
    } catch (const std::exception& error) {
        fmt::print(stderr, "lvm2 side FAILED: {}\n", error.what());
        status = 1;
    }
    volumes::bench::print_report(settings, ours.runs, theirs);
    if (volumes::bench::print_kernel_floors(ours.floors) != 0)
        status = 1;
    return status;
}
