// Calls sent back to back, before any reply is read, are each answered, and what they leave is
// usable: Remove(v) and CreateVolume(v) of the same name pipelined. volumesd may bring both
// results back to its bus thread in one task; the new object must take the path the removed
// one leaves (it used to fail with EEXIST, lose the reply and leave a null object behind).
// Readers looping GetManagedObjects keep the bus thread busy meanwhile, which makes that more
// likely.
#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/core.h>

#include "bus_fixture.hpp"
#include "bus_wait.hpp"

namespace volumes::test {
namespace {

using namespace std::chrono_literals;
using Options = std::map<std::string, sdbus::Variant>;
using ManagedObjects = std::map<sdbus::ObjectPath, std::map<std::string, std::map<std::string, sdbus::Variant>>>;

// How a pipelined call ended: "" for a reply, "<error name>: <message>" otherwise.
std::string outcome_of(const sdbus::Error* error)
{
    return error ? fmt::format("{}: {}", error->getName(), error->getMessage()) : std::string();
}

// GetManagedObjects in a loop on connections of their own, until stopped; every call must be answered.
class Readers {
public:
    explicit Readers(int count)
    {
        for (int i = 0; i < count; ++i)
            threads_.emplace_back([this] {
                auto bus = sdbus::createSystemBusConnection();
                auto manager = sdbus::createProxy(*bus, volumes_bus_name, manager_path);
                while (!stop_) {
                    try {
                        ManagedObjects objects;
                        manager->callMethod("GetManagedObjects").onInterface(object_manager_interface).storeResultsTo(objects);
                        ++answered_;
                    } catch (const sdbus::Error& error) {
                        ++failed_;
                        last_error_ = error.getName();
                    }
                }
            });
    }
    ~Readers() { stop(); }
    void stop()
    {
        stop_ = true;
        for (auto& thread : threads_)
            if (thread.joinable())
                thread.join();
    }
    int answered() const { return answered_; }
    int failed() const { return failed_; }
    std::string last_error() const { return last_error_; }

private:
    std::atomic<bool> stop_ = false;
    std::atomic<int> answered_ = 0;
    std::atomic<int> failed_ = 0;
    std::string last_error_;  // read after stop()
    std::vector<std::thread> threads_;
};

class BusPipelinedCalls : public BusTest {};

TEST_F(BusPipelinedCalls, RemoveThenCreateOfTheSameNameAreBothAnsweredAndTheNewVolumeIsUsable)
{
    const auto& a = new_loop(128 * mib);
    const auto pool = create_pool("pipelined", {a.path()});
    auto volume = create_volume(pool, "v", 4 * mib);
    EXPECT_EQ(volume, volume_path("pipelined", "v"));

    Readers readers(3);
    auto pool_proxy = sdbus::createProxy(*bus, volumes_bus_name, pool);
    auto volume_proxy = sdbus::createProxy(*bus, volumes_bus_name, volume);
    constexpr int rounds = 8;
    for (int round = 1; round <= rounds; ++round) {
        SCOPED_TRACE(fmt::format("round {}", round));
        // A size of its own each round, so the properties read afterwards are the new volume's.
        const std::uint64_t size = static_cast<std::uint64_t>(4 + 4 * (round % 4 + 1)) * mib;
        std::optional<std::string> removed;
        std::optional<std::string> created;
        std::string created_path;
        // Both are sent before either reply is read.
        auto remove = volume_proxy->callMethodAsync("Remove")
                          .onInterface(volume_interface)
                          .withTimeout(60s)
                          .withArguments(Options{})
                          .uponReplyInvoke([&](const sdbus::Error* error) { removed = outcome_of(error); });
        auto create = pool_proxy->callMethodAsync("CreateVolume")
                          .onInterface(pool_interface)
                          .withTimeout(60s)
                          .withArguments(std::string("v"), size, Options{})
                          .uponReplyInvoke([&](const sdbus::Error* error, sdbus::ObjectPath path) {
                              created = outcome_of(error);
                              created_path = path;
                          });
        ASSERT_TRUE(pump_until(*bus, [&] { return removed && created; }, 90s))
            << "answered: Remove " << (removed ? "yes" : "no") << ", CreateVolume " << (created ? "yes" : "no");
        EXPECT_EQ(*removed, "") << "Remove";
        ASSERT_EQ(*created, "") << "CreateVolume";
        EXPECT_EQ(created_path, volume);

        // The new object answers for the new volume.
        EXPECT_EQ(property_as<std::string>(volume, volume_interface, "Name"), "v");
        EXPECT_EQ(property_as<std::uint64_t>(volume, volume_interface, "Size"), size);
        EXPECT_TRUE(property_as<bool>(volume, volume_interface, "Active"));
        EXPECT_EQ(property_as<std::string>(volume, volume_interface, "Kind"), "linear");
    }
    readers.stop();
    EXPECT_GT(readers.answered(), 0);
    EXPECT_EQ(readers.failed(), 0) << "GetManagedObjects failed, last with " << readers.last_error();

    // It can be removed again, and then it is gone.
    call_volume(volume, "Remove");
    const auto gone = call(*bus, {volume, "org.freedesktop.DBus.Properties", "Get",
                                  CallArguments().s(volume_interface).s("Name").words()});
    EXPECT_FALSE(gone.ok()) << gone.describe();
    EXPECT_EQ(property_as<std::uint64_t>(pool, pool_interface, "Free"), property_as<std::uint64_t>(pool, pool_interface, "Size"));
}

}  // namespace
}  // namespace volumes::test
