// The ObjectTree against a dbus-daemon of the test's own: a volume's path is free again as soon
// as the volume goes, so a Remove and a CreateVolume of the same name that come back in one
// bus task both show; yet a reply to a call made on a gone volume can still be sent in that
// task; an object that cannot be exported leaves no entry behind; a change of Raid1.Health,
// Volume.Unavailable or the pool's missing and failed members is signalled, and the tree's
// watcher sees each volume before its object changes.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <sdbus-c++/sdbus-c++.h>

#include "private_bus.hpp"
#include "run_loop.hpp"
#include "service/bus/bus_loop.hpp"
#include "service/bus/object_paths.hpp"
#include "service/bus/objects/object_tree.hpp"

namespace volumes::bus {
namespace {

constexpr std::uint64_t mib = 1024 * 1024;
constexpr const char* volume_interface = "org.example.Volumes.Volume";

// The tree's objects hand calls on; these tests keep the CreateSnapshot calls unanswered.
class HeldCalls final : public MethodCalls {
public:
    std::vector<sdbus::Result<sdbus::ObjectPath>> snapshots;

public:
    void create_pool(CallContext, std::string, std::vector<std::string>, sdbus::Result<sdbus::ObjectPath>) override {}
    void import_pool(CallContext, std::string, sdbus::Result<sdbus::ObjectPath>) override {}
    void create_volume(CallContext, std::string, std::string, std::uint64_t, sdbus::Result<sdbus::ObjectPath>) override {}
    void create_thin_pool(CallContext, std::string, std::string, std::uint64_t, std::uint64_t,
                          sdbus::Result<sdbus::ObjectPath>) override
    {
    }
    void destroy_pool(CallContext, std::string, sdbus::Result<>) override {}
    void add_member(CallContext, std::string, std::string, sdbus::Result<>) override {}
    void remove_member(CallContext, std::string, std::string, sdbus::Result<>) override {}
    void evacuate_member(CallContext, std::string, std::string, sdbus::Result<sdbus::ObjectPath>) override {}
    void create_snapshot(CallContext, VolumeRef, std::string, std::uint64_t,
                         sdbus::Result<sdbus::ObjectPath> result) override
    {
        snapshots.push_back(std::move(result));
    }
    void remove_volume(CallContext, VolumeRef, sdbus::Result<>) override {}
    void activate(CallContext, VolumeRef, sdbus::Result<>) override {}
    void deactivate(CallContext, VolumeRef, sdbus::Result<>) override {}
    void resize_volume(CallContext, VolumeRef, std::uint64_t, sdbus::Result<std::uint64_t, std::string>) override {}
    void rename_volume(CallContext, VolumeRef, std::string, sdbus::Result<sdbus::ObjectPath>) override {}
    void convert_to_raid1(CallContext, VolumeRef, sdbus::Result<sdbus::ObjectPath>) override {}
    void split_track(CallContext, VolumeRef, sdbus::Result<sdbus::ObjectPath>) override {}
    void split(CallContext, VolumeRef, std::string, sdbus::Result<sdbus::ObjectPath>) override {}
    void merge_tracked_image(CallContext, VolumeRef, sdbus::Result<sdbus::ObjectPath>) override {}
    void repair_raid1(CallContext, VolumeRef, sdbus::Result<sdbus::ObjectPath>) override {}
    void add_raid1_image(CallContext, VolumeRef, sdbus::Result<sdbus::ObjectPath>) override {}
    void remove_raid1_image(CallContext, VolumeRef, std::uint32_t, sdbus::Result<>) override {}
    void merge_snapshot(CallContext, VolumeRef, sdbus::Result<sdbus::ObjectPath, bool>) override {}
    void create_thin(CallContext, VolumeRef, std::string, std::uint64_t, sdbus::Result<sdbus::ObjectPath>) override {}
    void reserve_metadata_snap(CallContext, VolumeRef,
                               sdbus::Result<std::uint64_t, std::string, std::uint64_t>) override
    {
    }
    void release_metadata_snap(CallContext, VolumeRef, sdbus::Result<>) override {}
    void resize_thin_pool(CallContext, VolumeRef, std::uint64_t, std::uint64_t, sdbus::Result<>) override {}
    void cancel_job(CallContext, std::uint64_t, sdbus::Result<>) override {}
    void set_pool_autoextend(CallContext, std::string, std::string, std::uint32_t, std::uint32_t,
                             sdbus::Result<>) override
    {
    }
    void set_volume_autoextend(CallContext, VolumeRef, std::uint32_t, std::uint32_t, sdbus::Result<>) override {}
};

VolumeState linear(const std::string& name, std::uint64_t size)
{
    VolumeState volume;
    volume.pool = "tank";
    volume.name = name;
    volume.uuid = "00000000-0000-4000-8000-00000000000" + std::to_string(size / mib % 10);
    volume.kind = "linear";
    volume.size = size;
    volume.device_path = "/dev/mapper/volumes-tank-" + name;
    volume.active = true;
    return volume;
}

VolumeState mirror(const char* health, const char* second_image)
{
    VolumeState volume = linear("mirror", 8 * mib);
    volume.kind = "raid1";
    volume.raid1 = Raid1State{};
    volume.raid1->images = {{0, "alive", "aaaa"}, {1, second_image, "bbbb"}};
    volume.raid1->health = health;
    return volume;
}

PoolSnapshot tank(std::vector<VolumeState> volumes)
{
    PoolSnapshot snapshot;
    snapshot.pool.name = "tank";
    snapshot.pool.uuid = "11111111-2222-4333-8444-555555555555";
    snapshot.pool.size = 1024 * mib;
    snapshot.pool.extent_size = 4 * mib;
    snapshot.volumes = std::move(volumes);
    return snapshot;
}

class ObjectTreeOnBus : public ::testing::Test {
protected:
    void SetUp() override
    {
        if (!volumes::testing::program_available("dbus-daemon"))
            GTEST_FAIL() << "dbus-daemon is not installed (package dbus): run scripts/install-deps.sh";
        bus_ = std::make_unique<volumes::testing::PrivateBus>();
        server_ = sdbus::createSessionBusConnectionWithAddress(bus_->address());
        client_ = sdbus::createSessionBusConnectionWithAddress(bus_->address());
        // The manager object's ObjectManager, which InterfacesAdded and InterfacesRemoved need.
        root_ = sdbus::createObject(*server_, "/org/example/Volumes");
        root_->addObjectManager();
        loop_ = std::make_unique<BusLoop>(*server_);
        tree_ = std::make_unique<ObjectTree>(*server_, *loop_, calls_);
    }

    void TearDown() override
    {
        calls_.snapshots.clear();  // they hold messages of the connection
        tree_.reset();
        loop_.reset();
        // The loop blocked SIGTERM and SIGINT in this thread; the next test's dbus-daemon must
        // not inherit that, or stopping it with SIGTERM would wait forever.
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGTERM);
        sigaddset(&signals, SIGINT);
        pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
    }

    // Volume.Size of the object at `path`, read by a client as any caller would.
    std::optional<std::uint64_t> size_on_bus(const std::string& path)
    {
        auto proxy = sdbus::createProxy(*client_, server_->getUniqueName(), path);
        std::optional<std::uint64_t> size;
        bool answered = false;
        auto pending = proxy->callMethodAsync("Get")
                           .onInterface("org.freedesktop.DBus.Properties")
                           .withArguments(std::string(volume_interface), std::string("Size"))
                           .uponReplyInvoke([&](const sdbus::Error* error, sdbus::Variant value) {
                               answered = true;
                               if (!error)
                                   size = value.get<std::uint64_t>();
                           });
        EXPECT_TRUE(volumes::testing::run_until({server_.get(), client_.get()}, [&] { return answered; }))
            << "no answer for " << path;
        return size;
    }

    // Records the names of the properties each PropertiesChanged at `path` carries, as
    // "<interface suffix>.<property>" ("Raid1.Health"), into `seen`.
    std::unique_ptr<sdbus::IProxy> record_changes(const std::string& path, std::set<std::string>& seen)
    {
        auto proxy = sdbus::createProxy(*client_, server_->getUniqueName(), path);
        proxy->uponSignal("PropertiesChanged")
            .onInterface("org.freedesktop.DBus.Properties")
            .call([&seen](const std::string& interface, const std::map<std::string, sdbus::Variant>& changed,
                          const std::vector<std::string>& invalidated) {
                const auto suffix = interface.substr(interface.rfind('.') + 1);
                for (const auto& [name, value] : changed)
                    seen.insert(suffix + "." + name);
                for (const auto& name : invalidated)
                    seen.insert(suffix + "." + name);
            });
        proxy->finishRegistration();
        return proxy;
    }

    // Runs what the tree posted to the loop (the release of withdrawn objects).
    void finish_task()
    {
        loop_->stop();
        EXPECT_EQ(loop_->run(), 0);
    }

    HeldCalls calls_;
    std::unique_ptr<volumes::testing::PrivateBus> bus_;
    std::unique_ptr<sdbus::IConnection> server_;
    std::unique_ptr<sdbus::IConnection> client_;
    std::unique_ptr<sdbus::IObject> root_;
    std::unique_ptr<BusLoop> loop_;
    std::unique_ptr<ObjectTree> tree_;
};

TEST_F(ObjectTreeOnBus, AGoneVolumesPathCanBeTakenInTheSameTask)
{
    tree_->apply(tank({linear("data", 8 * mib)}));
    const auto path = volume_path("tank", "data");
    EXPECT_EQ(size_on_bus(path), 8 * mib);

    // What a Remove and then a CreateVolume of the same name bring back in one bus task.
    tree_->apply(tank({}));
    EXPECT_EQ(tree_->volume("tank", "data"), nullptr);
    ASSERT_NO_THROW(tree_->apply(tank({linear("data", 16 * mib)})));

    ASSERT_NE(tree_->volume("tank", "data"), nullptr);
    EXPECT_EQ(tree_->volume("tank", "data")->size, 16 * mib);
    EXPECT_EQ(size_on_bus(path), 16 * mib);
    EXPECT_EQ(tree_->volume_names("tank"), std::vector<std::string>{"data"});

    // And once more: gone, and the pool with it; unexported when the task ends.
    tree_->remove_pool("tank");
    EXPECT_FALSE(tree_->has_pool("tank"));
    finish_task();
    EXPECT_EQ(size_on_bus(path), std::nullopt);
    ASSERT_NO_THROW(tree_->apply(tank({linear("data", 4 * mib)})));
    EXPECT_EQ(size_on_bus(path), 4 * mib);
}

TEST_F(ObjectTreeOnBus, AReplyToACallOnAGoneVolumeIsSentInTheTaskThatRemovesIt)
{
    tree_->apply(tank({linear("data", 8 * mib)}));
    const auto path = volume_path("tank", "data");
    auto proxy = sdbus::createProxy(*client_, server_->getUniqueName(), path);
    std::optional<std::string> outcome;
    auto pending = proxy->callMethodAsync("CreateSnapshot")
                       .onInterface(volume_interface)
                       .withArguments(std::string("snap"), std::uint64_t{4 * mib}, std::map<std::string, sdbus::Variant>{})
                       .uponReplyInvoke([&](const sdbus::Error* error, sdbus::ObjectPath made) {
                           outcome = error ? error->getName() + ": " + error->getMessage() : std::string(made);
                       });
    ASSERT_TRUE(volumes::testing::run_until({server_.get(), client_.get()}, [&] { return !calls_.snapshots.empty(); }));

    // The volume goes in the task that answers the call made on it: sd-bus checks the reply
    // against that object's vtable, which must still be there.
    tree_->apply(tank({}));
    ASSERT_NO_THROW(calls_.snapshots.front().returnResults(sdbus::ObjectPath("/org/example/Volumes/volumes/tank/snap")));
    ASSERT_TRUE(volumes::testing::run_until({server_.get(), client_.get()}, [&] { return outcome.has_value(); }));
    EXPECT_EQ(*outcome, "/org/example/Volumes/volumes/tank/snap");

    finish_task();
    EXPECT_EQ(size_on_bus(path), std::nullopt) << "the gone volume is still exported after the task";
}

TEST_F(ObjectTreeOnBus, AVolumeThatCannotBeExportedLeavesNoEntry)
{
    // Something else holds the Volume interface at the path.
    const auto path = volume_path("tank", "data");
    auto squatter = sdbus::createObject(*server_, path);
    squatter->registerProperty("Size").onInterface(volume_interface).withGetter([] { return std::uint64_t{1}; });
    squatter->finishRegistration();

    try {
        tree_->apply(tank({linear("data", 8 * mib), linear("logs", 8 * mib)}));
        ADD_FAILURE() << "apply did not say that 'data' could not be exported";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("cannot export volume 'data'"), std::string::npos) << e.what();
    }
    EXPECT_EQ(tree_->volume("tank", "data"), nullptr);
    ASSERT_NE(tree_->volume("tank", "logs"), nullptr);
    EXPECT_EQ(tree_->volume_names("tank"), std::vector<std::string>{"logs"});
    EXPECT_EQ(tree_->pools_with([](const VolumeState& volume) { return volume.active; }),
              std::vector<std::string>{"tank"});

    // Once the path is free, the next apply exports it. (The bus is read once in between: without
    // that, sd-bus refused the path now and then with EEXIST although the squatter was gone.)
    squatter.reset();
    EXPECT_EQ(size_on_bus(path), std::nullopt) << "the squatter still answers";
    ASSERT_NO_THROW(tree_->apply(tank({linear("data", 8 * mib), linear("logs", 8 * mib)})));
    EXPECT_EQ(size_on_bus(path), 8 * mib);
}

TEST_F(ObjectTreeOnBus, HealthUnavailableAndMemberChangesAreSignalled)
{
    auto snapshot = tank({mirror("ok", "alive"), linear("data", 8 * mib)});
    tree_->apply(snapshot);
    std::set<std::string> on_mirror;
    std::set<std::string> on_data;
    std::set<std::string> on_pool;
    auto mirror_proxy = record_changes(volume_path("tank", "mirror"), on_mirror);
    auto data_proxy = record_changes(volume_path("tank", "data"), on_data);
    auto pool_proxy = record_changes(pool_path("tank"), on_pool);

    // The member under slot 1 and the data volume's member are gone; another is marked failed.
    snapshot.volumes[0].raid1->images[1].health = "missing";
    snapshot.volumes[0].raid1->health = "degraded";
    snapshot.volumes[1].unavailable = "extents on missing member bbbb";
    snapshot.pool.complete = false;
    snapshot.pool.missing_members = {"bbbb"};
    snapshot.pool.failed_members = {"cccc"};
    tree_->apply(snapshot);

    const std::set<std::string> mirror_changes{"Raid1.Images", "Raid1.Health"};
    const std::set<std::string> data_changes{"Volume.Unavailable"};
    const std::set<std::string> pool_changes{"Pool.Complete", "Pool.MissingMembers", "Pool.FailedMembers"};
    EXPECT_TRUE(volumes::testing::run_until({server_.get(), client_.get()}, [&] {
        return on_mirror == mirror_changes && on_data == data_changes && on_pool == pool_changes;
    })) << fmt::format("mirror {}, data {}, pool {}", fmt::join(on_mirror, " "), fmt::join(on_data, " "),
                       fmt::join(on_pool, " "));
}

TEST_F(ObjectTreeOnBus, TheWatcherSeesEachVolumeBeforeItsObjectChanges)
{
    std::vector<std::string> seen;
    tree_->watch_volumes([&](const VolumeState* shown, const VolumeState& next) {
        seen.push_back(fmt::format("{}: {} -> {}", next.name, shown && shown->raid1 ? shown->raid1->health : "none",
                                   next.raid1 ? next.raid1->health : "-"));
        // Before the object changes: it still shows what it showed.
        if (shown) {
            EXPECT_EQ(tree_->volume(next.pool, next.name), shown);
        }
    });
    tree_->apply(tank({mirror("ok", "alive"), linear("data", 8 * mib)}));
    tree_->apply(tank({mirror("degraded", "failed"), linear("data", 8 * mib)}));
    EXPECT_EQ(seen, (std::vector<std::string>{"mirror: none -> ok", "data: none -> -", "mirror: ok -> degraded",
                                              "data: none -> -"}));
    ASSERT_NE(tree_->volume("tank", "mirror"), nullptr);
    EXPECT_EQ(tree_->volume("tank", "mirror")->raid1->health, "degraded");
}

}  // namespace
}  // namespace volumes::bus
