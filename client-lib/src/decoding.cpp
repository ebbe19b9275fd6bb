#include "decoding.hpp"

#include <algorithm>

#include "volumes/client/errors.hpp"

namespace volumes::client {

namespace {

template <class T>
void read(const Properties& properties, const char* name, T& out)
{
    const auto found = properties.find(name);
    if (found == properties.end())
        return;
    try {
        out = found->second.get<T>();
    } catch (const sdbus::Error&) {
        throw BusError("", std::string("volumesd sent property ") + name + " with an unexpected type");
    }
}

void read_path(const Properties& properties, const char* name, std::string& out)
{
    sdbus::ObjectPath path;
    read(properties, name, path);
    if (properties.contains(name))
        out = path;
}

void read_paths(const Properties& properties, const char* name, std::vector<std::string>& out)
{
    std::vector<sdbus::ObjectPath> paths;
    read(properties, name, paths);
    if (properties.contains(name))
        out.assign(paths.begin(), paths.end());
}

const Properties* interface_of(const InterfacesAndProperties& interfaces, const std::string& suffix)
{
    const auto found = interfaces.find("org.example.Volumes." + suffix);
    return found == interfaces.end() ? nullptr : &found->second;
}

// A volume's Autoextend (threshold, step, inherited).
void read_autoextend(const Properties& p, AutoextendInfo& out)
{
    sdbus::Struct<std::uint32_t, std::uint32_t, bool> policy;
    read(p, "Autoextend", policy);
    if (p.contains("Autoextend"))
        out = {policy.get<0>(), policy.get<1>(), policy.get<2>()};
}

// A pool's default (threshold, step).
void read_pool_autoextend(const Properties& p, const char* name, AutoextendInfo& out)
{
    sdbus::Struct<std::uint32_t, std::uint32_t> policy;
    read(p, name, policy);
    if (p.contains(name))
        out = {policy.get<0>(), policy.get<1>(), true};
}

PoolInfo decode_pool(const std::string& path, const Properties& p)
{
    PoolInfo pool;
    pool.path = path;
    read(p, "Name", pool.name);
    read(p, "Uuid", pool.uuid);
    std::vector<sdbus::Struct<std::string, std::string, std::uint64_t, bool>> members;
    read(p, "Members", members);
    for (const auto& m : members)
        pool.members.push_back({m.get<0>(), m.get<1>(), m.get<2>(), m.get<3>()});
    read(p, "Size", pool.size);
    read(p, "Free", pool.free);
    read(p, "ExtentSize", pool.extent_size);
    read(p, "Complete", pool.complete);
    read(p, "MissingMembers", pool.missing_members);
    read(p, "FailedMembers", pool.failed_members);
    read(p, "Problems", pool.problems);
    read_pool_autoextend(p, "ThinPoolAutoextend", pool.thin_pool_autoextend);
    read_pool_autoextend(p, "SnapshotAutoextend", pool.snapshot_autoextend);
    return pool;
}

Raid1Info decode_raid1(const Properties& p)
{
    Raid1Info raid1;
    std::vector<sdbus::Struct<std::uint32_t, std::string, std::string>> images;
    read(p, "Images", images);
    for (const auto& i : images)
        raid1.images.push_back({i.get<0>(), i.get<1>(), i.get<2>()});
    read(p, "SyncRatio", raid1.sync_ratio);
    read(p, "SyncAction", raid1.sync_action);
    read(p, "RegionSize", raid1.region_size);
    read_path(p, "TrackedImage", raid1.tracked_image);
    read(p, "Health", raid1.health);
    return raid1;
}

TrackedImageInfo decode_tracked_image(const Properties& p)
{
    TrackedImageInfo image;
    read_path(p, "Array", image.array);
    read(p, "Slot", image.slot);
    return image;
}

SnapshotInfo decode_snapshot(const Properties& p)
{
    SnapshotInfo snapshot;
    read_path(p, "Origin", snapshot.origin);
    read(p, "UsedSectors", snapshot.used_sectors);
    read(p, "TotalSectors", snapshot.total_sectors);
    read(p, "Invalid", snapshot.invalid);
    read(p, "MergeState", snapshot.merge_state);
    read_autoextend(p, snapshot.autoextend);
    return snapshot;
}

ThinPoolInfo decode_thin_pool(const Properties& p)
{
    ThinPoolInfo pool;
    read(p, "TransactionId", pool.transaction_id);
    read(p, "DataUsed", pool.data_used);
    read(p, "DataSize", pool.data_size);
    read(p, "MetadataUsed", pool.metadata_used);
    read(p, "MetadataSize", pool.metadata_size);
    read(p, "Mode", pool.mode);
    read(p, "BelowLowWater", pool.below_low_water);
    read(p, "NeedsCheck", pool.needs_check);
    read(p, "HeldMetadataRoot", pool.held_metadata_root);
    read(p, "MetadataDevice", pool.metadata_device);
    read_autoextend(p, pool.autoextend);
    return pool;
}

ThinInfo decode_thin(const Properties& p)
{
    ThinInfo thin;
    read_path(p, "ThinPool", thin.thin_pool);
    read(p, "ThinId", thin.thin_id);
    read(p, "MappedSectors", thin.mapped_sectors);
    return thin;
}

VolumeInfo decode_volume(const std::string& path, const InterfacesAndProperties& interfaces, const Properties& p)
{
    VolumeInfo volume;
    volume.path = path;
    read(p, "Name", volume.name);
    read_path(p, "Pool", volume.pool);
    read(p, "Uuid", volume.uuid);
    read(p, "Kind", volume.kind);
    read(p, "Size", volume.size);
    read(p, "DevicePath", volume.device_path);
    read(p, "DeviceNumber", volume.device_number);
    read(p, "ReadOnly", volume.read_only);
    read(p, "Active", volume.active);
    read_path(p, "Origin", volume.origin);
    read(p, "Unavailable", volume.unavailable);
    if (const auto* raid1 = interface_of(interfaces, "Raid1"))
        volume.raid1 = decode_raid1(*raid1);
    if (const auto* image = interface_of(interfaces, "TrackedImage"))
        volume.tracked_image = decode_tracked_image(*image);
    if (const auto* snapshot = interface_of(interfaces, "Snapshot"))
        volume.snapshot = decode_snapshot(*snapshot);
    if (const auto* thin_pool = interface_of(interfaces, "ThinPool"))
        volume.thin_pool = decode_thin_pool(*thin_pool);
    if (const auto* thin = interface_of(interfaces, "Thin"))
        volume.thin = decode_thin(*thin);
    return volume;
}

}  // namespace

void apply_job_properties(JobInfo& job, const Properties& p)
{
    read(p, "Operation", job.operation);
    read_paths(p, "Objects", job.objects);
    read(p, "StartedByUid", job.started_by_uid);
    read(p, "Progress", job.progress);
    read(p, "ProgressValid", job.progress_valid);
    read(p, "Bytes", job.bytes);
    read(p, "Rate", job.rate);
    read(p, "ExpectedEndTime", job.expected_end_time);
    read(p, "Cancelable", job.cancelable);
    read(p, "Finished", job.finished);
    read(p, "Success", job.success);
    read(p, "Message", job.message);
}

ObjectList decode_objects(const ManagedObjects& objects)
{
    ObjectList list;
    for (const auto& [path, interfaces] : objects) {
        if (const auto* pool = interface_of(interfaces, "Pool"))
            list.pools.push_back(decode_pool(path, *pool));
        if (const auto* volume = interface_of(interfaces, "Volume"))
            list.volumes.push_back(decode_volume(path, interfaces, *volume));
        if (const auto* job = interface_of(interfaces, "Job")) {
            JobInfo info;
            info.path = path;
            apply_job_properties(info, *job);
            list.jobs.push_back(std::move(info));
        }
    }
    for (auto& volume : list.volumes) {
        const auto pool = std::find_if(list.pools.begin(), list.pools.end(),
                                       [&](const PoolInfo& p) { return p.path == volume.pool; });
        if (pool != list.pools.end())
            volume.pool_name = pool->name;
    }
    return list;
}

}  // namespace volumes::client
