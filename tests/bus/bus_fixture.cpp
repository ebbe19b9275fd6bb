#include "bus_fixture.hpp"

#include <stdexcept>

#include <fmt/core.h>

#include "bus_wait.hpp"
#include "pool_cleanup.hpp"
#include "volumesd_control.hpp"

namespace volumes::test {

void BusTest::SetUp()
{
    require_volumesd_activatable();
    bus = sdbus::createSystemBusConnection();
}

void BusTest::TearDown()
{
    if (bus) {
        try {
            stop_volumesd(*bus);
        } catch (const std::exception& error) {
            ADD_FAILURE() << "stopping volumesd after the test: " << error.what();
        }
    }
    try {
        remove_all_pool_devices();
    } catch (const std::exception& error) {
        ADD_FAILURE() << "removing the pools' dm devices after the test: " << error.what();
    }
    loops_.clear();
}

const LoopDevice& BusTest::new_loop(std::uint64_t size)
{
    loops_.push_back(std::make_unique<LoopDevice>(size));
    return *loops_.back();
}

std::vector<std::string> BusTest::loop_paths() const
{
    std::vector<std::string> paths;
    for (const auto& loop : loops_)
        paths.push_back(loop->path());
    return paths;
}

std::string BusTest::create_pool(const std::string& name, const std::vector<std::string>& devices,
                                 const std::vector<CallArguments::Option>& options)
{
    return call_ok(*bus, {manager_path, manager_interface, "CreatePool",
                          CallArguments().s(name).as(devices).options(options).words()});
}

std::string BusTest::create_volume(const std::string& pool, const std::string& name, std::uint64_t size,
                                   const std::vector<CallArguments::Option>& options)
{
    return call_ok(*bus, {pool, pool_interface, "CreateVolume", CallArguments().s(name).t(size).options(options).words()});
}

std::string BusTest::split_track(const std::string& raid1, const std::vector<CallArguments::Option>& options)
{
    return call_ok(*bus, {raid1, raid1_interface, "SplitTrack", CallArguments().options(options).words()});
}

std::string BusTest::merge(const std::string& tracked_image)
{
    return call_ok(*bus, {tracked_image, tracked_image_interface, "Merge", CallArguments().options().words()});
}

void BusTest::call_volume(const std::string& volume, const std::string& method)
{
    call_ok(*bus, {volume, volume_interface, method, CallArguments().options().words()});
}

sdbus::Variant BusTest::property(const std::string& path, const std::string& interface, const std::string& name)
{
    auto proxy = sdbus::createProxy(*bus, volumes_bus_name, path);
    return proxy->getProperty(name).onInterface(interface);
}

void BusTest::wait_raid1_in_sync(const std::string& raid1, std::chrono::seconds timeout)
{
    std::string last;
    auto in_sync = [&] {
        const auto ratio = property_as<double>(raid1, raid1_interface, "SyncRatio");
        const auto action = property_as<std::string>(raid1, raid1_interface, "SyncAction");
        const auto images =
            property_as<std::vector<sdbus::Struct<std::uint32_t, std::string, std::string>>>(raid1, raid1_interface, "Images");
        bool all_alive = !images.empty();
        std::string healths;
        for (const auto& image : images) {
            all_alive = all_alive && image.get<1>() == "alive";
            healths += image.get<1>() + " ";
        }
        last = fmt::format("SyncRatio {}, SyncAction '{}', images {}", ratio, action, healths);
        return ratio == 1.0 && action == "idle" && all_alive;
    };
    if (!pump_until(*bus, in_sync, timeout))
        throw std::runtime_error(fmt::format("{} not in sync after {} s: {}", raid1, timeout.count(), last));
}

void BusTest::wait_job_finished(const std::string& job, std::chrono::seconds timeout)
{
    auto finished = [&] { return property_as<bool>(job, job_interface, "Finished"); };
    if (!pump_until(*bus, finished, timeout))
        throw std::runtime_error(fmt::format("job {} not finished after {} s", job, timeout.count()));
}

}  // namespace volumes::test
