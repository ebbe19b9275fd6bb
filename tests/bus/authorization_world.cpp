#include "authorization_world.hpp"

#include <stdexcept>

#include <fmt/core.h>

namespace volumes::test {

namespace {

constexpr const char* not_supported = "org.example.Volumes.Error.NotSupported";

}  // namespace

AuthorizationWorld AuthorizationWorldTest::build_world()
{
    AuthorizationWorld world;
    const auto& a = new_loop();
    const auto& b = new_loop();
    const auto& c = new_loop();
    const auto& spare = new_loop(32 * mib);
    const auto& spare_second = new_loop(32 * mib);
    world.free_device = new_loop(32 * mib).path();
    world.spare_member = spare_second.path();

    world.pool = create_pool("auth", {a.path(), b.path(), c.path()});
    world.spare_pool = create_pool("spare", {spare.path(), spare_second.path()});
    world.linear = create_volume(world.pool, "lin", 4 * mib);
    world.inactive = create_volume(world.pool, "off", 4 * mib);
    call_volume(world.inactive, "Deactivate");
    const std::vector<CallArguments::Option> three_images{{"kind", "s", "raid1"}, {"images", "u", "3"}};
    world.mirror = create_volume(world.pool, "mir", 4 * mib, three_images);
    world.split_mirror = create_volume(world.pool, "mir2", 4 * mib, three_images);
    wait_raid1_in_sync(world.mirror);
    wait_raid1_in_sync(world.split_mirror);

    // Kinds this volumesd may not make yet: NotSupported is the contract's answer for now.
    const auto snapshot = call(*bus, {world.linear, volume_interface, "CreateSnapshot",
                                      CallArguments().s("snap").t(4 * mib).options().words()});
    const auto thin_pool = call(*bus, {world.pool, pool_interface, "CreateThinPool",
                                       CallArguments().s("thin").t(16 * mib).t(4 * mib).options().words()});
    for (const auto& [interface, outcome] : {std::pair{snapshot_interface, snapshot}, {thin_pool_interface, thin_pool}}) {
        if (outcome.ok())
            world.extra_objects[interface] = outcome.text;
        else if (outcome.error == not_supported)
            world.unavailable[interface] = "root's attempt to make one: " + outcome.describe();
        else
            throw std::runtime_error(fmt::format("making an object with {} as root: {}", interface, outcome.describe()));
    }
    world.unavailable.try_emplace(thin_interface, "no object has it and it has no method");

    // The job last: a finished job stays exported for a limited time.
    const auto first_image = split_track(world.split_mirror);
    world.job = merge(first_image);
    wait_job_finished(world.job);
    wait_raid1_in_sync(world.split_mirror);
    world.image = split_track(world.split_mirror);
    return world;
}

std::optional<Call> AuthorizationWorld::valid_call(const std::string& interface, const std::string& method,
                                                   const std::vector<CallArguments::Option>& options) const
{
    const std::string key = interface.substr(interface.rfind('.') + 1) + "." + method;
    auto on = [&](const std::string& path, CallArguments arguments) {
        return Call{path, interface, method, arguments.options(options).words()};
    };
    auto extra = [&](const std::string& object_interface) -> std::optional<std::string> {
        auto found = extra_objects.find(object_interface);
        if (found == extra_objects.end())
            return std::nullopt;
        return found->second;
    };

    if (key == "Manager.CreatePool")
        return on(manager_path, CallArguments().s("granted-pool").as({free_device}));
    if (key == "Manager.ImportPool")
        return on(manager_path, CallArguments().s(spare_pool.substr(spare_pool.rfind('/') + 1)));
    if (key == "Pool.CreateVolume")
        return on(pool, CallArguments().s("granted").t(4 * mib));
    if (key == "Pool.CreateThinPool")
        return on(pool, CallArguments().s("thin2").t(16 * mib).t(4 * mib));
    if (key == "Pool.Destroy")
        return on(spare_pool, CallArguments());
    if (key == "Pool.AddMember")
        return on(spare_pool, CallArguments().s(free_device));
    if (key == "Pool.RemoveMember" || key == "Pool.EvacuateMember")
        return on(spare_pool, CallArguments().s(spare_member));
    if (key == "Pool.SetAutoextend")
        return on(pool, CallArguments().s("thin_pool").u(70).u(30));
    if (key == "Volume.Resize")
        return on(linear, CallArguments().t(8 * mib));
    if (key == "Volume.Rename")
        return on(linear, CallArguments().s("renamed"));
    if (key == "Volume.ConvertToRaid1")
        return on(linear, CallArguments());
    if (key == "Volume.CreateSnapshot")
        return on(linear, CallArguments().s("snap2").t(4 * mib));
    if (key == "Volume.Remove" || key == "Volume.Deactivate")
        return on(linear, CallArguments());
    if (key == "Volume.Activate")
        return on(inactive, CallArguments());
    if (key == "Raid1.SplitTrack")
        return on(mirror, CallArguments());
    if (key == "Raid1.Repair")
        return on(mirror, CallArguments());
    if (key == "Raid1.AddImage")
        return on(mirror, CallArguments());
    if (key == "Raid1.RemoveImage")
        return on(mirror, CallArguments().u(1));
    if (key == "Raid1.Split")
        return on(split_mirror, CallArguments().s("standalone"));
    if (key == "TrackedImage.Merge")
        return on(image, CallArguments());
    if (key == "Job.Cancel")
        return on(job, CallArguments());
    if (key == "Snapshot.Merge" || key == "Snapshot.SetAutoextend") {
        const auto snapshot = extra(snapshot_interface);
        if (!snapshot)
            return std::nullopt;
        if (key == "Snapshot.SetAutoextend")
            return on(*snapshot, CallArguments().u(90).u(10));
        return on(*snapshot, CallArguments());
    }
    if (key == "ThinPool.CreateThin" || key == "ThinPool.ReserveMetadataSnap" || key == "ThinPool.ReleaseMetadataSnap" ||
        key == "ThinPool.Resize" || key == "ThinPool.SetAutoextend") {
        const auto thin_pool = extra(thin_pool_interface);
        if (!thin_pool)
            return std::nullopt;
        if (key == "ThinPool.CreateThin")
            return on(*thin_pool, CallArguments().s("thin1").t(4 * mib));
        if (key == "ThinPool.Resize")
            return on(*thin_pool, CallArguments().t(32 * mib).t(0));
        if (key == "ThinPool.SetAutoextend")
            return on(*thin_pool, CallArguments().u(90).u(10));
        return on(*thin_pool, CallArguments());
    }
    throw std::runtime_error(fmt::format("the test knows no valid arguments for {}.{}: the contract grew, extend "
                                         "AuthorizationWorld::valid_call",
                                         interface, method));
}

}  // namespace volumes::test
