// The daemon's raid sync watches share one thread (service/bus/jobs/watch_poller.hpp): four
// arrays resyncing at once add one thread to volumesd, not four; SyncProgress still comes
// at least once a second for each of them (Raid1.xml); and create → sync → remove cycles
// leave neither threads nor their stacks behind.
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/core.h>

#include "bus_wait.hpp"
#include "raid1_fixture.hpp"
#include "resync_speed_limit.hpp"
#include "volumesd_control.hpp"

namespace volumes::test {
namespace {

std::size_t thread_count(pid_t pid)
{
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator(fmt::format("/proc/{}/task", pid)))
        ++count;
    return count;
}

// A "Vm...:" line of /proc/<pid>/status, in KiB.
std::uint64_t status_kib(pid_t pid, const std::string& field)
{
    std::ifstream status(fmt::format("/proc/{}/status", pid));
    std::string line;
    while (std::getline(status, line))
        if (line.starts_with(field + ":"))
            return std::stoull(line.substr(field.size() + 1));
    throw std::runtime_error(fmt::format("no {} in /proc/{}/status", field, pid));
}

class BusWatchResources : public BusRaid1 {};

TEST_F(BusWatchResources, ConcurrentResyncsShareOneThreadAndEachReportsEverySecond)
{
    const auto pool = create_pool("watched", {new_loop(128 * mib).path(), new_loop(128 * mib).path()});
    const auto pid = volumesd_pid(*bus);
    const auto before = thread_count(pid);

    // 8 MiB at 1 MiB/s: about eight seconds each; md moves its reported position every
    // sixteenth of the array, twice a second here.
    ResyncSpeedLimit slow(1024);
    SignalRecorder recorder(*bus, volumes_signals_match());
    std::vector<std::string> arrays;
    for (int i = 0; i < 4; ++i)
        arrays.push_back(create_volume(pool, fmt::format("r{}", i), 8 * mib, {{"kind", "s", "raid1"}}));
    std::size_t during = 0;
    pump_until(*bus, [&] {
        during = std::max(during, thread_count(pid));
        return false;
    }, std::chrono::seconds(3));
    for (const auto& array : arrays)
        wait_raid1_in_sync(array, std::chrono::seconds(120));
    slow.restore();

    std::cout << fmt::format("volumesd threads: {} before the resyncs, at most {} during four\n", before, during);
    EXPECT_LE(during, before + 1) << "four resyncs took more than one thread";

    for (const auto& array : arrays) {
        std::vector<std::chrono::steady_clock::time_point> times;
        for (const auto& signal : recorder.signals())
            if (signal.member == "SyncProgress" && signal.path == array && signal.ratio < 1.0)
                times.push_back(signal.received);
        ASSERT_GE(times.size(), 3u) << array << ": too few SyncProgress while it resynced\n" << recorder.describe();
        std::chrono::steady_clock::duration widest{};
        for (std::size_t i = 1; i < times.size(); ++i)
            widest = std::max(widest, times[i] - times[i - 1]);
        const auto widest_ms = std::chrono::duration_cast<std::chrono::milliseconds>(widest).count();
        std::cout << fmt::format("{}: {} SyncProgress, widest gap {} ms\n", array, times.size(), widest_ms);
        EXPECT_LE(widest_ms, 1000) << array << ": SyncProgress stopped for " << widest_ms << " ms while it resynced";
    }
}

TEST_F(BusWatchResources, SyncCyclesLeaveNoThreadOrStackBehind)
{
    const auto pool = create_pool("cycled", {new_loop().path(), new_loop().path()});
    const auto pid = volumesd_pid(*bus);
    std::size_t threads_after_first = 0;
    std::uint64_t vm_after_first = 0;
    constexpr int cycles = 10;
    for (int cycle = 1; cycle <= cycles; ++cycle) {
        const auto array = create_volume(pool, "cycle", 8 * mib, {{"kind", "s", "raid1"}});
        wait_raid1_in_sync(array);
        call_volume(array, "Remove");
        if (cycle == 1) {
            threads_after_first = thread_count(pid);
            vm_after_first = status_kib(pid, "VmSize");
        }
    }
    const auto threads = thread_count(pid);
    const auto vm = status_kib(pid, "VmSize");
    std::cout << fmt::format("volumesd after 1 and {} raid1 create/sync/remove cycles: {} and {} threads, VmSize {} "
                             "and {} KiB, VmRSS now {} KiB\n",
                             cycles, threads_after_first, threads, vm_after_first, vm, status_kib(pid, "VmRSS"));
    EXPECT_LE(threads, threads_after_first);
    // A thread kept until exit keeps its 8 MiB stack mapped: nine of them would be 72 MiB.
    EXPECT_LT(vm, vm_after_first + 8 * 1024) << "VmSize grew by " << vm - vm_after_first << " KiB";
}

}  // namespace
}  // namespace volumes::test
