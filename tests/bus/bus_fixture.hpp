#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sdbus-c++/sdbus-c++.h>

#include "call_arguments.hpp"
#include "calls.hpp"
#include "object_paths.hpp"
#include "tests/kernel/support/loop_device.hpp"

namespace volumes::test {

inline constexpr std::uint64_t mib = 1024 * 1024;

// Every bus test talks to the volumesd that bus activation starts in the guest, as root on
// a connection of its own. Its loop devices belong to the fixture, so that at the end
// volumesd is stopped and the pools' dm devices are removed before they are detached; the
// next test's first call then activates a fresh volumesd that finds no pool.
class BusTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    const LoopDevice& new_loop(std::uint64_t size = 64 * mib);
    std::vector<std::string> loop_paths() const;  // every loop of this test

    // Root calls that must succeed (they throw otherwise); they return the new object's path.
    std::string create_pool(const std::string& name, const std::vector<std::string>& devices,
                            const std::vector<CallArguments::Option>& options = {});
    std::string create_volume(const std::string& pool, const std::string& name, std::uint64_t size,
                              const std::vector<CallArguments::Option>& options = {});
    std::string split_track(const std::string& raid1, const std::vector<CallArguments::Option>& options = {});
    std::string merge(const std::string& tracked_image);  // returns the job
    void call_volume(const std::string& volume, const std::string& method);  // Activate, Deactivate, Remove

    sdbus::Variant property(const std::string& path, const std::string& interface, const std::string& name);
    template <class T>
    T property_as(const std::string& path, const std::string& interface, const std::string& name)
    {
        return property(path, interface, name).get<T>();
    }

    // Waits (dispatching signals meanwhile) until the array is idle, fully in sync and
    // every image alive; throws on timeout.
    void wait_raid1_in_sync(const std::string& raid1, std::chrono::seconds timeout = std::chrono::seconds(120));
    // Waits until the job's Finished property is true; throws on timeout.
    void wait_job_finished(const std::string& job, std::chrono::seconds timeout = std::chrono::seconds(120));

    std::unique_ptr<sdbus::IConnection> bus;

private:
    std::vector<std::unique_ptr<LoopDevice>> loops_;
};

}  // namespace volumes::test
