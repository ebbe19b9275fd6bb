// mirror_lifecycle_bench: a linear volume made a mirror and given a third image and back,
// through volumesd (Volume.ConvertToRaid1, Raid1.AddImage, Raid1.RemoveImage over the system
// bus) and through lvm2 (lvconvert --type raid1 -m1, -m+1, -m-1), side by side, each side on
// three loop devices; then one more round with volumesd traced for the kernel floor. Each sync
// is checked to hold after its end. Run as root in the qemu guest (scripts/bench.sh); see
// README.md.
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "block_write.hpp"
#include "bus_client.hpp"
#include "command.hpp"
#include "dm_raid_status.hpp"
#include "kernel_floor.hpp"
#include "loop_disk.hpp"
#include "lvm_conf.hpp"
#include "timing.hpp"

namespace volumes::bench {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr auto kPollInterval = std::chrono::milliseconds(10);
constexpr auto kSettle = std::chrono::milliseconds(300);
const std::string kVg = "volumes_mirrorbench_vg";

struct Settings {
    std::string kernel;
    std::string scratch_dir;
    unsigned long long volume_mib = 0;
    unsigned long long write_mib = 0;
    unsigned long long region_kib = 0;
    unsigned repeats = 0;
};

// One round, in seconds. `*_synced` run from the call's start until the array is in sync
// again (volumesd: its Job finished; lvm2: the kernel's status, polled as the other
// benchmarks do); total = both of those + the remove call.
struct Round {
    double convert_call = 0;
    double convert_synced = 0;
    double add_call = 0;
    double add_synced = 0;
    double remove_call = 0;
    double total = 0;
};

double since(Clock::time_point start)
{
    return seconds_between(start, Clock::now());
}

std::uint64_t member_bytes(const Settings& settings)
{
    return (settings.volume_mib + 64) * kMiB;
}

std::string dm_name_of(const std::string& device_path)
{
    return device_path.substr(device_path.rfind('/') + 1);
}

// ---- volumesd ----------------------------------------------------------------------

using Around = std::function<void(const std::string& step, const std::function<void()>& call)>;

void plainly(const std::string&, const std::function<void()>& call)
{
    call();
}

Round volumesd_round(Client& client, sdbus::IProxy& pool, const Settings& settings, unsigned index,
                     const Around& around = plainly)
{
    const auto name = fmt::format("m{}", index);
    const std::string volume =
        client.call_for_path(pool, "Pool", "CreateVolume", name, std::uint64_t{settings.volume_mib * kMiB}, Options{});
    auto proxy = client.proxy(volume);
    const auto device = client.get<std::string>(*proxy, "Volume", "DevicePath");
    const auto dm_name = dm_name_of(device);
    write_mib(device, settings.write_mib, index + 1);
    Round round;
    try {
        const Options convert_options{{"region_size", sdbus::Variant(std::uint64_t{settings.region_kib * 1024})}};
        std::string job;
        const auto convert_start = Clock::now();
        around("ConvertToRaid1", [&] { job = client.call_for_path(*proxy, "Volume", "ConvertToRaid1", convert_options); });
        round.convert_call = since(convert_start);
        wait_job(client, job, kPollInterval);
        round.convert_synced = since(convert_start);
        check_still_in_sync(dm_name, kSettle);

        const auto add_start = Clock::now();
        around("AddImage", [&] { job = client.call_for_path(*proxy, "Raid1", "AddImage", Options{}); });
        round.add_call = since(add_start);
        wait_job(client, job, kPollInterval);
        round.add_synced = since(add_start);
        check_still_in_sync(dm_name, kSettle);

        const auto remove_start = Clock::now();
        around("RemoveImage", [&] {
            proxy->callMethod("RemoveImage")
                .onInterface(interface("Raid1"))
                .withTimeout(kCallTimeout)
                .withArguments(std::uint32_t{2}, Options{});
        });
        round.remove_call = since(remove_start);
        check_still_in_sync(dm_name, kSettle);
        round.total = round.convert_synced + round.add_synced + round.remove_call;
    } catch (...) {
        try {
            client.call(volume, "Volume", "Remove");
        } catch (const std::exception&) {
        }
        throw;
    }
    client.call(volume, "Volume", "Remove");
    return round;
}

struct VolumesdResults {
    std::vector<Round> rounds;
    KernelFloors floors;
};

VolumesdResults run_volumesd_side(const Settings& settings)
{
    LoopDisk first(settings.scratch_dir, "volumesd-mirror-0", member_bytes(settings));
    LoopDisk second(settings.scratch_dir, "volumesd-mirror-1", member_bytes(settings));
    LoopDisk third(settings.scratch_dir, "volumesd-mirror-2", member_bytes(settings));
    Client client;
    auto manager = client.proxy(kRoot);
    const std::vector<std::string> devices{first.device(), second.device(), third.device()};
    const std::string pool =
        client.call_for_path(*manager, "Manager", "CreatePool", std::string("mirrorbench"), devices, Options{});
    VolumesdResults results;
    try {
        auto pool_proxy = client.proxy(pool);
        fmt::print("volumesd: pool {} on {} {} {}\n", pool, first.device(), second.device(), third.device());
        for (unsigned index = 0; index < settings.repeats; ++index)
            results.rounds.push_back(volumesd_round(client, *pool_proxy, settings, index));
        try {
            const Around traced = [&](const std::string& step, const std::function<void()>& call) {
                const auto file = trace_path(settings.scratch_dir, fmt::format("mirror-{}.strace", results.floors.steps.size()));
                results.floors.steps.emplace_back(step, trace_volumesd_call(file, call));
            };
            volumesd_round(client, *pool_proxy, settings, settings.repeats, traced);
        } catch (const std::exception& error) {
            results.floors.failure = error.what();
        }
    } catch (...) {
        try {
            client.call(pool, "Pool", "Destroy");
        } catch (const std::exception&) {
        }
        throw;
    }
    client.call(pool, "Pool", "Destroy");
    return results;
}

// ---- lvm2 --------------------------------------------------------------------------

Round lvm_round(const Settings& settings, unsigned index)
{
    const auto name = fmt::format("m{}", index);
    const auto lv = kVg + "/" + name;
    const auto dm_name = kVg + "-" + name;
    run({"lvcreate", "-y", "--type", "linear", "-L", fmt::format("{}M", settings.volume_mib), "-n", name, kVg});
    write_mib("/dev/mapper/" + dm_name, settings.write_mib, index + 1);
    Round round;
    const auto convert_start = Clock::now();
    run({"lvconvert", "-y", "--type", "raid1", "-m", "1", "-R", fmt::format("{}k", settings.region_kib), lv});
    round.convert_call = since(convert_start);
    wait_raid_in_sync(dm_name, kPollInterval, std::chrono::seconds(600));
    round.convert_synced = since(convert_start);
    check_still_in_sync(dm_name, kSettle);

    const auto add_start = Clock::now();
    run({"lvconvert", "-y", "-m", "+1", lv});
    round.add_call = since(add_start);
    wait_raid_in_sync(dm_name, kPollInterval, std::chrono::seconds(600));
    round.add_synced = since(add_start);
    check_still_in_sync(dm_name, kSettle);

    const auto remove_start = Clock::now();
    run({"lvconvert", "-y", "-m", "-1", lv});
    round.remove_call = since(remove_start);
    check_still_in_sync(dm_name, kSettle);
    round.total = round.convert_synced + round.add_synced + round.remove_call;
    run({"lvremove", "-y", lv});
    return round;
}

std::vector<Round> run_lvm_side(const Settings& settings)
{
    LoopDisk first(settings.scratch_dir, "lvm-mirror-0", member_bytes(settings));
    LoopDisk second(settings.scratch_dir, "lvm-mirror-1", member_bytes(settings));
    LoopDisk third(settings.scratch_dir, "lvm-mirror-2", member_bytes(settings));
    const std::vector<std::string> devices{first.device(), second.device(), third.device()};
    write_lvm_conf(settings.scratch_dir + "/lvm-etc", devices);
    std::vector<std::string> pvcreate{"pvcreate", "-y"};
    pvcreate.insert(pvcreate.end(), devices.begin(), devices.end());
    run(pvcreate);
    std::vector<Round> rounds;
    try {
        std::vector<std::string> vgcreate{"vgcreate", kVg};
        vgcreate.insert(vgcreate.end(), devices.begin(), devices.end());
        run(vgcreate);
        fmt::print("lvm2: {} on {} {} {}\n", kVg, first.device(), second.device(), third.device());
        for (unsigned index = 0; index < settings.repeats; ++index)
            rounds.push_back(lvm_round(settings, index));
    } catch (...) {
        try_run({"vgremove", "-ff", "-y", kVg});
        std::vector<std::string> pvremove{"pvremove", "-y"};
        pvremove.insert(pvremove.end(), devices.begin(), devices.end());
        try_run(pvremove);
        throw;
    }
    run({"vgremove", "-ff", "-y", kVg});
    std::vector<std::string> pvremove{"pvremove", "-y"};
    pvremove.insert(pvremove.end(), devices.begin(), devices.end());
    run(pvremove);
    return rounds;
}

// ---- report ------------------------------------------------------------------------

Round median_round(const std::vector<Round>& rounds)
{
    const auto field = [&](double Round::*member) {
        std::vector<double> values;
        for (const auto& round : rounds)
            values.push_back(round.*member);
        return median_of(values);
    };
    return {field(&Round::convert_call), field(&Round::convert_synced), field(&Round::add_call),
            field(&Round::add_synced),   field(&Round::remove_call),    field(&Round::total)};
}

void print_header()
{
    fmt::print("  {:<18} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}\n", "seconds", "convert", "->synced", "add",
               "->synced", "remove", "total");
}

void print_row(const std::string& label, const Round& round)
{
    fmt::print("  {:<18} {:>10.3f} {:>10.3f} {:>10.3f} {:>10.3f} {:>10.3f} {:>10.3f}\n", label, round.convert_call,
               round.convert_synced, round.add_call, round.add_synced, round.remove_call, round.total);
}

void print_report(const Settings& settings, const std::vector<Round>& volumesd, const std::vector<Round>& lvm)
{
    fmt::print("\nA linear volume made a two-image raid1, given a third image, then the third removed:\n"
               "volumesd (D-Bus) vs lvm2 (lvconvert)\n");
    fmt::print("kernel {}, a {} MiB volume with {} MiB written, {} KiB regions, three loop devices per side, "
               "{} rounds\n",
               settings.kernel, settings.volume_mib, settings.write_mib, settings.region_kib, settings.repeats);
    fmt::print("  volumesd: Volume.ConvertToRaid1 (region_size), Raid1.AddImage, Raid1.RemoveImage(2): each call until\n"
               "            its reply; ->synced until the Job it returned has finished (polled every 10 ms)\n");
    fmt::print("  lvm2:     lvconvert -y --type raid1 -m 1 -R <region>, lvconvert -y -m +1, lvconvert -y -m -1:\n"
               "            each process until its exit; ->synced until dm-raid's status shows every leg A, the\n"
               "            ratio complete and the action idle (DM_TABLE_STATUS every 10 ms)\n");
    fmt::print("  ->synced runs from the call's start; total = both ->synced + remove; after every step the array\n"
               "  is checked to be still in sync 300 ms later (untimed)\n\n");
    print_header();
    for (std::size_t i = 0; i < volumesd.size(); ++i)
        print_row(fmt::format("volumesd run {}", i + 1), volumesd[i]);
    for (std::size_t i = 0; i < lvm.size(); ++i)
        print_row(fmt::format("lvm2 run {}", i + 1), lvm[i]);
    const auto ours = median_round(volumesd);
    const auto theirs = median_round(lvm);
    print_row("volumesd median", ours);
    print_row("lvm2 median", theirs);
    fmt::print("  {:<18} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}\n", "volumesd/lvm2",
               ratio(ours.convert_call, theirs.convert_call), ratio(ours.convert_synced, theirs.convert_synced),
               ratio(ours.add_call, theirs.add_call), ratio(ours.add_synced, theirs.add_synced),
               ratio(ours.remove_call, theirs.remove_call), ratio(ours.total, theirs.total));
}

constexpr const char* kUsage =
    "usage: mirror_lifecycle_bench [--scratch DIR] [--volume-mib N] [--write-mib N] [--region-kib N] [--repeats N]\n"
    "  DIR (default /tmp/mirror-bench) should be on tmpfs; defaults: a 128 MiB volume, 32 MiB written,\n"
    "  512 KiB regions, 3 rounds per side\n";

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
            else if (flag == "--volume-mib")
                settings.volume_mib = std::stoull(value);
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
    return settings.volume_mib >= 8 && settings.write_mib > 0 && settings.write_mib <= settings.volume_mib &&
           settings.region_kib >= 4 && (settings.region_kib & (settings.region_kib - 1)) == 0 && settings.repeats > 0;
}

}  // namespace
}  // namespace volumes::bench

int main(int argc, char** argv)
{
    volumes::bench::Settings settings{.kernel = "",
                                      .scratch_dir = "/tmp/mirror-bench",
                                      .volume_mib = 128,
                                      .write_mib = 32,
                                      .region_kib = 512,
                                      .repeats = 3};
    if (!volumes::bench::parse(argc, argv, settings)) {
        fmt::print(stderr, "{}", volumes::bench::kUsage);
        return 2;
    }
    if (::geteuid() != 0) {
        fmt::print(stderr, "mirror_lifecycle_bench: run it as root (in the guest: scripts/bench.sh)\n");
        return 2;
    }
    struct utsname names {};
    ::uname(&names);
    settings.kernel = names.release;
    std::filesystem::create_directories(settings.scratch_dir);
    try {
        const auto volumesd = volumes::bench::run_volumesd_side(settings);
        const auto lvm = volumes::bench::run_lvm_side(settings);
        volumes::bench::print_report(settings, volumesd.rounds, lvm);
        return volumes::bench::print_kernel_floors(volumesd.floors);
    } catch (const std::exception& error) {
        fmt::print(stderr, "mirror_lifecycle_bench: {}\n", error.what());
        return 1;
    }
}
