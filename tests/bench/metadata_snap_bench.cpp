// metadata_snap_bench: holding and dropping a thin pool's metadata snapshot (what an
// incremental backup with thin_delta -m does around its read), through volumesd's
// ThinPool.ReserveMetadataSnap / ReleaseMetadataSnap over the system bus and through
// `dmsetup message <pool> 0 reserve_metadata_snap` / `release_metadata_snap` on an lvm2
// thin pool of the same shape, plus the bare DM_DEVICE_TARGET_MSG ioctl on that lvm2 pool
// as a floor; prints median, min and max of each call and the ratios. Every reserve is
// checked to leave a held root in the kernel's status and every release to clear it
// (untimed); a failed check fails the program. Run as root in the qemu guest
// (scripts/bench.sh); see README.md.
#include <algorithm>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "block_write.hpp"
#include "bus_client.hpp"
#include "command.hpp"
#include "dm_status.hpp"
#include "kmod/device_mapper.hpp"
#include "loop_disk.hpp"
#include "lvm_conf.hpp"
#include "timing.hpp"

namespace volumes::bench {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint64_t kBlockKiB = 64;  // volumesd's default thin block size; lvm2 is given the same
const std::string kVg = "volumes_mdsnapbench_vg";
const std::string kLvmThin = kVg + "-thin";
const std::string kLvmTpool = kVg + "-pool-tpool";  // the thin-pool target under lvm2's pool

struct Settings {
    std::string kernel;
    std::string scratch_dir;
    unsigned long long data_mib = 0;
    unsigned long long metadata_mib = 0;
    unsigned long long thin_mib = 0;
    unsigned long long write_mib = 0;
    unsigned rounds = 0;
};

// Milliseconds per call, one entry per round.
struct Samples {
    std::vector<double> reserve;
    std::vector<double> release;
};

double ms_since(Clock::time_point start)
{
    return seconds_between(start, Clock::now()) * 1000.0;
}

// Each member of a side's pool: half of data + metadata + lvm2's spare metadata, and room
// for labels and rounding.
std::uint64_t member_bytes(const Settings& settings)
{
    return ((settings.data_mib + 2 * settings.metadata_mib) / 2 + 64) * kMiB;
}

// The held metadata root in a thin-pool status line ("<transaction id> <used>/<total>
// <used>/<total> <held root> rw ..."): "-" when none is held.
std::string held_root_in(const std::string& status, const std::string& what)
{
    std::istringstream words(status);
    std::string transaction, metadata, data, root;
    if (!(words >> transaction >> metadata >> data >> root))
        throw std::runtime_error(fmt::format("{}: thin-pool status '{}' has no held root", what, status));
    return root;
}

// The kernel's word on the thin pool dm_name, read with DM_TABLE_STATUS.
std::string kernel_held_root(const std::string& dm_name)
{
    const auto target = dm_target(dm_name);
    if (!target || target->type != "thin-pool")
        throw std::runtime_error(fmt::format("{} is not a thin pool: '{}'", dm_name, target ? target->type : "(gone)"));
    return held_root_in(target->params, dm_name);
}

void check_held(const std::string& root, const std::string& what, unsigned round)
{
    if (root == "-" || root == "0")
        throw std::runtime_error(fmt::format("round {}: after the reserve, {} shows no held root", round + 1, what));
}

void check_released(const std::string& root, const std::string& what, unsigned round)
{
    if (root != "-")
        throw std::runtime_error(
            fmt::format("round {}: after the release, {} still shows held root {}", round + 1, what, root));
}

// ---- volumesd ----------------------------------------------------------------------

Samples run_volumesd_side(const Settings& settings)
{
    LoopDisk first(settings.scratch_dir, "volumesd-mdsnap-0", member_bytes(settings));
    LoopDisk second(settings.scratch_dir, "volumesd-mdsnap-1", member_bytes(settings));
    Client client;

    auto manager = client.proxy(kRoot);
    const std::vector<std::string> devices{first.device(), second.device()};
    const std::string pool =
        client.call_for_path(*manager, "Manager", "CreatePool", std::string("mdsnapbench"), devices, Options{});
    std::string thin_pool, thin;
    bool held = false;
    Samples samples;
    try {
        auto pool_proxy = client.proxy(pool);
        thin_pool = client.call_for_path(*pool_proxy, "Pool", "CreateThinPool", std::string("tp"),
                                         std::uint64_t{settings.data_mib * kMiB},
                                         std::uint64_t{settings.metadata_mib * kMiB}, Options{});
        auto thin_pool_proxy = client.proxy(thin_pool);
        thin = client.call_for_path(*thin_pool_proxy, "ThinPool", "CreateThin", std::string("thin"),
                                    std::uint64_t{settings.thin_mib * kMiB}, Options{});
        auto thin_proxy = client.proxy(thin);
        const auto device = client.get<std::string>(*thin_proxy, "Volume", "DevicePath");
        write_mib(device, settings.write_mib, 1);
        // The thin-pool target is the metadata sub-volume's dm name without "_tmeta".
        const auto metadata_device = client.get<std::string>(*thin_pool_proxy, "ThinPool", "MetadataDevice");
        std::string pool_dm = metadata_device.substr(metadata_device.rfind('/') + 1);
        if (!pool_dm.ends_with("_tmeta"))
            throw std::runtime_error(fmt::format("MetadataDevice {} is not a _tmeta device", metadata_device));
        pool_dm.resize(pool_dm.size() - std::string("_tmeta").size());
        fmt::print("volumesd: pool {} on {} {}, thin pool {} ({}), thin {} ({}), {} MiB written\n", pool,
                   first.device(), second.device(), thin_pool, pool_dm, thin, device, settings.write_mib);
        check_released(kernel_held_root(pool_dm), pool_dm + "'s status before the first reserve", 0);

        for (unsigned round = 0; round < settings.rounds; ++round) {
            std::uint64_t root = 0, transaction_id = 0;
            std::string reported_device;
            const auto reserve_start = Clock::now();
            thin_pool_proxy->callMethod("ReserveMetadataSnap")
                .onInterface(interface("ThinPool"))
                .withTimeout(kCallTimeout)
                .withArguments(Options{})
                .storeResultsTo(root, reported_device, transaction_id);
            samples.reserve.push_back(ms_since(reserve_start));
            held = true;
            check_held(fmt::format("{}", root), "ReserveMetadataSnap's reply", round);
            if (reported_device != metadata_device)
                throw std::runtime_error(fmt::format("round {}: ReserveMetadataSnap named {}, MetadataDevice is {}",
                                                     round + 1, reported_device, metadata_device));
            const auto property = client.get<std::uint64_t>(*thin_pool_proxy, "ThinPool", "HeldMetadataRoot");
            const auto kernel = kernel_held_root(pool_dm);
            if (property != root || kernel != fmt::format("{}", root))
                throw std::runtime_error(fmt::format("round {}: reply root {}, HeldMetadataRoot {}, kernel status {}",
                                                     round + 1, root, property, kernel));

            const auto release_start = Clock::now();
            thin_pool_proxy->callMethod("ReleaseMetadataSnap")
                .onInterface(interface("ThinPool"))
                .withTimeout(kCallTimeout)
                .withArguments(Options{});
            samples.release.push_back(ms_since(release_start));
            held = false;
            const auto after = client.get<std::uint64_t>(*thin_pool_proxy, "ThinPool", "HeldMetadataRoot");
            if (after != 0)
                throw std::runtime_error(
                    fmt::format("round {}: after the release, HeldMetadataRoot is still {}", round + 1, after));
            check_released(kernel_held_root(pool_dm), pool_dm + "'s status", round);
        }
    } catch (...) {
        if (held)
            try {
                client.call(thin_pool, "ThinPool", "ReleaseMetadataSnap");
            } catch (const std::exception&) {
            }
        for (const auto& volume : {thin, thin_pool})
            if (!volume.empty())
                try {
                    client.call(volume, "Volume", "Remove");
                } catch (const std::exception&) {
                }
        try {
            client.call(pool, "Pool", "Destroy");
        } catch (const std::exception&) {
        }
        throw;
    }
    client.call(thin, "Volume", "Remove");
    client.call(thin_pool, "Volume", "Remove");
    client.call(pool, "Pool", "Destroy");
    return samples;
}

// ---- lvm2: dmsetup message, and the bare ioctl -------------------------------------

struct LvmSamples {
    Samples dmsetup;
    Samples ioctl;
};

// `dmsetup status` of lvm2's thin-pool target: "<start> <length> thin-pool <status...>".
std::string dmsetup_held_root()
{
    const std::string line = run({"dmsetup", "status", kLvmTpool});
    const auto at = line.find("thin-pool ");
    if (at == std::string::npos)
        throw std::runtime_error(fmt::format("dmsetup status {}: '{}'", kLvmTpool, line));
    return held_root_in(line.substr(at + std::string("thin-pool ").size()), "dmsetup status " + kLvmTpool);
}

void send_ioctl(const char* text)
{
    const auto answered = kmod::dm::message(kmod::DeviceId::by_name(kLvmTpool), text);
    if (!answered)
        throw std::runtime_error(fmt::format("DM_DEVICE_TARGET_MSG {} '{}': {}", kLvmTpool, text, answered.error().message));
}

// Rounds of reserve then release, each timed by `send`; checked after each with `held_root`.
Samples rounds(const Settings& settings, const std::function<void(const char*)>& send,
               const std::function<std::string()>& held_root, const std::string& what, bool& held)
{
    Samples samples;
    for (unsigned round = 0; round < settings.rounds; ++round) {
        const auto reserve_start = Clock::now();
        send("reserve_metadata_snap");
        samples.reserve.push_back(ms_since(reserve_start));
        held = true;
        check_held(held_root(), what, round);

        const auto release_start = Clock::now();
        send("release_metadata_snap");
        samples.release.push_back(ms_since(release_start));
        held = false;
        check_released(held_root(), what, round);
    }
    return samples;
}

LvmSamples run_lvm_side(const Settings& settings)
{
    LoopDisk first(settings.scratch_dir, "lvm-mdsnap-0", member_bytes(settings));
    LoopDisk second(settings.scratch_dir, "lvm-mdsnap-1", member_bytes(settings));
    write_lvm_conf(settings.scratch_dir + "/lvm-etc", first.device(), second.device());

    run({"pvcreate", "-y", first.device(), second.device()});
    LvmSamples samples;
    bool held = false;
    try {
        run({"vgcreate", kVg, first.device(), second.device()});
        run({"lvcreate", "-y", "--type", "thin-pool", "-L", fmt::format("{}M", settings.data_mib),
             "--poolmetadatasize", fmt::format("{}M", settings.metadata_mib), "-c", fmt::format("{}k", kBlockKiB),
             "-Z", "y", "--discards", "passdown", "-n", "pool", kVg});
        run({"lvcreate", "-y", "-V", fmt::format("{}M", settings.thin_mib), "--thin", "-n", "thin", kVg + "/pool"});
        write_mib("/dev/mapper/" + kLvmThin, settings.write_mib, 1);
        fmt::print("lvm2: {}/pool ({}) on {} {}, thin {}/thin, {} MiB written\n", kVg, kLvmTpool, first.device(),
                   second.device(), kVg, settings.write_mib);
        check_released(dmsetup_held_root(), "dmsetup status before the first reserve", 0);

        samples.dmsetup = rounds(
            settings,
            [](const char* text) { run({"dmsetup", "message", kLvmTpool, "0", text}); },
            dmsetup_held_root, "dmsetup status", held);
        samples.ioctl = rounds(
            settings, send_ioctl, [] { return kernel_held_root(kLvmTpool); }, "the lvm2 pool's status", held);
    } catch (...) {
        if (held)
            try_run({"dmsetup", "message", kLvmTpool, "0", "release_metadata_snap"});
        try_run({"vgremove", "-ff", "-y", kVg});
        try_run({"pvremove", "-y", first.device(), second.device()});
        throw;
    }
    run({"vgremove", "-ff", "-y", kVg});
    run({"pvremove", "-y", first.device(), second.device()});
    return samples;
}

// ---- report ------------------------------------------------------------------------

struct Stats {
    double median = 0, min = 0, max = 0;
};

Stats stats_of(const std::vector<double>& values)
{
    if (values.empty())
        return {};
    return {median_of(values), *std::ranges::min_element(values), *std::ranges::max_element(values)};
}

void print_header()
{
    fmt::print("  {:<18} {:>29}   {:>29}\n", "", "reserve (ms)", "release (ms)");
    fmt::print("  {:<18} {:>9} {:>9} {:>9}   {:>9} {:>9} {:>9}\n", "", "median", "min", "max", "median", "min",
               "max");
}

void print_row(const std::string& label, const Samples& samples)
{
    if (samples.reserve.empty()) {
        fmt::print("  {:<18} {:>9} {:>9} {:>9}   {:>9} {:>9} {:>9}\n", label, "-", "-", "-", "-", "-", "-");
        return;
    }
    const auto reserve = stats_of(samples.reserve);
    const auto release = stats_of(samples.release);
    fmt::print("  {:<18} {:>9.2f} {:>9.2f} {:>9.2f}   {:>9.2f} {:>9.2f} {:>9.2f}\n", label, reserve.median,
               reserve.min, reserve.max, release.median, release.min, release.max);
}

void print_ratio(const std::string& label, const Samples& ours, const Samples& theirs)
{
    const auto a = stats_of(ours.reserve), b = stats_of(theirs.reserve);
    const auto c = stats_of(ours.release), d = stats_of(theirs.release);
    fmt::print("  {:<18} {:>9} {:>9} {:>9}   {:>9} {:>9} {:>9}\n", label, ratio(a.median, b.median),
               ratio(a.min, b.min), ratio(a.max, b.max), ratio(c.median, d.median), ratio(c.min, d.min),
               ratio(c.max, d.max));
}

void print_report(const Settings& settings, const Samples& volumesd, const LvmSamples& lvm)
{
    fmt::print("\nThin-pool metadata snapshot reserve + release: volumesd (D-Bus) vs dmsetup message (lvm2 pool)\n");
    fmt::print("kernel {}, thin pool of {} MiB data, {} MiB metadata, {} KiB blocks; a {} MiB thin volume with {} MiB "
               "written; {} rounds of reserve then release per row\n",
               settings.kernel, settings.data_mib, settings.metadata_mib, kBlockKiB, settings.thin_mib,
               settings.write_mib, settings.rounds);
    fmt::print("  volumesd: ThinPool.ReserveMetadataSnap / ReleaseMetadataSnap as root on the system bus, from the\n"
               "            call until its reply (one connection, proxy made beforehand); volumesd's own pool\n");
    fmt::print("  dmsetup:  `dmsetup message {} 0 reserve_metadata_snap` / `... release_metadata_snap`\n"
               "            on lvm2's pool, the whole process: fork, exec, dmsetup's run and its exit\n",
               kLvmTpool);
    fmt::print("  ioctl:    the same two messages on the same lvm2 pool as one DM_DEVICE_TARGET_MSG each\n"
               "            (libdevmapper dm_task in this process, kmod::dm::message): the kernel's floor\n");
    fmt::print("  median/min/max over the rounds, each call timed alone; after every reserve the held root is\n"
               "  checked (volumesd: its reply, HeldMetadataRoot and the kernel's status; lvm2: dmsetup status /\n"
               "  DM_TABLE_STATUS not '-') and after every release that it is gone, untimed\n"
               "  ratio rows: each column of one row divided by the same column of the other\n\n");
    print_header();
    print_row("volumesd", volumesd);
    print_row("dmsetup", lvm.dmsetup);
    print_row("ioctl", lvm.ioctl);
    print_ratio("volumesd/dmsetup", volumesd, lvm.dmsetup);
    print_ratio("volumesd/ioctl", volumesd, lvm.ioctl);
}

constexpr const char* kUsage =
    "usage: metadata_snap_bench [--scratch DIR] [--data-mib N] [--metadata-mib N] [--thin-mib N] [--write-mib N]\n"
    "                           [--rounds N]\n"
    "  DIR (default /tmp/metadata-snap-bench) should be on tmpfs; defaults: 256 MiB data, 16 MiB metadata,\n"
    "  a 128 MiB thin volume, 64 MiB written, 20 rounds per side\n";

bool parse(int argc, char** argv, Settings& settings)
{
    for (int i = 1; i < argc; i += 2) {
        const std::string flag = argv[i];
        if (i + 1 >= argc)
            return false;
        const std::string value = argv[i + 1];
        try {
            if (flag == "--scratch")
                settings.scratch_dir = value;
            else if (flag == "--data-mib")
                settings.data_mib = std::stoull(value);
            else if (flag == "--metadata-mib")
                settings.metadata_mib = std::stoull(value);
            else if (flag == "--thin-mib")
                settings.thin_mib = std::stoull(value);
            else if (flag == "--write-mib")
                settings.write_mib = std::stoull(value);
            else if (flag == "--rounds")
                settings.rounds = static_cast<unsigned>(std::stoul(value));
            else
                return false;
        } catch (const std::exception&) {
            return false;
        }
    }
    return settings.data_mib > 0 && settings.metadata_mib >= 2 && settings.thin_mib > 0 && settings.write_mib > 0 &&
           settings.write_mib <= settings.thin_mib && settings.write_mib <= settings.data_mib && settings.rounds > 0;
}

}  // namespace
}  // namespace volumes::bench

int main(int argc, char** argv)
{
    volumes::bench::Settings settings{.kernel = "",
                                      .scratch_dir = "/tmp/metadata-snap-bench",
                                      .data_mib = 256,
                                      .metadata_mib = 16,
                                      .thin_mib = 128,
                                      .write_mib = 64,
                                      .rounds = 20};
    if (!volumes::bench::parse(argc, argv, settings)) {
        fmt::print(stderr, "{}", volumes::bench::kUsage);
        return 2;
    }
    if (::geteuid() != 0) {
        fmt::print(stderr, "metadata_snap_bench: run it as root (in the guest: scripts/bench.sh)\n");
        return 2;
    }
    utsname name{};
    ::uname(&name);
    settings.kernel = name.release;
    std::filesystem::create_directories(settings.scratch_dir);

    volumes::bench::Samples ours;
    volumes::bench::LvmSamples theirs;
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
    volumes::bench::print_report(settings, ours, theirs);
    return status;
}
