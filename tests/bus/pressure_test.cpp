// Fifty clients at once on two pools, each on its own bus connection: CreateVolume,
// Deactivate, Activate and (every other client) Remove, while three readers loop on
// GetManagedObjects. Every call is answered with success, and the end state agrees three
// ways: the exported objects, the kernel's dm devices and each pool's free space (its
// metadata) name exactly the volumes that were kept; no dm device is left over.
#include <atomic>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/core.h>

#include "bus_fixture.hpp"
#include "state_snapshot.hpp"

namespace volumes::test {
namespace {

constexpr unsigned kClients = 50;
constexpr unsigned kReaders = 3;

class BusPressure : public BusTest {};

TEST_F(BusPressure, FiftyClientsOnTwoPoolsAreAllAnsweredAndTheEndStateAgrees)
{
    const std::vector<std::string> pools{create_pool("p0", {new_loop(128 * mib).path(), new_loop(128 * mib).path()}),
                                         create_pool("p1", {new_loop(128 * mib).path(), new_loop(128 * mib).path()})};
    const auto size = property_as<std::uint64_t>(pools[0], pool_interface, "Size");

    std::mutex lock;
    std::vector<std::string> failures;
    std::atomic<unsigned> answered{0};
    std::atomic<bool> clients_done{false};
    std::atomic<unsigned> reads{0};
    const auto fail = [&](std::string what) {
        std::lock_guard guard(lock);
        failures.push_back(std::move(what));
    };

    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> readers;
    for (unsigned r = 0; r < kReaders; ++r)
        readers.emplace_back([&] {
            auto connection = sdbus::createSystemBusConnection();
            while (!clients_done) {
                try {
                    exported_objects(*connection);
                    ++reads;
                } catch (const std::exception& error) {
                    fail(fmt::format("GetManagedObjects: {}", error.what()));
                    return;
                }
            }
        });
    std::vector<std::thread> clients;
    for (unsigned i = 0; i < kClients; ++i)
        clients.emplace_back([&, i] {
            auto connection = sdbus::createSystemBusConnection();
            const auto& pool = pools[i % 2];
            const auto name = fmt::format("c{}", i);
            auto step = [&](const Call& request) -> std::optional<Outcome> {
                auto outcome = call(*connection, request);
                ++answered;
                if (!outcome.ok()) {
                    fail(fmt::format("client {}: {} -> {}", i, request.describe(), outcome.describe()));
                    return std::nullopt;
                }
                return outcome;
            };
            const auto created =
                step({pool, pool_interface, "CreateVolume", CallArguments().s(name).t(4 * mib).options().words()});
            if (!created)
                return;
            const auto& volume = created->text;
            for (const char* method : {"Deactivate", "Activate"})
                if (!step({volume, volume_interface, method, CallArguments().options().words()}))
                    return;
            if (i % 2 == 1)
                step({volume, volume_interface, "Remove", CallArguments().options().words()});
        });
    for (auto& client : clients)
        client.join();
    clients_done = true;
    for (auto& reader : readers)
        reader.join();
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    std::cout << fmt::format("{} clients: {} calls answered in {:.1f} s, {} GetManagedObjects meanwhile\n", kClients,
                             answered.load(), static_cast<double>(took.count()) / 1000.0, reads.load());
    for (const auto& failure : failures)
        ADD_FAILURE() << failure;
    EXPECT_EQ(answered.load(), kClients * 3 + kClients / 2);

    // Kept: the even clients' volumes, 13 on p0 (0, 2, ... 48 → half on each pool) and so on.
    std::set<std::string> kept_objects, kept_devices;
    std::uint64_t kept_on[2] = {0, 0};
    for (unsigned i = 0; i < kClients; i += 2) {
        const auto pool = fmt::format("p{}", i % 2);
        kept_objects.insert(volume_path(pool, fmt::format("c{}", i)));
        kept_devices.insert(fmt::format("volumes-{}-c{}", pool, i));
        ++kept_on[i % 2];
    }
    std::set<std::string> volume_objects;
    for (const auto& path : exported_objects(*bus))
        if (path.starts_with("/org/example/Volumes/volumes/"))
            volume_objects.insert(path);
    EXPECT_EQ(volume_objects, kept_objects);
    std::set<std::string> devices;
    for (const auto& [name, table] : dm_tables())
        if (name.starts_with("volumes-p0-") || name.starts_with("volumes-p1-"))
            devices.insert(name);
    EXPECT_EQ(devices, kept_devices) << "the kernel's devices differ from the volumes kept";
    for (unsigned p = 0; p < 2; ++p) {
        EXPECT_EQ(property_as<std::uint64_t>(pools[p], pool_interface, "Free"), size - kept_on[p] * 4 * mib) << pools[p];
        EXPECT_TRUE(property_as<std::vector<std::string>>(pools[p], pool_interface, "Problems").empty()) << pools[p];
    }
}

}  // namespace
}  // namespace volumes::test
