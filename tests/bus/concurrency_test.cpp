// Changes to different pools run side by side: while pool B's CreateVolume is held inside its
// transaction (VOLUMESD_FAULT=suspended:hold-at=1, devices suspended), a CreateVolume on pool
// A completes and GetManagedObjects and B's properties answer; B's call then completes too.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <thread>

#include <fmt/core.h>

#include "bus_fixture.hpp"
#include "service/executor/fault_point.hpp"
#include "process.hpp"
#include "state_snapshot.hpp"
#include "volumesd_control.hpp"

namespace volumes::test {
namespace {

class BusConcurrency : public BusTest {};

TEST_F(BusConcurrency, AChangeOnOnePoolCompletesWhileAnotherPoolsChangeIsHeld)
{
    const std::filesystem::path hold = executor::kFaultHoldFile;
    stop_volumesd(*bus);
    // Started with no pool, the daemon's first transaction is B's CreateVolume.
    BackgroundProcess daemon({"env", "VOLUMESD_FAULT=suspended:hold-at=1", VOLUMESD_INSTALLED_PATH});
    const auto started = std::chrono::steady_clock::now();
    while (!volumesd_running(*bus)) {
        ASSERT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60)) << "volumesd did not start";
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const auto a = create_pool("a", {new_loop().path()});
    const auto b = create_pool("b", {new_loop().path()});

    std::ofstream(hold) << "held by the concurrency test\n";
    struct RemoveHold {
        std::filesystem::path path;
        ~RemoveHold() { std::filesystem::remove(path); }
    } remove_hold{hold};
    auto held = std::async(std::launch::async, [&] {
        auto connection = sdbus::createSystemBusConnection();
        return call(*connection, {b, pool_interface, "CreateVolume", CallArguments().s("held").t(8 * mib).options().words()});
    });
    // B's device exists once its transaction passed "created"; it stays suspended at "suspended".
    const auto wait_start = std::chrono::steady_clock::now();
    while (!dm_tables().contains("volumes-b-held")) {
        ASSERT_LT(std::chrono::steady_clock::now() - wait_start, std::chrono::seconds(60))
            << "B's transaction never created its device";
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }

    const auto before_a = std::chrono::steady_clock::now();
    const auto on_a = call(*bus, {a, pool_interface, "CreateVolume", CallArguments().s("free").t(4 * mib).options().words()});
    const auto a_took = std::chrono::steady_clock::now() - before_a;
    ASSERT_TRUE(on_a.ok()) << on_a.describe();
    EXPECT_TRUE(property_as<bool>(on_a.text, volume_interface, "Active"));
    EXPECT_EQ(held.wait_for(std::chrono::seconds(0)), std::future_status::timeout)
        << "B's call was answered while its transaction was held: the hold proved nothing";
    EXPECT_FALSE(exported_objects(*bus).empty());
    EXPECT_TRUE(property_as<std::vector<std::string>>(b, pool_interface, "Problems").empty());
    std::cout << fmt::format("CreateVolume on pool a took {} ms while pool b's change was held\n",
                             std::chrono::duration_cast<std::chrono::milliseconds>(a_took).count());

    std::filesystem::remove(hold);
    ASSERT_EQ(held.wait_for(std::chrono::seconds(120)), std::future_status::ready) << "B's call never completed";
    const auto on_b = held.get();
    ASSERT_TRUE(on_b.ok()) << on_b.describe();
    EXPECT_TRUE(property_as<bool>(on_b.text, volume_interface, "Active"));
}

}  // namespace
}  // namespace volumes::test
