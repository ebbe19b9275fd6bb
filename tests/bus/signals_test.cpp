// InterfacesAdded/InterfacesRemoved and PropertiesChanged follow every change, and a job's
// Completed reaches a client that subscribed after the job had started.
#include <fmt/core.h>

#include "bus_wait.hpp"
#include "bus_fixture.hpp"
#include "resync_speed_limit.hpp"
#include "signal_recorder.hpp"
#include "tests/kernel/support/block_io.hpp"

namespace volumes::test {
namespace {

constexpr std::chrono::seconds signal_timeout(30);

class BusSignals : public BusTest {
protected:
    // Waits for a signal from index `from` on that `matches`, failing the test if none comes.
    RecordedSignal expect_signal(const SignalRecorder& recorder, std::size_t from, const std::string& what,
                                 const std::function<bool(const RecordedSignal&)>& matches)
    {
        std::optional<RecordedSignal> found;
        pump_until(*bus, [&] { return (found = recorder.find(matches, from)).has_value(); }, signal_timeout);
        if (!found) {
            ADD_FAILURE() << "no " << what << " within " << signal_timeout.count() << " s; signals seen since:\n"
                          << recorder.describe();
            return {};
        }
        return *found;
    }

    static std::function<bool(const RecordedSignal&)> added(const std::string& object, const std::string& interface)
    {
        return [=](const RecordedSignal& s) {
            return s.member == "InterfacesAdded" && s.path == manager_path && s.object == object &&
                   std::find(s.interfaces.begin(), s.interfaces.end(), interface) != s.interfaces.end();
        };
    }
    static std::function<bool(const RecordedSignal&)> removed(const std::string& object, const std::string& interface)
    {
        return [=](const RecordedSignal& s) {
            return s.member == "InterfacesRemoved" && s.path == manager_path && s.object == object &&
                   std::find(s.interfaces.begin(), s.interfaces.end(), interface) != s.interfaces.end();
        };
    }
    template <class T>
    static std::function<bool(const RecordedSignal&)> changed(const std::string& object, const std::string& interface,
                                                              const std::string& property, T value)
    {
        return [=](const RecordedSignal& s) {
            if (s.member != "PropertiesChanged" || s.path != object || s.interface != interface)
                return false;
            const auto found = s.values.find(property);
            return found != s.values.end() && found->second.containsValueOfType<T>() && found->second.get<T>() == value;
        };
    }
};

TEST_F(BusSignals, ObjectAndPropertyChangesAreSignalled)
{
    const auto& a = new_loop();
    const auto& b = new_loop();
    SignalRecorder recorder(*bus, volumes_signals_match());

    const auto pool = create_pool("signals", {a.path(), b.path()});
    const auto pool_added = expect_signal(recorder, 0, "InterfacesAdded for the pool", added(pool, pool_interface));
    if (pool_added.values.contains("org.example.Volumes.Pool.Name"))
        EXPECT_EQ(pool_added.values.at("org.example.Volumes.Pool.Name").get<std::string>(), "signals");
    else
        ADD_FAILURE() << "InterfacesAdded for the pool carries no Pool.Name";
    const auto size = property_as<std::uint64_t>(pool, pool_interface, "Size");

    auto mark = recorder.signals().size();
    const auto volume = create_volume(pool, "v", 8 * mib);
    const auto volume_added = expect_signal(recorder, mark, "InterfacesAdded for the volume", added(volume, volume_interface));
    if (volume_added.values.contains("org.example.Volumes.Volume.Kind"))
        EXPECT_EQ(volume_added.values.at("org.example.Volumes.Volume.Kind").get<std::string>(), "linear");
    else
        ADD_FAILURE() << "InterfacesAdded for the volume carries no Volume.Kind";
    EXPECT_EQ(property_as<std::uint64_t>(pool, pool_interface, "Free"), size - 8 * mib);
    expect_signal(recorder, mark, "Pool.Free changing to Size - 8 MiB",
                  changed(pool, pool_interface, "Free", static_cast<std::uint64_t>(size - 8 * mib)));

    mark = recorder.signals().size();
    call_volume(volume, "Deactivate");
    expect_signal(recorder, mark, "Volume.Active changing to false", changed(volume, volume_interface, "Active", false));
    mark = recorder.signals().size();
    call_volume(volume, "Activate");
    expect_signal(recorder, mark, "Volume.Active changing to true", changed(volume, volume_interface, "Active", true));

    mark = recorder.signals().size();
    call_volume(volume, "Remove");
    expect_signal(recorder, mark, "InterfacesRemoved for the volume", removed(volume, volume_interface));
    expect_signal(recorder, mark, "Pool.Free changing back to Size", changed(pool, pool_interface, "Free", size));

    mark = recorder.signals().size();
    call_ok(*bus, {pool, pool_interface, "Destroy", CallArguments().options().words()});
    expect_signal(recorder, mark, "InterfacesRemoved for the pool", removed(pool, pool_interface));
}

TEST_F(BusSignals, LateSubscriberSeesTheMergeJobComplete)
{
    const auto& a = new_loop();
    const auto& b = new_loop();
    SignalRecorder recorder(*bus, volumes_signals_match());
    const auto pool = create_pool("late", {a.path(), b.path()});
    const auto mirror = create_volume(pool, "mir", 32 * mib, {{"kind", "s", "raid1"}});
    wait_raid1_in_sync(mirror);
    const auto image = split_track(mirror, {{"allow_no_redundancy", "b", "true"}});
    // Every region written while split resyncs after the merge: 16 MiB at 1 MiB/s gives the
    // late client ample time to subscribe while the job runs.
    write_pattern(property_as<std::string>(mirror, volume_interface, "DevicePath"), 0, 16 * mib, 7);
    ResyncSpeedLimit slow(1024);

    auto mark = recorder.signals().size();
    const auto job = merge(image);
    expect_signal(recorder, mark, "InterfacesAdded for the job", added(job, job_interface));
    expect_signal(recorder, mark, "InterfacesRemoved for the merged image", removed(image, tracked_image_interface));

    auto late = sdbus::createSystemBusConnection();
    SignalRecorder late_recorder(
        *late, fmt::format("type='signal',sender='{}',path='{}',interface='{}',member='Completed'", volumes_bus_name, job,
                           job_interface));
    auto job_proxy = sdbus::createProxy(*late, volumes_bus_name, job);
    const bool finished_at_subscription = job_proxy->getProperty("Finished").onInterface(job_interface).get<bool>();
    ASSERT_FALSE(finished_at_subscription)
        << "the job ended before the late client subscribed, so this run cannot show a late subscriber";
    slow.restore();

    std::optional<RecordedSignal> completed;
    pump_until(*late, [&] { return (completed = late_recorder.find([](const auto& s) { return s.member == "Completed"; })).has_value(); },
               std::chrono::seconds(180));
    ASSERT_TRUE(completed) << "the late client saw no Completed";
    EXPECT_TRUE(completed->success) << completed->message;
    EXPECT_TRUE(job_proxy->getProperty("Finished").onInterface(job_interface).get<bool>());
    EXPECT_TRUE(job_proxy->getProperty("Success").onInterface(job_interface).get<bool>());
    EXPECT_EQ(job_proxy->getProperty("Message").onInterface(job_interface).get<std::string>(), completed->message);
    EXPECT_EQ(job_proxy->getProperty("Operation").onInterface(job_interface).get<std::string>(), "raid1-merge");
    wait_raid1_in_sync(mirror);
}

}  // namespace
}  // namespace volumes::test
