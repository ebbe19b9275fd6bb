#include "volumesd_side.hpp"

#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

#include <fmt/core.h>
#include <sdbus-c++/sdbus-c++.h>

#include "block_write.hpp"
#include "bus_client.hpp"
#include "dm_raid_status.hpp"
#include "kernel_floor.hpp"
#include "loop_disk.hpp"

namespace volumes::bench {

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr auto kPollInterval = std::chrono::milliseconds(10);

void wait_initial_sync(Client& client, const std::string& volume)
{
    auto raid = client.proxy(volume);
    const auto deadline = Clock::now() + std::chrono::minutes(10);
    while (client.get<double>(*raid, "Raid1", "SyncRatio") < 1.0 ||
           client.get<std::string>(*raid, "Raid1", "SyncAction") != "idle") {
        if (Clock::now() > deadline)
            throw std::runtime_error(fmt::format("{}: the initial sync did not end within 10 minutes", volume));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

// Runs one step of a cycle; the traced cycle wraps its calls in an strace of volumesd.
using Around = std::function<void(const std::string& step, const std::function<void()>& call)>;

void plainly(const std::string&, const std::function<void()>& call)
{
    call();
}

CycleTimes cycle(Client& client, const std::string& volume, const std::string& device, const BenchSettings& settings,
                 unsigned run, const Around& around = plainly)
{
    auto raid = client.proxy(volume);
    const Options split_options{{"allow_no_redundancy", sdbus::Variant(true)}};
    CycleTimes times;

    const auto split_start = Clock::now();
    std::string image;
    around("split", [&] { image = client.call_for_path(*raid, "Raid1", "SplitTrack", split_options); });
    times.split = seconds_between(split_start, Clock::now());

    write_mib(device, settings.write_mib, run + 1);

    auto tracked = client.proxy(image);
    const auto merge_start = Clock::now();
    std::string job;
    around("merge call", [&] { job = client.call_for_path(*tracked, "TrackedImage", "Merge", Options{}); });
    times.merge_call = seconds_between(merge_start, Clock::now());
    wait_job(client, job, kPollInterval);
    times.until_synced = seconds_between(merge_start, Clock::now());
    times.total = times.split + times.until_synced;
    check_still_in_sync(device.substr(device.rfind('/') + 1), std::chrono::milliseconds(300));
    return times;
}

// One more cycle with volumesd traced around each call.
std::vector<std::pair<std::string, KernelFloor>> traced_cycle(Client& client, const std::string& volume,
                                                              const std::string& device, const BenchSettings& settings)
{
    std::vector<std::pair<std::string, KernelFloor>> floors;
    const Around traced = [&](const std::string& step, const std::function<void()>& call) {
        const auto file = trace_path(settings.scratch_dir, fmt::format("raid1-{}.strace", floors.size()));
        floors.emplace_back(step, trace_volumesd_call(file, call));
    };
    cycle(client, volume, device, settings, settings.repeats, traced);
    return floors;
}

}  // namespace

VolumesdResults run_volumesd_side(const BenchSettings& settings)
{
    const std::uint64_t member_bytes = (settings.array_mib + 64) * kMiB;
    LoopDisk first(settings.scratch_dir, "volumesd-0", member_bytes);
    LoopDisk second(settings.scratch_dir, "volumesd-1", member_bytes);
    Client client;

    auto manager = client.proxy(kRoot);
    const std::vector<std::string> devices{first.device(), second.device()};
    const std::string pool = client.call_for_path(*manager, "Manager", "CreatePool", std::string("bench"), devices, Options{});
    std::string volume;
    VolumesdResults results;
    try {
        const Options raid1{{"kind", sdbus::Variant(std::string("raid1"))},
                            {"images", sdbus::Variant(std::uint32_t{2})},
                            {"region_size", sdbus::Variant(std::uint64_t{settings.region_kib * 1024})}};
        auto pool_proxy = client.proxy(pool);
        volume = client.call_for_path(*pool_proxy, "Pool", "CreateVolume", std::string("mirror"),
                                      std::uint64_t{settings.array_mib * kMiB}, raid1);
        wait_initial_sync(client, volume);
        auto volume_proxy = client.proxy(volume);
        const auto device = client.get<std::string>(*volume_proxy, "Volume", "DevicePath");
        fmt::print("volumesd: pool {} on {} {}, raid1 {} ({}) in sync\n", pool, first.device(), second.device(),
                   volume, device);
        for (unsigned run = 0; run < settings.repeats; ++run)
            results.runs.push_back(cycle(client, volume, device, settings, run));
        try {
            results.floors.steps = traced_cycle(client, volume, device, settings);
        } catch (const std::exception& error) {
            results.floors.failure = error.what();
        }
    } catch (...) {
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
    client.call(volume, "Volume", "Remove");
    client.call(pool, "Pool", "Destroy");
    return results;
}

}  // namespace volumes::bench
