// scale_bench: does a change cost the same in a pool of a thousand volumes as in an empty one
// (issue 18)? One pool (volumesd over the system bus, bus-activated) on two loop devices with
// small extents, N one-extent linear volumes created one after the other, each
// Pool.CreateVolume timed; per block of 100 calls the mean, median and maximum, and
// volumesd's own CPU time per call. Then GetManagedObjects over the N volumes, then
// volumesd's start-up with all N active (SIGTERM, then the call that bus-activates it again
// until its reply), then the N removals. The same with lvm2 on loop devices of the same size:
// `lvcreate -l1` per LV, `lvs`, `vgchange -an` / `vgchange -ay`. The kernel floor: a
// CreateVolume and a Remove traced on the empty pool and on the full one. Figures, never
// assertions. Run as root in the qemu guest (scripts/bench.sh --bench scale).
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bus_client.hpp"
#include "command.hpp"
#include "kernel_floor.hpp"
#include "loop_disk.hpp"
#include "lvm_conf.hpp"
#include "timing.hpp"
#include "volumesd_process.hpp"

namespace volumes::bench {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
const std::string kPoolName = "scale";
const std::string kVgName = "scalevg";

struct Settings {
    unsigned volumes = 1000;
    unsigned lvm_volumes = 0;  // 0: as many as volumes
    unsigned block = 100;
    unsigned extent_mib = 1;
    unsigned repeats = 3;
    std::string scratch_dir = "/tmp/scale-bench";

    // Each of the two loop devices of a side holds every volume with room to spare, so
    // neither tool's allocator ever runs short, whichever member it fills first.
    std::uint64_t disk_bytes() const
    {
        return (static_cast<std::uint64_t>(std::max(volumes, lvm_volumes)) * extent_mib + 64) * kMiB;
    }
};

// One block of consecutive calls.
struct Block {
    unsigned first = 0;  // 1-based number of its first call
    std::vector<double> ms;
    double cpu_seconds = 0;  // the tool's CPU time over the block

    double mean() const { return ms.empty() ? 0 : std::accumulate(ms.begin(), ms.end(), 0.0) / static_cast<double>(ms.size()); }
    double max() const { return ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()); }
    double cpu_ms_per_call() const { return ms.empty() ? 0 : cpu_seconds * 1000.0 / static_cast<double>(ms.size()); }
};

// Calls grouped by blocks of `size`, each printed as it completes (the run is long).
// `cpu` reads the tool's CPU time so far, in seconds.
class BlockTimes {
public:
    BlockTimes(unsigned size, std::function<double()> cpu) : size_(size), cpu_(std::move(cpu)) {}

    static void print_header(const std::string& cpu_label)
    {
        fmt::print("  {:>11} {:>10} {:>10} {:>10} {:>12}\n", "calls", "mean (ms)", "p50 (ms)", "max (ms)", cpu_label);
    }

    template <class Call>
    void time(Call&& call)
    {
        if (blocks_.empty() || blocks_.back().ms.size() == size_) {
            blocks_.push_back(Block{calls_ + 1, {}, 0});
            block_cpu_start_ = cpu_();
        }
        const auto start = Clock::now();
        call();
        blocks_.back().ms.push_back(seconds_between(start, Clock::now()) * 1000.0);
        ++calls_;
        if (blocks_.back().ms.size() == size_)
            close_block();
    }

    // Prints a last, partial block.
    void finish()
    {
        if (!blocks_.empty() && blocks_.back().ms.size() != size_)
            close_block();
    }

    const std::vector<Block>& blocks() const { return blocks_; }

private:
    void close_block()
    {
        auto& block = blocks_.back();
        block.cpu_seconds = cpu_() - block_cpu_start_;
        const auto range = fmt::format("{}-{}", block.first, block.first + block.ms.size() - 1);
        fmt::print("  {:>11} {:>10.1f} {:>10.1f} {:>10.1f} {:>12.1f}\n", range, block.mean(), median_of(block.ms),
                   block.max(), block.cpu_ms_per_call());
    }

    unsigned size_;
    std::function<double()> cpu_;
    std::vector<Block> blocks_;
    unsigned calls_ = 0;
    double block_cpu_start_ = 0;
};

void print_ratio(const std::string& what, const std::vector<Block>& blocks)
{
    if (blocks.size() < 2) {
        fmt::print("  {}: one block only, no ratio\n", what);
        return;
    }
    const auto& first = blocks.front();
    const auto& last = blocks.back();
    fmt::print("  {} last/first block ({}-{} / 1-{}): mean {}, p50 {}, cpu {}\n", what, last.first,
               last.first + last.ms.size() - 1, first.ms.size(), ratio(last.mean(), first.mean()),
               ratio(median_of(last.ms), median_of(first.ms)), ratio(last.cpu_seconds / last.ms.size(), first.cpu_seconds / first.ms.size()));
}

// Each value, then the median.
void print_each(const std::string& label, const std::vector<double>& ms)
{
    std::string each;
    for (const auto value : ms)
        each += fmt::format("{}{:.1f}", each.empty() ? "" : ", ", value);
    fmt::print("  {:<44} {} ms (median {:.1f})\n", label, each, median_of(ms));
}

template <class Call>
double timed_ms(Call&& call)
{
    const auto start = Clock::now();
    call();
    return seconds_between(start, Clock::now()) * 1000.0;
}

// What the summary compares.
struct SideFigures {
    std::vector<Block> creates;
    std::vector<double> listing_ms;
    std::vector<double> startup_ms;
};

// ---- volumesd ----

using ManagedObjects = std::map<sdbus::ObjectPath, std::map<std::string, std::map<std::string, sdbus::Variant>>>;

// GetManagedObjects on the root; answers how many volumes it lists.
std::size_t managed_volumes(sdbus::IProxy& root)
{
    ManagedObjects objects;
    root.callMethod("GetManagedObjects")
        .onInterface("org.freedesktop.DBus.ObjectManager")
        .withTimeout(kCallTimeout)
        .storeResultsTo(objects);
    return static_cast<std::size_t>(std::count_if(objects.begin(), objects.end(), [](const auto& object) {
        return object.second.contains(interface("Volume"));
    }));
}

void check_listed(const std::string& what, std::size_t listed, std::size_t expected)
{
    if (listed != expected)
        throw std::runtime_error(fmt::format("{} lists {} volumes, not {}", what, listed, expected));
}

class VolumesdSide {
public:
    VolumesdSide(const Settings& settings, KernelFloors& floors) : settings_(settings), floors_(floors) {}

    SideFigures run()
    {
        LoopDisk first(settings_.scratch_dir, "volumesd-0", settings_.disk_bytes());
        LoopDisk second(settings_.scratch_dir, "volumesd-1", settings_.disk_bytes());
        auto manager = client_.proxy(kRoot);
        const Options options{{"extent_size", sdbus::Variant(extent_bytes())}};
        pool_ = client_.call_for_path(*manager, "Manager", "CreatePool", kPoolName,
                                      std::vector<std::string>{first.device(), second.device()}, options);
        fmt::print("volumesd: pool {} on {} {} ({} MiB each), extent {} MiB\n", pool_, first.device(), second.device(),
                   settings_.disk_bytes() / kMiB, settings_.extent_mib);
        try {
            steps();
        } catch (...) {
            clean_up();
            throw;
        }
        return figures_;
    }

private:
    std::uint64_t extent_bytes() const { return std::uint64_t{settings_.extent_mib} * kMiB; }

    std::string create(sdbus::IProxy& pool, const std::string& name)
    {
        auto path = client_.call_for_path(pool, "Pool", "CreateVolume", name, extent_bytes(), Options{});
        volumes_.push_back(path);
        return path;
    }

    void remove_last()
    {
        client_.call(volumes_.back(), "Volume", "Remove");
        volumes_.pop_back();
    }

    // A CreateVolume and its Remove with volumesd under strace: the dm ioctls of a one-extent
    // linear volume (the floor), at `in_pool` volumes.
    void trace_create_remove(sdbus::IProxy& pool, std::size_t in_pool)
    {
        try {
            const auto traced = [&](const std::string& step, std::size_t before, const std::function<void()>& call) {
                const auto file = trace_path(settings_.scratch_dir, fmt::format("scale-{}-{}.strace", step, before));
                floors_.steps.emplace_back(fmt::format("{} @{}", step, before), trace_volumesd_call(file, call));
            };
            traced("create", in_pool, [&] { create(pool, "traced"); });
            traced("remove", in_pool + 1, [&] { remove_last(); });
        } catch (const std::exception& error) {
            floors_.failure = error.what();
        }
        // A traced volume left behind by a failed trace goes now, untraced.
        if (!volumes_.empty() && volumes_.back().ends_with("/traced"))
            remove_last();
    }

    void steps()
    {
        auto pool = client_.proxy(pool_);
        auto root = client_.proxy(kRoot);
        const auto pid = volumesd_pid();
        const auto cpu = [pid] { return process_cpu_seconds(pid); };
        const auto rss_empty = process_rss_kib(pid);
        trace_create_remove(*pool, 0);

        fmt::print("\nvolumesd: Pool.CreateVolume of {} one-extent linear volumes, per block of {} "
                   "(cpu: volumesd's own CPU time per call)\n",
                   settings_.volumes, settings_.block);
        BlockTimes::print_header("cpu (ms)");
        BlockTimes creates(settings_.block, cpu);
        for (unsigned i = 1; i <= settings_.volumes; ++i)
            creates.time([&] { create(*pool, fmt::format("v{:05}", i)); });
        creates.finish();
        figures_.creates = creates.blocks();
        print_ratio("CreateVolume", figures_.creates);
        fmt::print("  volumesd VmRSS: {} KiB with an empty pool, {} KiB with {} volumes\n", rss_empty,
                   process_rss_kib(pid), settings_.volumes);

        fmt::print("\nvolumesd: ObjectManager.GetManagedObjects with {} volumes (one connection, proxy made before)\n",
                   settings_.volumes);
        for (unsigned r = 0; r < settings_.repeats; ++r) {
            std::size_t listed = 0;
            figures_.listing_ms.push_back(timed_ms([&] { listed = managed_volumes(*root); }));
            check_listed("GetManagedObjects", listed, settings_.volumes);
        }
        print_each("GetManagedObjects", figures_.listing_ms);

        trace_create_remove(*pool, settings_.volumes);
        startups();

        fmt::print("\nvolumesd: Volume.Remove of the {} volumes, last created first, per block of {}\n",
                   settings_.volumes, settings_.block);
        BlockTimes::print_header("cpu (ms)");
        const auto new_pid = volumesd_pid();
        BlockTimes removes(settings_.block, [new_pid] { return process_cpu_seconds(new_pid); });
        while (!volumes_.empty())
            removes.time([&] { remove_last(); });
        removes.finish();
        print_ratio("Remove", removes.blocks());
        client_.call(pool_, "Pool", "Destroy");
        pool_.clear();
    }

    // volumesd stopped (SIGTERM, until it has exited), then bus-activated by a
    // GetManagedObjects on a connection made beforehand: start-up with every volume active.
    void startups()
    {
        fmt::print("\nvolumesd: start-up with {} active volumes: SIGTERM until exit, then a GetManagedObjects that "
                   "bus-activates it, until its reply\n",
                   settings_.volumes);
        std::vector<double> stops, seconds, start_cpu;
        for (unsigned r = 0; r < settings_.repeats; ++r) {
            stops.push_back(stop_volumesd() * 1000.0);
            Client fresh;
            auto root = fresh.proxy(kRoot);
            std::size_t listed = 0;
            figures_.startup_ms.push_back(timed_ms([&] { listed = managed_volumes(*root); }));
            check_listed("GetManagedObjects after start-up", listed, settings_.volumes);
            start_cpu.push_back(process_cpu_seconds(volumesd_pid()) * 1000.0);
            seconds.push_back(timed_ms([&] { listed = managed_volumes(*root); }));
        }
        print_each("stop: SIGTERM until exit", stops);
        print_each("start: activation + GetManagedObjects", figures_.startup_ms);
        print_each("  volumesd's CPU time until the reply", start_cpu);
        print_each("  the next GetManagedObjects", seconds);
    }

    void clean_up()
    {
        while (!volumes_.empty())
            try {
                remove_last();
            } catch (const std::exception&) {
                volumes_.pop_back();
            }
        if (!pool_.empty())
            try {
                client_.call(pool_, "Pool", "Destroy");
            } catch (const std::exception&) {
            }
    }

    const Settings& settings_;
    KernelFloors& floors_;
    Client client_;
    std::string pool_;
    std::vector<std::string> volumes_;
    SideFigures figures_;
};

// ---- lvm2 ----

// CPU time of the children this process has waited for (every lvm command run so far).
double children_cpu_seconds()
{
    rusage usage{};
    ::getrusage(RUSAGE_CHILDREN, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The LVs named in lvm's report, one a line; other lines (lvm's warnings share the output)
// are left out.
std::size_t lvs_listed(const std::string& report)
{
    std::size_t listed = 0;
    std::size_t start = 0;
    while (start < report.size()) {
        auto end = report.find('\n', start);
        if (end == std::string::npos)
            end = report.size();
        const auto line = report.substr(start, end - start);
        const auto name = line.find_first_not_of(' ');
        if (name != std::string::npos && line.compare(name, 1, "v") == 0 &&
            line.find_first_not_of("0123456789 ", name + 1) == std::string::npos)
            ++listed;
        start = end + 1;
    }
    return listed;
}

SideFigures lvm_side(const Settings& settings)
{
    LoopDisk first(settings.scratch_dir, "lvm-0", settings.disk_bytes());
    LoopDisk second(settings.scratch_dir, "lvm-1", settings.disk_bytes());
    write_lvm_conf(settings.scratch_dir + "/lvm-etc", first.device(), second.device());
    // lvm's default metadata area (1 MiB) may not hold two copies of a thousand LVs' text;
    // 4 MiB is about volumesd's own area.
    run({"pvcreate", "-q", "-y", "--metadatasize", "4m", first.device(), second.device()});
    run({"vgcreate", "-q", "-s", fmt::format("{}m", settings.extent_mib), kVgName, first.device(), second.device()});
    fmt::print("lvm2: VG {} on {} {} ({} MiB each, metadata area 4 MiB), extent {} MiB\n", kVgName, first.device(),
               second.device(), settings.disk_bytes() / kMiB, settings.extent_mib);
    SideFigures figures;
    try {
        fmt::print("\nlvm2: lvcreate -l1 of {} LVs, per block of {} (cpu: the lvm processes' CPU time per call)\n",
                   settings.lvm_volumes, settings.block);
        BlockTimes::print_header("cpu (ms)");
        BlockTimes creates(settings.block, children_cpu_seconds);
        for (unsigned i = 1; i <= settings.lvm_volumes; ++i)
            creates.time([&] {
                run({"lvcreate", "-q", "-y", "-Wn", "-Zn", "-l1", "-n", fmt::format("v{:05}", i), kVgName});
            });
        creates.finish();
        figures.creates = creates.blocks();
        print_ratio("lvcreate", figures.creates);

        fmt::print("\nlvm2: lvs with {} LVs\n", settings.lvm_volumes);
        for (unsigned r = 0; r < settings.repeats; ++r) {
            std::string output;
            figures.listing_ms.push_back(
                timed_ms([&] { output = run({"lvs", "--noheadings", "-o", "lv_name", kVgName}); }));
            check_listed("lvs", lvs_listed(output), settings.lvm_volumes);
        }
        print_each("lvs", figures.listing_ms);

        fmt::print("\nlvm2: the start-up analogue with {} LVs: vgchange -an, then vgchange -ay\n", settings.lvm_volumes);
        std::vector<double> deactivations;
        for (unsigned r = 0; r < settings.repeats; ++r) {
            deactivations.push_back(timed_ms([&] { run({"vgchange", "-q", "-an", kVgName}); }));
            figures.startup_ms.push_back(timed_ms([&] { run({"vgchange", "-q", "-ay", kVgName}); }));
        }
        const auto active = run({"lvs", "--noheadings", "-S", "lv_active=active", "-o", "lv_name", kVgName});
        check_listed("lvs -S lv_active=active after vgchange -ay", lvs_listed(active), settings.lvm_volumes);
        print_each("vgchange -an", deactivations);
        print_each("vgchange -ay", figures.startup_ms);

        fmt::print("\nlvm2: removal of the {} LVs in one command\n", settings.lvm_volumes);
        print_each("vgremove -ff", {timed_ms([&] { run({"vgremove", "-q", "-ff", "-y", kVgName}); })});
    } catch (...) {
        try_run({"vgremove", "-q", "-ff", "-y", kVgName});
        try_run({"pvremove", "-q", "-y", first.device(), second.device()});
        throw;
    }
    run({"pvremove", "-q", "-y", first.device(), second.device()});
    return figures;
}

// ---- report ----

double first_mean(const SideFigures& side)
{
    return side.creates.empty() ? 0 : side.creates.front().mean();
}

double last_mean(const SideFigures& side)
{
    return side.creates.empty() ? 0 : side.creates.back().mean();
}

void print_summary(const Settings& settings, const SideFigures& volumesd, const SideFigures& lvm)
{
    const auto cell = [](double value) { return value > 0 ? fmt::format("{:.1f}", value) : std::string("-"); };
    fmt::print("\nsummary (ms; volumesd with {} volumes, lvm2 with {} LVs)\n", settings.volumes, settings.lvm_volumes);
    fmt::print("  {:<46} {:>12} {:>12} {:>16}\n", "", "volumesd", "lvm2", "volumesd/lvm2");
    const auto row = [&](const std::string& label, double ours, double theirs) {
        fmt::print("  {:<46} {:>12} {:>12} {:>16}\n", label, cell(ours), cell(theirs), ratio(ours, theirs));
    };
    row("create, first block: mean", first_mean(volumesd), first_mean(lvm));
    row("create, last block: mean", last_mean(volumesd), last_mean(lvm));
    fmt::print("  {:<46} {:>12} {:>12}\n", "create, last/first block", ratio(last_mean(volumesd), first_mean(volumesd)),
               ratio(last_mean(lvm), first_mean(lvm)));
    row("listing, median (GetManagedObjects / lvs)", median_of(volumesd.listing_ms), median_of(lvm.listing_ms));
    row("start-up, median (activation / vgchange -ay)", median_of(volumesd.startup_ms), median_of(lvm.startup_ms));
}

bool parse(int argc, char** argv, Settings& settings)
{
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--scratch" && i + 1 < argc) {
            settings.scratch_dir = argv[++i];
            continue;
        }
        unsigned* target = arg == "--volumes"       ? &settings.volumes
                           : arg == "--lvm-volumes" ? &settings.lvm_volumes
                           : arg == "--block"       ? &settings.block
                           : arg == "--extent-mib"  ? &settings.extent_mib
                           : arg == "--repeats"     ? &settings.repeats
                                                    : nullptr;
        if (target == nullptr || i + 1 >= argc)
            return false;
        const char* value = argv[++i];
        const auto parsed = std::from_chars(value, value + std::strlen(value), *target);
        if (parsed.ec != std::errc{} || parsed.ptr != value + std::strlen(value) || *target == 0)
            return false;
    }
    if (settings.lvm_volumes == 0)
        settings.lvm_volumes = settings.volumes;
    return true;
}

}  // namespace
}  // namespace volumes::bench

int main(int argc, char** argv)
{
    using namespace volumes::bench;
    Settings settings;
    if (!parse(argc, argv, settings)) {
        fmt::print(stderr, "usage: scale_bench [--volumes N] [--lvm-volumes N] [--block N] [--extent-mib N] "
                           "[--repeats N] [--scratch DIR]\n");
        return 2;
    }
    if (::geteuid() != 0) {
        fmt::print(stderr, "scale_bench: run it as root (in the guest: scripts/bench.sh --bench scale)\n");
        return 2;
    }
    // Rows come as blocks complete, through a pipe to tee in the guest.
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::filesystem::create_directories(settings.scratch_dir);
    fmt::print("{} one-extent volumes ({} MiB extents) through volumesd, {} LVs through lvm2{}\n", settings.volumes,
               settings.extent_mib, settings.lvm_volumes,
               settings.lvm_volumes == settings.volumes ? "" : " (--lvm-volumes: not as many as volumesd's)");

    int status = 0;
    KernelFloors floors;
    SideFigures ours, theirs;
    try {
        ours = VolumesdSide(settings, floors).run();
    } catch (const std::exception& error) {
        fmt::print(stderr, "volumesd side FAILED: {}\n", error.what());
        status = 1;
    }
    fmt::print("\n");
    try {
        theirs = lvm_side(settings);
    } catch (const std::exception& error) {
        fmt::print(stderr, "lvm2 side FAILED: {}\n", error.what());
        status = 1;
    }
    print_summary(settings, ours, theirs);
    if (!floors.steps.empty())
        fmt::print("\n@k: the call started with k volumes in the pool\n");
    if (print_kernel_floors(floors) != 0)
        status = 1;
    return status;
}
