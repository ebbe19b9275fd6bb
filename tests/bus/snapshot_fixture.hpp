#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "bus_fixture.hpp"
#include "bus_wait.hpp"
#include "signal_recorder.hpp"

namespace volumes::test {

// A linear volume "root" in a pool of two loops, the origin of the snapshot tests.
struct Origin {
    std::string pool_name;
    std::string pool;    // object path
    std::string volume;  // object path
    std::string device;  // /dev/mapper/...
    std::uint64_t size = 0;
};

class BusSnapshot : public BusTest {
protected:
    Origin linear_origin(const std::string& pool_name, std::uint64_t size = 32 * mib);
    std::string create_snapshot(const std::string& origin, const std::string& name, std::uint64_t cow_size);
    // Snapshot.Merge as root; the job's path, "/" when the merge is pending.
    std::string merge_snapshot(const std::string& snapshot);
    // Waits for MergeCompleted from the snapshot's object; fails the test and returns nullopt if
    // none comes.
    std::optional<RecordedSignal> wait_merge_completed(const SignalRecorder& recorder, const std::string& snapshot,
                                                       std::chrono::seconds timeout = std::chrono::seconds(120));
    // Waits until the property equals `expected`; fails the test if it does not in time.
    template <class T>
    void wait_property(const std::string& path, const std::string& interface, const std::string& name,
                       const T& expected, std::chrono::seconds timeout = std::chrono::seconds(30))
    {
        T last{};
        const bool reached = pump_until(
            *bus, [&] { return (last = property_as<T>(path, interface, name)) == expected; }, timeout);
        EXPECT_TRUE(reached) << interface << "." << name << " of " << path << " is still " << ::testing::PrintToString(last)
                             << " after " << timeout.count() << " s, not " << ::testing::PrintToString(expected);
    }
    // The dm devices of the pool (name → flags and live table), from dm_tables().
    static std::map<std::string, std::string> pool_devices(const std::string& pool_name);
    // After a finished merge: the snapshot's object is gone and the origin is one plain linear
    // device again, with no -real or -cow device left.
    void expect_plain_origin(const Origin& origin, const std::string& snapshot);
};

}  // namespace volumes::test
