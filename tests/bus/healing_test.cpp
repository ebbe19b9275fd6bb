// A change that fails after its metadata commit (VOLUMESD_FAULT=<point>:fail-at=<n>: the
// steps after that point are not done, in the daemon's n-th transaction) heals without a restart: the caller is told the
// change is committed, the pool's Problems say it is being healed, and within seconds the
// devices agree with the metadata again, with no dm device left over and the new volume
// usable.
#include <algorithm>
#include <iostream>
#include <thread>

#include <fmt/core.h>

#include "bus_fixture.hpp"
#include "bus_wait.hpp"
#include "process.hpp"
#include "state_snapshot.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "volumesd_control.hpp"

namespace volumes::test {
namespace {

constexpr const char* failed = "org.example.Volumes.Error.Failed";

class BusHealing : public BusTest {
protected:
    // volumesd started by hand with the fault set, in place of the bus-activated one.
    std::unique_ptr<BackgroundProcess> start_faulty_volumesd(const std::string& fault)
    {
        stop_volumesd(*bus);
        auto daemon = std::make_unique<BackgroundProcess>(
            std::vector<std::string>{"env", "VOLUMESD_FAULT=" + fault, VOLUMESD_INSTALLED_PATH});
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!volumesd_running(*bus)) {
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("volumesd with VOLUMESD_FAULT=" + fault + " did not take its bus name");
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return daemon;
    }

    std::vector<std::string> problems(const std::string& pool)
    {
        return property_as<std::vector<std::string>>(pool, pool_interface, "Problems");
    }

    // Waits until the pool has no problem; returns how long that took.
    std::chrono::milliseconds wait_healed(const std::string& pool)
    {
        const auto start = std::chrono::steady_clock::now();
        const bool healed = pump_until(*bus, [&] { return problems(pool).empty(); }, std::chrono::seconds(60));
        if (!healed)
            ADD_FAILURE() << "not healed within 60 s: " << problems(pool).front();
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    }

    static bool mentions(const std::vector<std::string>& problems, const std::string& words)
    {
        return std::any_of(problems.begin(), problems.end(),
                           [&](const std::string& problem) { return problem.find(words) != std::string::npos; });
    }
};

TEST_F(BusHealing, ANewVolumeLeftUnresumedAfterTheCommitIsResumed)
{
    // Started with no pool, the daemon's first transaction is the CreateVolume.
    auto daemon = start_faulty_volumesd("committed:fail-at=1");
    const auto pool = create_pool("heal", {new_loop().path(), new_loop().path()});

    const auto created = call(*bus, {pool, pool_interface, "CreateVolume",
                                     CallArguments().s("fresh").t(8 * mib).options().words()});
    ASSERT_EQ(created.error, failed) << created.describe();
    EXPECT_NE(created.text.find("the change is committed"), std::string::npos) << created.text;
    EXPECT_NE(created.text.find("heals"), std::string::npos) << created.text;
    const auto before_healing = dm_tables();
    ASSERT_TRUE(before_healing.contains("volumes-heal-fresh"));
    EXPECT_NE(before_healing.at("volumes-heal-fresh").find("live=false"), std::string::npos)
        << "the fault left nothing to heal: " << before_healing.at("volumes-heal-fresh");
    const auto meanwhile = problems(pool);
    EXPECT_TRUE(mentions(meanwhile, "healing")) << "Problems right after the failed call: " << ::testing::PrintToString(meanwhile);

    const auto took = wait_healed(pool);
    std::cout << fmt::format("healed {} ms after the failed CreateVolume was answered\n", took.count());
    const auto volume = volume_path("heal", "fresh");
    EXPECT_TRUE(property_as<bool>(volume, volume_interface, "Active"));
    const auto tables = dm_tables();
    ASSERT_TRUE(tables.contains("volumes-heal-fresh")) << "no device for the committed volume";
    EXPECT_NE(tables.at("volumes-heal-fresh").find("suspended=false live=true inactive=false"), std::string::npos)
        << "the volume's device is not live and resumed: " << tables.at("volumes-heal-fresh");
    write_pattern("/dev/mapper/volumes-heal-fresh", 0, 8 * mib, 71);
    EXPECT_TRUE(holds_pattern("/dev/mapper/volumes-heal-fresh", 0, 8 * mib, 71));
}

TEST_F(BusHealing, ARemovedVolumesDeviceLeftBehindAfterTheCommitIsRemoved)
{
    // Started with no pool: two CreateVolume, then the Remove is its third transaction.
    auto daemon = start_faulty_volumesd("resumed:fail-at=3");
    const auto pool = create_pool("heal", {new_loop().path(), new_loop().path()});
    const auto doomed = create_volume(pool, "doomed", 8 * mib);
    create_volume(pool, "kept", 4 * mib);

    const auto removed = call(*bus, {doomed, volume_interface, "Remove", CallArguments().options().words()});
    ASSERT_EQ(removed.error, failed) << removed.describe();
    EXPECT_NE(removed.text.find("the change is committed"), std::string::npos) << removed.text;
    EXPECT_TRUE(mentions(problems(pool), "healing")) << ::testing::PrintToString(problems(pool));
    EXPECT_TRUE(dm_tables().contains("volumes-heal-doomed")) << "the fault left nothing to heal";

    const auto took = wait_healed(pool);
    std::cout << fmt::format("healed {} ms after the failed Remove was answered\n", took.count());
    const auto tables = dm_tables();
    EXPECT_FALSE(tables.contains("volumes-heal-doomed")) << "the removed volume's device is still there";
    EXPECT_TRUE(tables.contains("volumes-heal-kept"));
}

TEST_F(BusHealing, AFailureAfterTheLastRemovalLeavesNothingToHeal)
{
    auto daemon = start_faulty_volumesd("removed:fail-at=2");
    const auto pool = create_pool("heal", {new_loop().path(), new_loop().path()});
    const auto doomed = create_volume(pool, "doomed", 8 * mib);

    const auto removed = call(*bus, {doomed, volume_interface, "Remove", CallArguments().options().words()});
    ASSERT_EQ(removed.error, failed) << removed.describe();
    EXPECT_NE(removed.text.find("the change is committed"), std::string::npos) << removed.text;
    EXPECT_EQ(removed.text.find("heals"), std::string::npos) << "nothing was left to heal: " << removed.text;
    EXPECT_TRUE(problems(pool).empty()) << problems(pool).front();
    EXPECT_FALSE(dm_tables().contains("volumes-heal-doomed"));
}

}  // namespace
}  // namespace volumes::test
