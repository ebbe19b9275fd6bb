#include "snapshot_fixture.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "bus_wait.hpp"
#include "state_snapshot.hpp"

namespace volumes::test {

Origin BusSnapshot::linear_origin(const std::string& pool_name, std::uint64_t size)
{
    Origin origin;
    origin.pool_name = pool_name;
    origin.pool = create_pool(pool_name, {new_loop().path(), new_loop().path()});
    origin.volume = create_volume(origin.pool, "root", size);
    origin.device = property_as<std::string>(origin.volume, volume_interface, "DevicePath");
    origin.size = size;
    return origin;
}

std::string BusSnapshot::create_snapshot(const std::string& origin, const std::string& name, std::uint64_t cow_size)
{
    return call_ok(*bus, {origin, volume_interface, "CreateSnapshot", CallArguments().s(name).t(cow_size).options().words()});
}

std::string BusSnapshot::merge_snapshot(const std::string& snapshot)
{
    return call_ok(*bus, {snapshot, snapshot_interface, "Merge", CallArguments().options().words()});
}

std::optional<RecordedSignal> BusSnapshot::wait_merge_completed(const SignalRecorder& recorder,
                                                                const std::string& snapshot,
                                                                std::chrono::seconds timeout)
{
    std::optional<RecordedSignal> found;
    const auto is_completed = [&](const RecordedSignal& s) { return s.member == "MergeCompleted" && s.path == snapshot; };
    pump_until(*bus, [&] { return (found = recorder.find(is_completed)).has_value(); }, timeout);
    if (!found)
        ADD_FAILURE() << "no MergeCompleted from " << snapshot << " within " << timeout.count()
                      << " s; signals seen:\n"
                      << recorder.describe();
    return found;
}

std::map<std::string, std::string> BusSnapshot::pool_devices(const std::string& pool_name)
{
    std::map<std::string, std::string> devices;
    const auto prefix = "volumes-" + pool_name + "-";
    for (auto& [name, text] : dm_tables())
        if (name.starts_with(prefix))
            devices.emplace(name, std::move(text));
    return devices;
}

void BusSnapshot::expect_plain_origin(const Origin& origin, const std::string& snapshot)
{
    EXPECT_FALSE(exported_objects(*bus).contains(snapshot)) << "the merged snapshot is still exported";
    const auto devices = pool_devices(origin.pool_name);
    ASSERT_EQ(devices.size(), 1u) << "the pool still has more devices than its origin:\n"
                                  << fmt::format("{}", fmt::join(devices, "\n"));
    const auto& [name, text] = *devices.begin();
    EXPECT_EQ(name, "volumes-" + origin.pool_name + "-root");
    EXPECT_NE(text.find(" linear "), std::string::npos) << "the origin is not plain linear:\n" << text;
}

}  // namespace volumes::test
