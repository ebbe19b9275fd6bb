// concurrency_bench: N clients at once, each creating and removing 4 MiB linear volumes in a
// loop, first all on one pool, then spread over two and over four pools; through volumesd's
// Pool.CreateVolume / Volume.Remove over the system bus, and through `lvcreate` / `lvremove`
// on as many lvm2 volume groups. Prints, per layout, the mutations per second and the call
// latency's median, 90th percentile and maximum. Figures, never assertions. Run as root in
// the qemu guest (scripts/bench.sh --bench concurrency).
#include <algorithm>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/core.h>
#include <unistd.h>

#include "bus_client.hpp"
#include "command.hpp"
#include "loop_disk.hpp"
#include "lvm_conf.hpp"
#include "timing.hpp"

namespace volumes::bench {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

struct Settings {
    unsigned clients = 8;
    unsigned rounds = 4;  // create + remove pairs per client
    std::string scratch_dir = "/tmp/concurrency-bench";
};

struct Figures {
    double seconds = 0;
    std::vector<double> latencies_ms;
};

double percentile(std::vector<double> values, double fraction)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

// Runs `client(i, record)` for every client on its own thread; `record` adds one call's latency.
Figures run_clients(unsigned clients, const std::function<void(unsigned, const std::function<void(double)>&)>& client)
{
    Figures figures;
    std::mutex lock;
    std::vector<std::string> failures;
    const auto record = [&](double ms) {
        std::lock_guard guard(lock);
        figures.latencies_ms.push_back(ms);
    };
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < clients; ++i)
        threads.emplace_back([&, i] {
            try {
                client(i, record);
            } catch (const std::exception& error) {
                std::lock_guard guard(lock);
                failures.push_back(fmt::format("client {}: {}", i, error.what()));
            }
        });
    for (auto& thread : threads)
        thread.join();
    figures.seconds = seconds_between(start, Clock::now());
    if (!failures.empty())
        throw std::runtime_error(failures.front());
    return figures;
}

template <class Call>
void timed(const std::function<void(double)>& record, Call&& call)
{
    const auto start = Clock::now();
    call();
    record(seconds_between(start, Clock::now()) * 1000.0);
}

Figures volumesd_side(const Settings& settings, unsigned pools, std::vector<std::unique_ptr<LoopDisk>>& disks)
{
    Client admin;
    auto manager = admin.proxy(kRoot);
    std::vector<std::string> pool_paths;
    for (unsigned p = 0; p < pools; ++p) {
        const auto path = admin.call_for_path(*manager, "Manager", "CreatePool", fmt::format("bench{}", p),
                                              std::vector<std::string>{disks[p]->device()}, Options{});
        pool_paths.push_back(path);
    }
    auto figures = run_clients(settings.clients, [&](unsigned i, const std::function<void(double)>& record) {
        Client client;
        auto pool = client.proxy(pool_paths[i % pools]);
        for (unsigned round = 0; round < settings.rounds; ++round) {
            sdbus::ObjectPath volume;
            timed(record, [&] {
                volume = client.call_for_path(*pool, "Pool", "CreateVolume", fmt::format("c{}-{}", i, round),
                                              static_cast<std::uint64_t>(4 * kMiB), Options{});
            });
            timed(record, [&] { client.call(volume, "Volume", "Remove"); });
        }
    });
    for (const auto& path : pool_paths)
        admin.call(path, "Pool", "Destroy");
    return figures;
}

Figures lvm_side(const Settings& settings, unsigned groups, std::vector<std::unique_ptr<LoopDisk>>& disks)
{
    for (unsigned g = 0; g < groups; ++g)
        run({"vgcreate", "-q", fmt::format("benchvg{}", g), disks[g]->device()});
    auto figures = run_clients(settings.clients, [&](unsigned i, const std::function<void(double)>& record) {
        const auto vg = fmt::format("benchvg{}", i % groups);
        for (unsigned round = 0; round < settings.rounds; ++round) {
            const auto lv = fmt::format("c{}-{}", i, round);
            timed(record, [&] { run({"lvcreate", "-q", "-y", "-Wn", "-Zn", "-L", "4m", "-n", lv, vg}); });
            timed(record, [&] { run({"lvremove", "-q", "-y", vg + "/" + lv}); });
        }
    });
    // The disks go back blank, for the next layout's volumesd pools.
    for (unsigned g = 0; g < groups; ++g) {
        run({"vgremove", "-q", "-y", fmt::format("benchvg{}", g)});
        run({"pvremove", "-q", "-y", disks[g]->device()});
    }
    return figures;
}

void print_row(const std::string& label, const Figures& figures)
{
    const auto calls = figures.latencies_ms.size();
    fmt::print("  {:<22} {:>6} {:>10.2f} {:>10.1f} {:>10.0f} {:>10.0f} {:>10.0f}\n", label, calls, figures.seconds,
               static_cast<double>(calls) / figures.seconds, percentile(figures.latencies_ms, 0.5),
               percentile(figures.latencies_ms, 0.9), percentile(figures.latencies_ms, 1.0));
}

bool parse(int argc, char** argv, Settings& settings)
{
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        unsigned* target = arg == "--clients" ? &settings.clients : arg == "--rounds" ? &settings.rounds : nullptr;
        if (target == nullptr || i + 1 >= argc)
            return false;
        const char* value = argv[++i];
        const auto parsed = std::from_chars(value, value + std::strlen(value), *target);
        if (parsed.ec != std::errc{} || *target == 0)
            return false;
    }
    return true;
}

}  // namespace
}  // namespace volumes::bench

int main(int argc, char** argv)
{
    using namespace volumes::bench;
    Settings settings;
    if (!parse(argc, argv, settings)) {
        fmt::print(stderr, "usage: concurrency_bench [--clients N] [--rounds N]\n");
        return 2;
    }
    if (::geteuid() != 0) {
        fmt::print(stderr, "concurrency_bench: run it as root (in the guest: scripts/bench.sh)\n");
        return 2;
    }
    std::filesystem::create_directories(settings.scratch_dir);
    std::vector<std::unique_ptr<LoopDisk>> disks;
    std::vector<std::string> devices;
    for (int d = 0; d < 4; ++d) {
        disks.push_back(std::make_unique<LoopDisk>(settings.scratch_dir, fmt::format("disk{}", d), 256 * kMiB));
        devices.push_back(disks.back()->device());
    }
    write_lvm_conf(settings.scratch_dir + "/lvm-etc", devices);

    fmt::print("{} clients, each {} CreateVolume + Remove pairs of 4 MiB linear volumes\n", settings.clients,
               settings.rounds);
    fmt::print("  {:<22} {:>6} {:>10} {:>10} {:>10} {:>10} {:>10}\n", "", "calls", "wall (s)", "calls/s", "p50 (ms)",
               "p90 (ms)", "max (ms)");
    int status = 0;
    for (const unsigned pools : {1u, 2u, 4u}) {
        try {
            print_row(fmt::format("volumesd, {} pool{}", pools, pools == 1 ? "" : "s"),
                      volumesd_side(settings, pools, disks));
        } catch (const std::exception& error) {
            fmt::print(stderr, "volumesd with {} pools FAILED: {}\n", pools, error.what());
            status = 1;
        }
        try {
            print_row(fmt::format("lvm2, {} VG{}", pools, pools == 1 ? "" : "s"), lvm_side(settings, pools, disks));
        } catch (const std::exception& error) {
            fmt::print(stderr, "lvm2 with {} VGs FAILED: {}\n", pools, error.what());
            status = 1;
        }
    }
    return status;
}
