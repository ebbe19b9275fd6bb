// Incremental backup from thin snapshots over the bus (kernel-targets.md §3.4): a thin volume,
// snapshot A, writes to known blocks, snapshot B, ReserveMetadataSnap, and thin_delta on the
// returned metadata device and root reports exactly the blocks written between A and B.
#include <regex>
#include <set>

#include "bus_fixture.hpp"
#include "bus_wait.hpp"
#include "process.hpp"
#include "state_snapshot.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "volumesd_control.hpp"

namespace volumes::test {
namespace {

using namespace std::chrono_literals;

constexpr std::uint64_t block = 64 * 1024;  // the thin pool's default block size
constexpr std::uint64_t thin_size = 32 * mib;

struct ThinWorld {
    std::string pool;
    std::string thin_pool;
    std::string volume;
    std::string device;
};

struct Hold {
    std::uint64_t root = 0;
    std::string device;
    std::uint64_t transaction_id = 0;
};

class BusThinBackup : public BusTest {
protected:
    ThinWorld thin_world(const std::string& pool_name)
    {
        ThinWorld world;
        world.pool = create_pool(pool_name, {new_loop().path(), new_loop().path()});
        world.thin_pool = call_ok(*bus, {world.pool, pool_interface, "CreateThinPool",
                                         CallArguments().s("tp").t(64 * mib).t(4 * mib).options().words()});
        world.volume = call_ok(*bus, {world.thin_pool, thin_pool_interface, "CreateThin",
                                      CallArguments().s("data").t(thin_size).options().words()});
        world.device = property_as<std::string>(world.volume, volume_interface, "DevicePath");
        return world;
    }

    std::string thin_snapshot(const std::string& origin, const std::string& name)
    {
        return call_ok(*bus, {origin, volume_interface, "CreateSnapshot", CallArguments().s(name).t(0).options().words()});
    }

    Hold reserve(const std::string& thin_pool)
    {
        Hold hold;
        auto proxy = sdbus::createProxy(*bus, volumes_bus_name, thin_pool);
        proxy->callMethod("ReserveMetadataSnap")
            .onInterface(thin_pool_interface)
            .withArguments(std::map<std::string, sdbus::Variant>{})
            .storeResultsTo(hold.root, hold.device, hold.transaction_id);
        return hold;
    }

    Outcome thin_pool_call(const std::string& thin_pool, const std::string& method)
    {
        return call(*bus, {thin_pool, thin_pool_interface, method, CallArguments().options().words()});
    }
};

// The data blocks thin_delta reports as differing between the two thin ids.
std::set<std::uint64_t> changed_blocks(const Hold& hold, std::uint32_t left, std::uint32_t right)
{
    const auto delta = run_process({"thin_delta", "-m" + std::to_string(hold.root), "--snap1", std::to_string(left),
                                    "--snap2", std::to_string(right), hold.device});
    if (delta.status != 0)
        throw std::runtime_error("thin_delta: " + delta.describe());
    std::set<std::uint64_t> blocks;
    const std::regex range(R"re(<(different|left_only|right_only) begin="(\d+)" length="(\d+)")re");
    for (std::sregex_iterator it(delta.out.begin(), delta.out.end(), range), end; it != end; ++it) {
        const auto begin = std::stoull((*it)[2]);
        const auto length = std::stoull((*it)[3]);
        for (auto b = begin; b < begin + length; ++b)
            blocks.insert(b);
    }
    return blocks;
}

TEST_F(BusThinBackup, ThinDeltaOnTheHeldMetadataReportsExactlyTheBlocksWrittenBetweenTwoSnapshots)
{
    const auto world = thin_world("backup");
    EXPECT_EQ(property_as<std::string>(world.thin_pool, volume_interface, "Kind"), "thin_pool");
    EXPECT_EQ(property_as<std::string>(world.thin_pool, thin_pool_interface, "Mode"), "rw");
    EXPECT_EQ(property_as<std::uint64_t>(world.thin_pool, thin_pool_interface, "HeldMetadataRoot"), 0u);
    EXPECT_EQ(property_as<std::uint32_t>(world.volume, thin_interface, "ThinId"), 0u);
    EXPECT_EQ(property_as<sdbus::ObjectPath>(world.volume, thin_interface, "ThinPool"), world.thin_pool);
    const auto first_transaction = property_as<std::uint64_t>(world.thin_pool, thin_pool_interface, "TransactionId");

    write_pattern(world.device, 0, thin_size, 61);
    const auto a = thin_snapshot(world.volume, "a");
    EXPECT_EQ(property_as<std::string>(a, volume_interface, "Kind"), "thin");
    const auto a_id = property_as<std::uint32_t>(a, thin_interface, "ThinId");
    const std::set<std::uint64_t> written{3, 10, 11, 100};
    for (const auto b : written)
        write_pattern(world.device, b * block, block, 62 + b);
    const auto b_snapshot = thin_snapshot(world.volume, "b");
    const auto b_id = property_as<std::uint32_t>(b_snapshot, thin_interface, "ThinId");
    EXPECT_NE(a_id, b_id);
    EXPECT_EQ(property_as<std::uint64_t>(world.thin_pool, thin_pool_interface, "TransactionId"), first_transaction + 2)
        << "each thin snapshot advances the transaction id by one";
    EXPECT_TRUE(holds_pattern(property_as<std::string>(a, volume_interface, "DevicePath"), 0, thin_size, 61))
        << "snapshot A does not hold the volume as it was";

    const auto hold = reserve(world.thin_pool);
    EXPECT_EQ(hold.device, property_as<std::string>(world.thin_pool, thin_pool_interface, "MetadataDevice"));
    EXPECT_EQ(hold.transaction_id, first_transaction + 2);
    EXPECT_NE(hold.root, 0u);
    EXPECT_EQ(property_as<std::uint64_t>(world.thin_pool, thin_pool_interface, "HeldMetadataRoot"), hold.root);
    EXPECT_EQ(changed_blocks(hold, a_id, b_id), written);

    ASSERT_TRUE(thin_pool_call(world.thin_pool, "ReleaseMetadataSnap").ok());
    EXPECT_EQ(property_as<std::uint64_t>(world.thin_pool, thin_pool_interface, "HeldMetadataRoot"), 0u);

    // Removing the thin volumes gives their blocks back to the pool.
    const auto used = property_as<std::uint64_t>(world.thin_pool, thin_pool_interface, "DataUsed");
    EXPECT_GE(used, thin_size);
    for (const auto& volume : {b_snapshot, a, world.volume})
        call_volume(volume, "Remove");
    EXPECT_TRUE(pump_until(
        *bus, [&] { return property_as<std::uint64_t>(world.thin_pool, thin_pool_interface, "DataUsed") == 0; }, 10s))
        << "the thin pool still uses " << property_as<std::uint64_t>(world.thin_pool, thin_pool_interface, "DataUsed")
        << " bytes after every thin volume was removed";
}

TEST_F(BusThinBackup, ASecondReserveAReleaseWithoutHoldAndAnUnprivilegedReserveAreRefused)
{
    const auto world = thin_world("refusals");
    const auto hold = reserve(world.thin_pool);
    const auto before = take_snapshot(*bus, loop_paths());
    const auto second = thin_pool_call(world.thin_pool, "ReserveMetadataSnap");
    EXPECT_EQ(second.error, "org.example.Volumes.Error.Busy") << second.describe();
    EXPECT_NE(second.text.find("release"), std::string::npos) << second.describe();
    const auto refused_release = call_as(unprivileged,
                                      {world.thin_pool, thin_pool_interface, "ReleaseMetadataSnap",
                                       CallArguments().options({{"auth.no_user_interaction", "b", "true"}}).words()});
    EXPECT_EQ(refused_release.error, "org.example.Volumes.Error.NotAuthorized") << refused_release.describe();
    for (const auto& difference : differences(before, take_snapshot(*bus, loop_paths())))
        ADD_FAILURE() << "a refused call changed " << difference;
    EXPECT_EQ(property_as<std::uint64_t>(world.thin_pool, thin_pool_interface, "HeldMetadataRoot"), hold.root);

    ASSERT_TRUE(thin_pool_call(world.thin_pool, "ReleaseMetadataSnap").ok());
    const auto after_release = take_snapshot(*bus, loop_paths());
    const auto without_hold = thin_pool_call(world.thin_pool, "ReleaseMetadataSnap");
    EXPECT_EQ(without_hold.error, "org.example.Volumes.Error.NotFound") << without_hold.describe();
    const auto reserve_unprivileged = call_as(unprivileged,
                                              {world.thin_pool, thin_pool_interface, "ReserveMetadataSnap",
                                               CallArguments().options({{"auth.no_user_interaction", "b", "true"}}).words()});
    EXPECT_EQ(reserve_unprivileged.error, "org.example.Volumes.Error.NotAuthorized") << reserve_unprivileged.describe();
    for (const auto& difference : differences(after_release, take_snapshot(*bus, loop_paths())))
        ADD_FAILURE() << "a refused call changed " << difference;
    EXPECT_EQ(property_as<std::uint64_t>(world.thin_pool, thin_pool_interface, "HeldMetadataRoot"), 0u);
}

TEST_F(BusThinBackup, AHeldMetadataSnapshotOutlivesARestartAndIsReleasedAfterIt)
{
    const auto world = thin_world("restart");
    write_pattern(world.device, 0, 4 * mib, 71);
    const auto hold = reserve(world.thin_pool);
    stop_volumesd(*bus);
    EXPECT_EQ(property_as<std::uint64_t>(world.thin_pool, thin_pool_interface, "HeldMetadataRoot"), hold.root)
        << "the restarted volumesd does not show the held root";
    ASSERT_TRUE(thin_pool_call(world.thin_pool, "ReleaseMetadataSnap").ok());
    EXPECT_EQ(property_as<std::uint64_t>(world.thin_pool, thin_pool_interface, "HeldMetadataRoot"), 0u);
    EXPECT_TRUE(holds_pattern(world.device, 0, 4 * mib, 71));
}

TEST_F(BusThinBackup, AFullThinPoolShowsOutOfDataSpaceAndBelowLowWater)
{
    const auto pool = create_pool("full", {new_loop().path()});
    const auto thin_pool =
        call_ok(*bus, {pool, pool_interface, "CreateThinPool",
                       CallArguments().s("tp").t(4 * mib).t(4 * mib).options({{"error_if_no_space", "b", "true"}}).words()});
    // Autoextend would grow it from the pool's free extents: off, so that it fills.
    const auto off = call(*bus, {thin_pool, thin_pool_interface, "SetAutoextend", CallArguments().u(100).u(20).options().words()});
    ASSERT_TRUE(off.ok()) << off.describe();
    const auto volume = call_ok(*bus, {thin_pool, thin_pool_interface, "CreateThin",
                                       CallArguments().s("big").t(16 * mib).options().words()});
    EXPECT_EQ(property_as<std::string>(thin_pool, thin_pool_interface, "Mode"), "rw");
    EXPECT_FALSE(property_as<bool>(thin_pool, thin_pool_interface, "BelowLowWater"));
    EXPECT_EQ(property_as<std::uint64_t>(thin_pool, thin_pool_interface, "DataSize"), 4 * mib);

    // 8 MiB into 4 MiB of data space: with error_if_no_space the writes beyond it fail.
    EXPECT_ANY_THROW(write_pattern(property_as<std::string>(volume, volume_interface, "DevicePath"), 0, 8 * mib, 81));
    EXPECT_TRUE(pump_until(
        *bus, [&] { return property_as<std::string>(thin_pool, thin_pool_interface, "Mode") == "out_of_data_space"; },
        15s))
        << "Mode is still " << property_as<std::string>(thin_pool, thin_pool_interface, "Mode");
    EXPECT_TRUE(property_as<bool>(thin_pool, thin_pool_interface, "BelowLowWater"));
    EXPECT_EQ(property_as<std::uint64_t>(thin_pool, thin_pool_interface, "DataUsed"), 4 * mib);
}

}  // namespace
}  // namespace volumes::test
