// The daemon's raid sync watches share one thread (service/bus/jobs/watch_poller.hpp): four
// arrays resyncing at once add no thread to volumesd; SyncProgress follows each move of md's
// position within a second for each of them, and comes at least once a second while each
// syncs; and create → sync → remove cycles leave
// neither threads nor their stacks behind.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include <fmt/core.h>

#include "bus_wait.hpp"
#include "raid1_fixture.hpp"
#include "resync_speed_limit.hpp"
#include "tests/kernel/support/raid_waiter.hpp"
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

TEST_F(BusWatchResources, ConcurrentResyncsShareOneThreadAndSignalEveryMoveWithinASecond)
{
    const auto pool = create_pool("watched", {new_loop(128 * mib).path(), new_loop(128 * mib).path()});
    const auto pid = volumesd_pid(*bus);
    // One raid1 first, so whatever starts with the first one (the watch thread among them)
    // is there before the count.
    wait_raid1_in_sync(create_volume(pool, "warm", 8 * mib, {{"kind", "s", "raid1"}}));
    const auto warmed = thread_count(pid);

    // 8 MiB at 1 MiB/s: several seconds each.
    ResyncSpeedLimit slow(1024);
    SignalRecorder recorder(*bus, volumes_signals_match());
    struct Array {
        std::string path;
        std::string dm_name;
        std::optional<std::uint64_t> seen;  // md's position as this test last read it
        std::vector<std::pair<std::chrono::steady_clock::time_point, std::uint64_t>> moves;
    };
    std::vector<Array> arrays;
    for (int i = 0; i < 4; ++i) {
        Array array;
        array.path = create_volume(pool, fmt::format("r{}", i), 8 * mib, {{"kind", "s", "raid1"}});
        array.dm_name = std::filesystem::path(property_as<std::string>(array.path, volume_interface, "DevicePath"))
                            .filename()
                            .string();
        arrays.push_back(std::move(array));
    }
    // Reads md's position of every array at least every 200 ms (pump_until's pace) while the
    // daemon's signals are dispatched.
    std::size_t during = 0;
    const bool synced = pump_until(*bus, [&] {
        during = std::max(during, thread_count(pid));
        bool all = true;
        for (auto& array : arrays) {
            const auto status = raid_status_of(array.dm_name);
            if (array.seen && status.in_sync_sectors > *array.seen)
                array.moves.emplace_back(std::chrono::steady_clock::now(), status.in_sync_sectors);
            array.seen = status.in_sync_sectors;
            all = all && status.in_sync_sectors == status.total_sectors &&
                  status.sync_action == kmod::RaidSyncAction::Idle;
        }
        return all;
    }, std::chrono::seconds(120));
    ASSERT_TRUE(synced) << "the four arrays did not sync within 120 s";
    for (const auto& array : arrays)
        wait_raid1_in_sync(array.path);
    slow.restore();

    std::cout << fmt::format("volumesd threads: {} after a first raid1 sync, at most {} during four more at once\n",
                             warmed, during);
    // A dm event (a sync that ends) makes volumesd read the pool's arrays again for their
    // Health, on the pool's worker thread, which lives only while the pool has work: one more
    // at most. Threads of the resyncs' own would be four.
    EXPECT_LE(during, warmed + 1) << "four concurrent resyncs took threads of their own";

    // Each move of md's position is signalled within a second of this test seeing it (which
    // may be up to 200 ms after the move).
    std::size_t moves = 0;
    for (const auto& array : arrays) {
        for (const auto& [seen_at, position] : array.moves) {
            ++moves;
            const auto signal = recorder.find([&](const RecordedSignal& s) {
                return s.member == "SyncProgress" && s.path == array.path && s.done_sectors >= position;
            });
            ASSERT_TRUE(signal) << array.path << ": md reached " << position << " but no SyncProgress says so";
            const auto late =
                std::chrono::duration_cast<std::chrono::milliseconds>(signal->received - seen_at).count();
            EXPECT_LE(late, 1000) << array.path << ": SyncProgress for position " << position << " came " << late
                                  << " ms after md got there";
        }
    }
    std::cout << fmt::format("{} moves of md's position followed\n", moves);
    EXPECT_GE(moves, 4u) << "too few moves seen to tell anything";

    // md moves in bursts; SyncProgress still comes at least once a second while the array
    // syncs: the daemon sends it within a second; this process dispatches signals every 200 ms
    // or so, which can widen a gap it measures by as much.
    std::int64_t widest = 0;
    std::size_t gaps = 0;
    for (const auto& array : arrays) {
        std::optional<std::chrono::steady_clock::time_point> previous;
        for (const auto& s : recorder.signals()) {
            if (s.member != "SyncProgress" || s.path != array.path || s.done_sectors >= s.total_sectors)
                continue;
            if (previous) {
                ++gaps;
                widest = std::max<std::int64_t>(
                    widest, std::chrono::duration_cast<std::chrono::milliseconds>(s.received - *previous).count());
            }
            previous = s.received;
        }
    }
    std::cout << fmt::format("widest of {} gaps between two SyncProgress signals of one syncing array: {} ms\n", gaps,
                             widest);
    EXPECT_GE(gaps, 8u) << "too few SyncProgress signals to tell anything";
    EXPECT_LE(widest, 1400) << "SyncProgress came less than once a second";
}

TEST_F(BusWatchResources, SyncCyclesLeaveNoThreadOrStackBehind)
{
    // 1 MiB extents and 1 MiB legs: each cycle is its two transactions and a short sync.
    const std::vector<CallArguments::Option> small_extents{{"extent_size", "t", std::to_string(mib)}};
    const auto pool = create_pool("cycled", {new_loop().path(), new_loop().path()}, small_extents);
    const auto pid = volumesd_pid(*bus);
    constexpr int warm_up = 10;
    constexpr int cycles = 100;
    std::size_t threads_warm = 0;
    std::uint64_t vm_warm = 0;
    std::uint64_t rss_warm = 0;
    for (int cycle = 1; cycle <= cycles; ++cycle) {
        const auto array = create_volume(pool, "cycle", mib, {{"kind", "s", "raid1"}});
        wait_raid1_in_sync(array);
        call_volume(array, "Remove");
        if (cycle == warm_up) {
            threads_warm = thread_count(pid);
            vm_warm = status_kib(pid, "VmSize");
            rss_warm = status_kib(pid, "VmRSS");
        }
    }
    const auto threads = thread_count(pid);
    const auto vm = status_kib(pid, "VmSize");
    const auto rss = status_kib(pid, "VmRSS");
    std::cout << fmt::format("volumesd after {} and {} raid1 create/sync/remove cycles: {} and {} threads, VmSize {} "
                             "and {} KiB, VmRSS {} and {} KiB\n",
                             warm_up, cycles, threads_warm, threads, vm_warm, vm, rss_warm, rss);
    EXPECT_LE(threads, threads_warm);
    // A thread kept until exit keeps its 8 MiB stack mapped: twenty of them would be 160 MiB.
    EXPECT_LT(vm, vm_warm + 8 * 1024) << "VmSize grew by " << vm - vm_warm << " KiB";
    // volumesd locks its memory (mlockall), so whatever it keeps per cycle shows here.
    EXPECT_LT(rss, rss_warm + 4 * 1024) << "VmRSS grew by " << rss - rss_warm << " KiB over " << cycles - warm_up
                                        << " cycles";
}

}  // namespace
}  // namespace volumes::test
