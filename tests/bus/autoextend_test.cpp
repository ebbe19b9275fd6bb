// Autoextend through D-Bus, with the volumesd bus activation starts: a thin pool written past
// its threshold grows before it runs out and no write fails; a thin pool whose pool has no free
// extents says so (Pool.SpaceWarning, a warning in the log) before it fills; a CoW snapshot
// whose origin is written past the threshold grows and stays valid; the settings persist and
// bad ones are refused with nothing changed.
//
// The writers of the first tests are paced: after each chunk they wait until the daemon has read
// the pool again, and while the volume is at or past its threshold, until it grew. Nothing but
// the daemon's own watch grows it; the pacing only keeps a fast writer from outrunning a watch
// that reads snapshots every two seconds. A thin pool also grows on its low-water dm event, its
// low water following the threshold: the burst test writes without pacing and prints how soon
// the growth followed.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

#include "bus_fixture.hpp"
#include "bus_wait.hpp"
#include "signal_recorder.hpp"
#include "state_snapshot.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "volumesd_control.hpp"

namespace volumes::test {
namespace {

using namespace std::chrono_literals;
using Policy = sdbus::Struct<std::uint32_t, std::uint32_t, bool>;
using PoolPolicy = sdbus::Struct<std::uint32_t, std::uint32_t>;

// Where the guest's dbus-daemon, and through it volumesd, writes its stderr.
constexpr const char* daemon_log = "/run/volumes-guest/dbus-daemon.log";

std::string read_log()
{
    std::ifstream in(daemon_log);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The lines of the log from `from` on that contain every one of `words`.
std::vector<std::string> log_lines(std::size_t from, const std::vector<std::string>& words)
{
    const auto text = read_log();
    std::vector<std::string> found;
    std::istringstream lines(from < text.size() ? text.substr(from) : std::string());
    for (std::string line; std::getline(lines, line);) {
        bool all = true;
        for (const auto& word : words)
            all = all && line.find(word) != std::string::npos;
        if (all)
            found.push_back(line);
    }
    return found;
}

class BusAutoextend : public BusTest {
protected:
    void SetUp() override
    {
        BusTest::SetUp();
        log_start = read_log().size();
    }

    std::string create_thin_pool(const std::string& pool, std::uint64_t data, const std::vector<CallArguments::Option>& options = {})
    {
        return call_ok(*bus, {pool, pool_interface, "CreateThinPool",
                              CallArguments().s("tp").t(data).t(4 * mib).options(options).words()});
    }

    std::string create_thin(const std::string& thin_pool, const std::string& name, std::uint64_t size)
    {
        return call_ok(*bus, {thin_pool, thin_pool_interface, "CreateThin", CallArguments().s(name).t(size).options().words()});
    }

    Outcome set_autoextend(const std::string& path, const std::string& interface, std::uint32_t threshold,
                           std::uint32_t step, const std::vector<CallArguments::Option>& options = {})
    {
        return call(*bus, {path, interface, "SetAutoextend", CallArguments().u(threshold).u(step).options(options).words()});
    }

    Outcome set_pool_autoextend(const std::string& pool, const std::string& kind, std::uint32_t threshold,
                                std::uint32_t step)
    {
        return call(*bus, {pool, pool_interface, "SetAutoextend", CallArguments().s(kind).u(threshold).u(step).options().words()});
    }

    std::uint64_t u64(const std::string& path, const std::string& interface, const std::string& name)
    {
        return property_as<std::uint64_t>(path, interface, name);
    }

    // Waits until `done`; fails the test saying `what` otherwise.
    bool wait(const std::function<bool()>& done, const std::string& what, std::chrono::seconds timeout = 60s)
    {
        const bool reached = pump_until(*bus, done, timeout);
        EXPECT_TRUE(reached) << "after " << timeout.count() << " s: " << what;
        return reached;
    }

    std::size_t log_start = 0;
};

// The low-water mark (free data blocks) of the only live thin-pool table, read from the kernel.
std::uint64_t live_low_water()
{
    std::vector<std::uint64_t> found;
    for (const auto& [name, text] : dm_tables()) {
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);) {
            std::istringstream words(line);
            std::vector<std::string> word{std::istream_iterator<std::string>(words), {}};
            // "<start> <length> thin-pool <meta> <data> <block sectors> <low water> ..."
            if (word.size() > 6 && word[2] == "thin-pool")
                found.push_back(std::stoull(word[6]));
        }
    }
    if (found.size() != 1)
        throw std::runtime_error(fmt::format("{} thin-pool tables are live, not one", found.size()));
    return found.front();
}

// The free blocks left when `data_bytes` of 64 KiB blocks are `threshold` percent used.
std::uint64_t low_water_at(std::uint64_t data_bytes, std::uint64_t threshold)
{
    return std::max<std::uint64_t>(1, data_bytes / (64 * 1024) * (100 - threshold) / 100);
}

TEST_F(BusAutoextend, AThinPoolWrittenPastItsThresholdGrowsBeforeItIsFullAndNoWriteFails)
{
    const auto pool = create_pool("grow", {new_loop().path(), new_loop().path()});
    // error_if_no_space: a write the pool had no room for fails at once instead of waiting.
    const auto thin_pool = create_thin_pool(pool, 16 * mib, {{"error_if_no_space", "b", "true"}});
    const auto policy = property_as<Policy>(thin_pool, thin_pool_interface, "Autoextend");
    EXPECT_EQ(policy, Policy(80u, 20u, true)) << "the defaults of a pool nobody configured";
    EXPECT_EQ(property_as<PoolPolicy>(pool, pool_interface, "ThinPoolAutoextend"), PoolPolicy(80u, 20u));
    const auto volume = create_thin(thin_pool, "data", 64 * mib);
    const auto device = property_as<std::string>(volume, volume_interface, "DevicePath");
    const auto first_size = u64(thin_pool, thin_pool_interface, "DataSize");
    ASSERT_EQ(first_size, 16 * mib);

    SignalRecorder recorder(*bus, volumes_signals_match());
    constexpr std::uint64_t chunk = 2 * mib;
    constexpr std::uint64_t total = 32 * mib;  // twice the data the pool started with
    std::uint64_t grown = 0;  // times DataSize was seen larger than before
    std::uint64_t last_size = first_size;
    for (std::uint64_t offset = 0; offset < total; offset += chunk) {
        ASSERT_NO_THROW(write_pattern(device, offset, chunk, 100 + offset / chunk)) << "the write at " << offset << " failed";
        // The daemon read the pool since this chunk (every chunk maps new blocks).
        ASSERT_TRUE(wait([&] { return u64(thin_pool, thin_pool_interface, "DataUsed") >= offset + chunk; },
                         "DataUsed never showed the chunk at " + std::to_string(offset)));
        const auto size = u64(thin_pool, thin_pool_interface, "DataSize");
        const auto used = u64(thin_pool, thin_pool_interface, "DataUsed");
        EXPECT_LT(used, size) << "the pool filled up at " << offset;
        EXPECT_EQ(property_as<std::string>(thin_pool, thin_pool_interface, "Mode"), "rw");
        if (used * 100 >= 80 * size)
            ASSERT_TRUE(wait([&] { return u64(thin_pool, thin_pool_interface, "DataSize") > size; },
                             "the pool at " + std::to_string(used) + " of " + std::to_string(size) +
                                 " bytes did not grow"));
        const auto now = u64(thin_pool, thin_pool_interface, "DataSize");
        grown += now > last_size;
        last_size = now;
    }
    const auto final_size = u64(thin_pool, thin_pool_interface, "DataSize");
    EXPECT_GT(final_size, total);
    EXPECT_GE(grown, 2u);
    for (std::uint64_t offset = 0; offset < total; offset += chunk)
        EXPECT_TRUE(holds_pattern(device, offset, chunk, 100 + offset / chunk)) << "chunk at " << offset;
    EXPECT_EQ(property_as<std::string>(thin_pool, thin_pool_interface, "Mode"), "rw");

    const auto changed = recorder.find([&](const RecordedSignal& s) {
        return s.member == "PropertiesChanged" && s.path == thin_pool && s.values.contains("DataSize");
    });
    EXPECT_TRUE(changed) << "no PropertiesChanged of DataSize:\n" << recorder.describe();
    EXPECT_FALSE(recorder.find([](const RecordedSignal& s) { return s.member == "SpaceWarning"; }))
        << recorder.describe();
    const auto lines = log_lines(log_start, {"info", "grow/tp", "autoextend", "data was", "grown from 16777216 to"});
    EXPECT_EQ(lines.size(), 1u) << "the log from this test:\n" << read_log().substr(log_start);
}

TEST_F(BusAutoextend, AThinPoolThatCannotGrowSaysSoOnceBeforeItFills)
{
    const auto pool = create_pool("full", {new_loop().path()});
    const auto thin_pool = create_thin_pool(pool, 8 * mib);
    // Everything else the pool has goes to a linear volume.
    create_volume(pool, "filler", u64(pool, pool_interface, "Free"));
    ASSERT_EQ(u64(pool, pool_interface, "Free"), 0u);
    const auto volume = create_thin(thin_pool, "data", 32 * mib);
    const auto device = property_as<std::string>(volume, volume_interface, "DevicePath");

    SignalRecorder recorder(*bus, volumes_signals_match());
    write_pattern(device, 0, 7 * mib, 7);  // 7 of 8 MiB: past 80 %, not full
    std::optional<RecordedSignal> warning;
    ASSERT_TRUE(wait(
        [&] {
            warning = recorder.find([](const RecordedSignal& s) { return s.member == "SpaceWarning"; });
            return warning.has_value();
        },
        "no SpaceWarning:\n" + recorder.describe()));
    EXPECT_EQ(warning->path, pool);
    EXPECT_EQ(warning->object, thin_pool);
    EXPECT_EQ(warning->action, "data");
    EXPECT_NE(warning->message.find("no free extents"), std::string::npos) << warning->message;
    EXPECT_NE(warning->message.find("'tp'"), std::string::npos) << warning->message;
    EXPECT_EQ(u64(thin_pool, thin_pool_interface, "DataSize"), 8 * mib) << "it grew from nothing";
    EXPECT_LT(u64(thin_pool, thin_pool_interface, "DataUsed"), 8 * mib);
    EXPECT_EQ(property_as<std::string>(thin_pool, thin_pool_interface, "Mode"), "rw");
    EXPECT_EQ(log_lines(log_start, {"warning", "full/tp", "autoextend", "no free extents"}).size(), 1u)
        << "the log from this test:\n" << read_log().substr(log_start);

    // Three more reads of the pool: still past the threshold, not said again.
    write_pattern(device, 7 * mib, 512 * 1024, 8);
    ASSERT_TRUE(wait([&] { return u64(thin_pool, thin_pool_interface, "DataUsed") >= 7 * mib + 512 * 1024; },
                     "DataUsed never showed the last write"));
    pump_until(*bus, [] { return false; }, 6s);
    std::size_t warnings = 0;
    for (const auto& s : recorder.signals())
        warnings += s.member == "SpaceWarning";
    EXPECT_EQ(warnings, 1u) << recorder.describe();
    EXPECT_EQ(log_lines(log_start, {"warning", "full/tp", "autoextend", "no free extents"}).size(), 1u);
    EXPECT_TRUE(holds_pattern(device, 0, 7 * mib, 7));
}

TEST_F(BusAutoextend, ACowSnapshotWrittenPastItsThresholdGrowsAndStaysValid)
{
    const auto pool = create_pool("cow", {new_loop().path(), new_loop().path()});
    constexpr std::uint64_t origin_size = 32 * mib;
    const auto origin = create_volume(pool, "root", origin_size);
    const auto origin_device = property_as<std::string>(origin, volume_interface, "DevicePath");
    write_pattern(origin_device, 0, origin_size, 51);
    const auto snapshot = call_ok(*bus, {origin, volume_interface, "CreateSnapshot",
                                         CallArguments().s("snap").t(4 * mib).options().words()});
    EXPECT_EQ(property_as<Policy>(snapshot, snapshot_interface, "Autoextend"), Policy(80u, 20u, true));
    const auto snapshot_device = property_as<std::string>(snapshot, volume_interface, "DevicePath");
    ASSERT_EQ(u64(snapshot, snapshot_interface, "TotalSectors"), 4 * mib / 512);

    // Every chunk written to the origin is copied to the COW first.
    constexpr std::uint64_t chunk = 512 * 1024;
    constexpr std::uint64_t total = 16 * mib;  // four times the COW it started with
    std::uint64_t grown = 0;  // times TotalSectors was seen larger than before
    std::uint64_t last_size = 4 * mib / 512;
    for (std::uint64_t offset = 0; offset < total; offset += chunk) {
        ASSERT_NO_THROW(write_pattern(origin_device, offset, chunk, 52)) << "the write at " << offset << " failed";
        ASSERT_TRUE(wait([&] { return u64(snapshot, snapshot_interface, "UsedSectors") * 512 >= offset + chunk; },
                         "UsedSectors never showed the chunk at " + std::to_string(offset)));
        EXPECT_FALSE(property_as<bool>(snapshot, snapshot_interface, "Invalid")) << "at " << offset;
        const auto used = u64(snapshot, snapshot_interface, "UsedSectors");
        const auto size = u64(snapshot, snapshot_interface, "TotalSectors");
        if (used * 100 >= 80 * size)
            ASSERT_TRUE(wait([&] { return u64(snapshot, snapshot_interface, "TotalSectors") > size; },
                             "the COW at " + std::to_string(used) + " of " + std::to_string(size) +
                                 " sectors did not grow"));
        const auto now = u64(snapshot, snapshot_interface, "TotalSectors");
        grown += now > last_size;
        last_size = now;
    }
    EXPECT_GE(grown, 3u);
    EXPECT_GT(u64(snapshot, snapshot_interface, "TotalSectors") * 512, total);
    EXPECT_FALSE(property_as<bool>(snapshot, snapshot_interface, "Invalid"));
    EXPECT_TRUE(holds_pattern(snapshot_device, 0, origin_size, 51)) << "the snapshot lost what the origin held";
    EXPECT_TRUE(holds_pattern(origin_device, 0, total, 52));
    EXPECT_TRUE(holds_pattern(origin_device, total, origin_size - total, 51));
    EXPECT_GE(log_lines(log_start, {"info", "cow/snap", "autoextend", "cow was", "grown from 4194304 to"}).size(), 1u)
        << "the log from this test:\n" << read_log().substr(log_start);
}

TEST_F(BusAutoextend, SettingsInheritOverrideAndSurviveARestart)
{
    const auto pool = create_pool("settings", {new_loop().path(), new_loop().path()});
    const auto thin_pool = create_thin_pool(pool, 8 * mib);
    const auto origin = create_volume(pool, "root", 8 * mib);
    const auto snapshot = call_ok(*bus, {origin, volume_interface, "CreateSnapshot",
                                         CallArguments().s("snap").t(4 * mib).options().words()});

    auto outcome = set_pool_autoextend(pool, "thin_pool", 70, 30);
    ASSERT_TRUE(outcome.ok()) << outcome.describe();
    EXPECT_EQ(property_as<PoolPolicy>(pool, pool_interface, "ThinPoolAutoextend"), PoolPolicy(70u, 30u));
    EXPECT_EQ(property_as<Policy>(thin_pool, thin_pool_interface, "Autoextend"), Policy(70u, 30u, true));
    EXPECT_EQ(property_as<Policy>(snapshot, snapshot_interface, "Autoextend"), Policy(80u, 20u, true))
        << "the thin pool default changed the snapshots'";

    outcome = set_autoextend(thin_pool, thin_pool_interface, 90, 10);
    ASSERT_TRUE(outcome.ok()) << outcome.describe();
    outcome = set_pool_autoextend(pool, "snapshot", 100, 5);
    ASSERT_TRUE(outcome.ok()) << outcome.describe();
    EXPECT_EQ(property_as<Policy>(thin_pool, thin_pool_interface, "Autoextend"), Policy(90u, 10u, false));
    EXPECT_EQ(property_as<Policy>(snapshot, snapshot_interface, "Autoextend"), Policy(100u, 5u, true));

    stop_volumesd(*bus);
    EXPECT_EQ(property_as<PoolPolicy>(pool, pool_interface, "ThinPoolAutoextend"), PoolPolicy(70u, 30u));
    EXPECT_EQ(property_as<PoolPolicy>(pool, pool_interface, "SnapshotAutoextend"), PoolPolicy(100u, 5u));
    EXPECT_EQ(property_as<Policy>(thin_pool, thin_pool_interface, "Autoextend"), Policy(90u, 10u, false));
    EXPECT_EQ(property_as<Policy>(snapshot, snapshot_interface, "Autoextend"), Policy(100u, 5u, true));

    outcome = set_autoextend(thin_pool, thin_pool_interface, 0, 0, {{"inherit", "b", "true"}});
    ASSERT_TRUE(outcome.ok()) << outcome.describe();
    EXPECT_EQ(property_as<Policy>(thin_pool, thin_pool_interface, "Autoextend"), Policy(70u, 30u, true));
}

TEST_F(BusAutoextend, BadSettingsAreRefusedAndChangeNothing)
{
    const auto pool = create_pool("bad", {new_loop().path(), new_loop().path()});
    const auto thin_pool = create_thin_pool(pool, 8 * mib);
    const auto origin = create_volume(pool, "root", 8 * mib);
    const auto snapshot = call_ok(*bus, {origin, volume_interface, "CreateSnapshot",
                                         CallArguments().s("snap").t(4 * mib).options().words()});
    const auto before = take_snapshot(*bus, loop_paths());

    const std::string invalid = "org.example.Volumes.Error.InvalidArgument";
    const std::vector<std::pair<std::string, Outcome>> refused{
        {"threshold 49", set_autoextend(thin_pool, thin_pool_interface, 49, 20)},
        {"threshold 101", set_autoextend(snapshot, snapshot_interface, 101, 20)},
        {"step 0", set_autoextend(thin_pool, thin_pool_interface, 80, 0)},
        {"step 101", set_autoextend(snapshot, snapshot_interface, 80, 101)},
        {"inherit with a policy", set_autoextend(thin_pool, thin_pool_interface, 80, 20, {{"inherit", "b", "true"}})},
        {"inherit of the wrong type", set_autoextend(thin_pool, thin_pool_interface, 0, 0, {{"inherit", "s", "yes"}})},
        {"an unknown option", set_autoextend(snapshot, snapshot_interface, 80, 20, {{"threshold", "u", "80"}})},
        {"pool: unknown kind", set_pool_autoextend(pool, "raid1", 80, 20)},
        {"pool: threshold 0", set_pool_autoextend(pool, "snapshot", 0, 20)},
        {"pool: step 1000", set_pool_autoextend(pool, "thin_pool", 80, 1000)},
    };
    for (const auto& [what, outcome] : refused) {
        EXPECT_EQ(outcome.error, invalid) << what << ": " << outcome.describe();
        EXPECT_FALSE(outcome.text.empty()) << what;
    }
    const auto on_linear = call(*bus, {origin, thin_pool_interface, "SetAutoextend",
                                       CallArguments().u(80).u(20).options().words()});
    EXPECT_EQ(on_linear.error, "org.freedesktop.DBus.Error.UnknownMethod") << on_linear.describe();

    for (const auto& difference : differences(before, take_snapshot(*bus, loop_paths())))
        ADD_FAILURE() << "a refused call changed " << difference;
    EXPECT_EQ(property_as<Policy>(thin_pool, thin_pool_interface, "Autoextend"), Policy(80u, 20u, true));
    EXPECT_EQ(property_as<Policy>(snapshot, snapshot_interface, "Autoextend"), Policy(80u, 20u, true));
    EXPECT_EQ(property_as<PoolPolicy>(pool, pool_interface, "ThinPoolAutoextend"), PoolPolicy(80u, 20u));
}

TEST_F(BusAutoextend, AThinPoolWrittenInBurstsGrowsOnItsLowWaterEvent)
{
    const auto pool = create_pool("burst", {new_loop(160 * mib).path(), new_loop(160 * mib).path()});
    // Without error_if_no_space: a burst that outran the growth would wait for it, not fail.
    const auto thin_pool = create_thin_pool(pool, 16 * mib);
    EXPECT_EQ(live_low_water(), low_water_at(16 * mib, 80)) << "the default threshold, 80";
    ASSERT_TRUE(set_autoextend(thin_pool, thin_pool_interface, 50, 100).ok());
    EXPECT_EQ(live_low_water(), low_water_at(16 * mib, 50)) << "SetAutoextend moved it";
    const auto volume = create_thin(thin_pool, "data", 256 * mib);
    const auto device = property_as<std::string>(volume, volume_interface, "DevicePath");

    SignalRecorder recorder(*bus, volumes_signals_match());
    // Each burst takes the pool from below half to 62.5 % of its data in one go; each growth
    // doubles it: 16, 32, 64 and 128 MiB.
    std::uint64_t written = 0;
    std::uint64_t size = 16 * mib;
    std::vector<double> delays_ms;
    for (int burst = 0; burst < 3; ++burst) {
        const auto upto = size * 5 / 8;
        const auto from = recorder.signals().size();
        const auto started = std::chrono::steady_clock::now();
        ASSERT_NO_THROW(write_pattern(device, written, upto - written, 300 + burst)) << "burst " << burst;
        const auto ended = std::chrono::steady_clock::now();
        written = upto;
        std::optional<RecordedSignal> changed;
        ASSERT_TRUE(wait(
            [&] {
                changed = recorder.find(
                    [&](const RecordedSignal& s) {
                        return s.member == "PropertiesChanged" && s.path == thin_pool && s.values.contains("DataSize");
                    },
                    from);
                return changed.has_value();
            },
            fmt::format("burst {}: no PropertiesChanged of DataSize", burst)));
        const auto grown = u64(thin_pool, thin_pool_interface, "DataSize");
        EXPECT_EQ(grown, 2 * size) << "burst " << burst << " grew by one step of 100 %";
        const auto since_end = std::chrono::duration<double, std::milli>(changed->received - ended).count();
        const auto since_start = std::chrono::duration<double, std::milli>(changed->received - started).count();
        delays_ms.push_back(since_end);
        std::printf("burst %d: %llu MiB written in %.0f ms; DataSize %llu -> %llu MiB announced %.0f ms after the "
                    "write ended (%.0f ms after it started)\n",
                    burst, static_cast<unsigned long long>(upto / mib),
                    std::chrono::duration<double, std::milli>(ended - started).count(),
                    static_cast<unsigned long long>(size / mib), static_cast<unsigned long long>(grown / mib), since_end,
                    since_start);
        size = grown;
        EXPECT_EQ(live_low_water(), low_water_at(size, 50)) << "after growth " << burst;
        EXPECT_EQ(property_as<std::string>(thin_pool, thin_pool_interface, "Mode"), "rw");
        EXPECT_LT(u64(thin_pool, thin_pool_interface, "DataUsed"), size);
    }
    EXPECT_FALSE(recorder.find([&](const RecordedSignal& s) {
        return s.member == "PropertiesChanged" && s.path == thin_pool && s.values.contains("Mode");
    })) << "the pool left rw:\n" << recorder.describe();
    EXPECT_FALSE(recorder.find([](const RecordedSignal& s) { return s.member == "SpaceWarning"; }))
        << recorder.describe();
    for (int burst = 0, offset = 0; burst < 3; ++burst) {
        const auto upto = (16 * mib << burst) * 5 / 8;
        EXPECT_TRUE(holds_pattern(device, offset, upto - offset, 300 + burst)) << "burst " << burst;
        offset = static_cast<int>(upto);
    }
    std::printf("growth after the end of each burst (ms):");
    for (const auto delay : delays_ms)
        std::printf(" %.0f", delay);
    std::printf(" (the snapshot poll reads every 2000 ms)\n");

    // Autoextend off: the low water stays where the threshold left it.
    ASSERT_TRUE(set_autoextend(thin_pool, thin_pool_interface, 100, 20).ok());
    EXPECT_EQ(live_low_water(), low_water_at(size, 50));
    ASSERT_TRUE(set_autoextend(thin_pool, thin_pool_interface, 90, 20).ok());
    EXPECT_EQ(live_low_water(), low_water_at(size, 90));
}

}  // namespace
}  // namespace volumes::test
