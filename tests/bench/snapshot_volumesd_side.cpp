#include <algorithm>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include <fmt/core.h>
#include <sdbus-c++/sdbus-c++.h>

#include "block_write.hpp"
#include "bus_client.hpp"
#include "command.hpp"
#include "kernel_floor.hpp"
#include "loop_disk.hpp"
#include "snapshot_bench.hpp"

namespace volumes::bench {

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

// Snapshot.MergeCompleted of one snapshot, heard on a connection of its own whose
// sdbus-c++ thread stamps the arrival; subscribed before Merge is called.
class MergeCompletedWatch {
public:
    explicit MergeCompletedWatch(const std::string& snapshot)
        : proxy_(sdbus::createProxy(sdbus::createSystemBusConnection(), kService, snapshot))
    {
        proxy_->uponSignal("MergeCompleted")
            .onInterface(interface("Snapshot"))
            .call([this](const sdbus::ObjectPath&, bool success, const std::string& message) {
                const auto now = Clock::now();
                std::lock_guard guard(lock_);
                if (!at_) {
                    at_ = now;
                    success_ = success;
                    message_ = message;
                }
            });
        proxy_->finishRegistration();
    }

    std::optional<Clock::time_point> arrived()
    {
        std::lock_guard guard(lock_);
        return at_;
    }

    bool success()
    {
        std::lock_guard guard(lock_);
        return success_;
    }

    std::string message()
    {
        std::lock_guard guard(lock_);
        return message_;
    }

private:
    std::mutex lock_;
    std::optional<Clock::time_point> at_;
    bool success_ = false;
    std::string message_;
    std::unique_ptr<sdbus::IProxy> proxy_;  // last: its thread stops before the members above go
};

// Runs one step of a cycle; the traced cycle wraps its calls in an strace of volumesd.
using Around = std::function<void(const std::string& step, const std::function<void()>& call)>;

void plainly(const std::string&, const std::function<void()>& call)
{
    call();
}

SnapshotTimes cycle(Client& client, const std::string& origin, const std::string& device,
                    const SnapshotSettings& settings, unsigned run, std::string& snapshot,
                    const Around& around = plainly)
{
    const std::string origin_dm = device.substr(device.rfind('/') + 1);
    auto origin_proxy = client.proxy(origin);
    const Options snapshot_options{{"chunk_size", sdbus::Variant(std::uint64_t{settings.chunk_kib * 1024})}};
    SnapshotTimes times;

    const auto create_start = Clock::now();
    around("create", [&] {
        snapshot = client.call_for_path(*origin_proxy, "Volume", "CreateSnapshot", std::string("snap"),
                                        std::uint64_t{settings.cow_mib * kMiB}, snapshot_options);
    });
    times.create = seconds_between(create_start, Clock::now());

    const auto write_start = Clock::now();
    write_mib(device, settings.write_mib, run + 1);
    times.write = seconds_between(write_start, Clock::now());
    // udev probes the origin after the write; Merge would only record a pending merge while
    // anything holds it open.
    try_run({"udevadm", "settle"});

    MergeCompletedWatch watch(snapshot);
    auto snapshot_proxy = client.proxy(snapshot);
    Clock::time_point merge_start;
    sdbus::ObjectPath job;
    std::optional<Clock::time_point> merged_at, done_at;
    around("merge->done", [&] {
        merge_start = Clock::now();
        bool pending = false;
        std::tie(job, pending) = client.call_for<sdbus::ObjectPath, bool>(*snapshot_proxy, "Snapshot", "Merge", Options{});
        times.merge_call = seconds_between(merge_start, Clock::now());
        if (pending)
            throw std::runtime_error(
                fmt::format("Merge of {} is pending: the origin or the snapshot was open", snapshot));

        const auto deadline = merge_start + kMergeTimeout;
        while (!merged_at || !done_at) {
            done_at = watch.arrived();
            if (!merged_at && kernel_merge_done(origin_dm))
                merged_at = Clock::now();
            if (merged_at && done_at)
                break;
            if (Clock::now() > deadline)
                throw std::runtime_error(
                    fmt::format("no MergeCompleted from {} within {} min", snapshot,
                                std::chrono::duration_cast<std::chrono::minutes>(kMergeTimeout).count()));
            std::this_thread::sleep_for(kMergeProbeInterval);
        }
    });
    if (!watch.success())
        throw std::runtime_error(fmt::format("the merge of {} failed: {}", snapshot, watch.message()));
    // A merge that finished between two probes counts as merged when MergeCompleted came.
    times.merged = seconds_between(merge_start, std::min(*merged_at, *done_at));
    times.done = seconds_between(merge_start, *done_at);
    times.total = times.create + times.done;

    auto job_proxy = client.proxy(job);
    if (!client.get<bool>(*job_proxy, "Job", "Success"))
        throw std::runtime_error(
            fmt::format("job {} failed: {}", std::string(job), client.get<std::string>(*job_proxy, "Job", "Message")));
    snapshot.clear();
    check_rolled_back(origin_dm, settings.write_mib);
    return times;
}

}  // namespace

SnapshotResults run_volumesd_snapshot_side(const SnapshotSettings& settings)
{
    const std::uint64_t member_bytes = (settings.origin_mib + settings.cow_mib + 64) * kMiB;
    LoopDisk first(settings.scratch_dir, "volumesd-snap-0", member_bytes);
    LoopDisk second(settings.scratch_dir, "volumesd-snap-1", member_bytes);
    Client client;

    auto manager = client.proxy(kRoot);
    const std::vector<std::string> devices{first.device(), second.device()};
    const std::string pool =
        client.call_for_path(*manager, "Manager", "CreatePool", std::string("snapbench"), devices, Options{});
    std::string origin, snapshot;
    SnapshotResults results;
    try {
        auto pool_proxy = client.proxy(pool);
        origin = client.call_for_path(*pool_proxy, "Pool", "CreateVolume", std::string("origin"),
                                      std::uint64_t{settings.origin_mib * kMiB}, Options{});
        auto origin_proxy = client.proxy(origin);
        const auto device = client.get<std::string>(*origin_proxy, "Volume", "DevicePath");
        fmt::print("volumesd: pool {} on {} {}, linear {} ({})\n", pool, first.device(), second.device(), origin,
                   device);
        for (unsigned run = 0; run < settings.repeats; ++run)
            results.runs.push_back(cycle(client, origin, device, settings, run, snapshot));
        try {
            const Around traced = [&](const std::string& step, const std::function<void()>& call) {
                const auto file = trace_path(settings.scratch_dir, fmt::format("snapshot-{}.strace", results.floors.steps.size()));
                results.floors.steps.emplace_back(step, trace_volumesd_call(file, call));
            };
            cycle(client, origin, device, settings, settings.repeats, snapshot, traced);
        } catch (const std::exception& error) {
            results.floors.failure = error.what();
        }
    } catch (...) {
        for (const auto& volume : {snapshot, origin})
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
    client.call(origin, "Volume", "Remove");
    client.call(pool, "Pool", "Destroy");
    return results;
}

}  // namespace volumes::bench
