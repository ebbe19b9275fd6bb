#include "service/bus/objects/volume_object.hpp"

#include "service/bus/object_paths.hpp"
#include "service/bus/objects/changed_properties.hpp"
#include "service/bus/objects/sync_progress_pace.hpp"
#include "volumes/Raid1_adaptor.h"
#include "volumes/Snapshot_adaptor.h"
#include "volumes/ThinPool_adaptor.h"
#include "volumes/Thin_adaptor.h"
#include "volumes/TrackedImage_adaptor.h"
#include "volumes/Volume_adaptor.h"

namespace volumes::bus {

using VolumeAdaptor = org::example::Volumes::Volume_adaptor;
using Raid1Adaptor = org::example::Volumes::Raid1_adaptor;
using TrackedImageAdaptor = org::example::Volumes::TrackedImage_adaptor;
using SnapshotAdaptor = org::example::Volumes::Snapshot_adaptor;
using ThinPoolAdaptor = org::example::Volumes::ThinPool_adaptor;
using ThinAdaptor = org::example::Volumes::Thin_adaptor;

namespace {

sdbus::ObjectPath volume_or_none(const std::string& pool, const std::string& volume)
{
    return sdbus::ObjectPath(volume.empty() ? std::string(kNoObject) : volume_path(pool, volume));
}

sdbus::Struct<uint32_t, uint32_t, bool> autoextend_struct(const AutoextendState& state)
{
    return {state.threshold, state.step, state.inherited};
}

VolumeRef ref(const VolumeState& state)
{
    return VolumeRef{state.pool, state.name};
}

}  // namespace

class VolumeObject::VolumeInterface final : public VolumeAdaptor {
public:
    VolumeInterface(sdbus::IObject& object, const VolumeState& state, MethodCalls& calls)
        : VolumeAdaptor(object), object_(object), state_(state), calls_(calls)
    {
    }

private:
    void CreateSnapshot(sdbus::Result<sdbus::ObjectPath>&& result, std::string name, uint64_t cow_size,
                        std::map<std::string, sdbus::Variant> options) override
    {
        calls_.create_snapshot(current_call(object_, std::move(options)), ref(state_), std::move(name), cow_size,
                               std::move(result));
    }
    void Remove(sdbus::Result<>&& result, std::map<std::string, sdbus::Variant> options) override
    {
        calls_.remove_volume(current_call(object_, std::move(options)), ref(state_), std::move(result));
    }
    void Activate(sdbus::Result<>&& result, std::map<std::string, sdbus::Variant> options) override
    {
        calls_.activate(current_call(object_, std::move(options)), ref(state_), std::move(result));
    }
    void Deactivate(sdbus::Result<>&& result, std::map<std::string, sdbus::Variant> options) override
    {
        calls_.deactivate(current_call(object_, std::move(options)), ref(state_), std::move(result));
    }
    void Resize(sdbus::Result<uint64_t, std::string>&& result, uint64_t size,
                std::map<std::string, sdbus::Variant> options) override
    {
        calls_.resize_volume(current_call(object_, std::move(options)), ref(state_), size, std::move(result));
    }
    void Rename(sdbus::Result<sdbus::ObjectPath>&& result, std::string new_name,
                std::map<std::string, sdbus::Variant> options) override
    {
        calls_.rename_volume(current_call(object_, std::move(options)), ref(state_), std::move(new_name),
                             std::move(result));
    }
    void ConvertToRaid1(sdbus::Result<sdbus::ObjectPath>&& result, std::map<std::string, sdbus::Variant> options) override
    {
        calls_.convert_to_raid1(current_call(object_, std::move(options)), ref(state_), std::move(result));
    }

    std::string Name() override { return state_.name; }
    sdbus::ObjectPath Pool() override { return sdbus::ObjectPath(pool_path(state_.pool)); }
    std::string Uuid() override { return state_.uuid; }
    std::string Kind() override { return state_.kind; }
    uint64_t Size() override { return state_.size; }
    std::string DevicePath() override { return state_.device_path; }
    uint64_t DeviceNumber() override { return state_.device_number; }
    bool ReadOnly() override { return state_.read_only; }
    bool Active() override { return state_.active; }
    sdbus::ObjectPath Origin() override { return volume_or_none(state_.pool, state_.origin); }
    std::string Unavailable() override { return state_.unavailable; }

    sdbus::IObject& object_;
    const VolumeState& state_;
    MethodCalls& calls_;
};

class VolumeObject::Raid1Interface final : public Raid1Adaptor {
public:
    Raid1Interface(sdbus::IObject& object, const VolumeState& state, MethodCalls& calls)
        : Raid1Adaptor(object), object_(object), state_(state), calls_(calls)
    {
    }

private:
    void SplitTrack(sdbus::Result<sdbus::ObjectPath>&& result, std::map<std::string, sdbus::Variant> options) override
    {
        calls_.split_track(current_call(object_, std::move(options)), ref(state_), std::move(result));
    }
    void Split(sdbus::Result<sdbus::ObjectPath>&& result, std::string new_name,
               std::map<std::string, sdbus::Variant> options) override
    {
        calls_.split(current_call(object_, std::move(options)), ref(state_), std::move(new_name), std::move(result));
    }

    void Repair(sdbus::Result<sdbus::ObjectPath>&& result, std::map<std::string, sdbus::Variant> options) override
    {
        calls_.repair_raid1(current_call(object_, std::move(options)), ref(state_), std::move(result));
    }

    void AddImage(sdbus::Result<sdbus::ObjectPath>&& result, std::map<std::string, sdbus::Variant> options) override
    {
        calls_.add_raid1_image(current_call(object_, std::move(options)), ref(state_), std::move(result));
    }

    void RemoveImage(sdbus::Result<>&& result, uint32_t slot, std::map<std::string, sdbus::Variant> options) override
    {
        calls_.remove_raid1_image(current_call(object_, std::move(options)), ref(state_), slot, std::move(result));
    }

    std::vector<sdbus::Struct<uint32_t, std::string, std::string>> Images() override
    {
        std::vector<sdbus::Struct<uint32_t, std::string, std::string>> images;
        for (const auto& image : state_.raid1->images)
            images.emplace_back(image.slot, image.health, image.member_uuid);
        return images;
    }
    std::string Health() override { return state_.raid1->health; }
    double SyncRatio() override { return state_.raid1->sync.ratio(); }
    std::string SyncAction() override { return state_.raid1->sync.action; }
    uint64_t RegionSize() override { return state_.raid1->region_size; }
    sdbus::ObjectPath TrackedImage() override { return volume_or_none(state_.pool, state_.raid1->tracked_image); }

    sdbus::IObject& object_;
    const VolumeState& state_;
    MethodCalls& calls_;
};

class VolumeObject::TrackedImageInterface final : public TrackedImageAdaptor {
public:
    TrackedImageInterface(sdbus::IObject& object, const VolumeState& state, MethodCalls& calls)
        : TrackedImageAdaptor(object), object_(object), state_(state), calls_(calls)
    {
    }

private:
    void Merge(sdbus::Result<sdbus::ObjectPath>&& result, std::map<std::string, sdbus::Variant> options) override
    {
        calls_.merge_tracked_image(current_call(object_, std::move(options)), ref(state_), std::move(result));
    }

    sdbus::ObjectPath Array() override { return volume_or_none(state_.pool, state_.tracked_image->array); }
    uint32_t Slot() override { return state_.tracked_image->slot; }

    sdbus::IObject& object_;
    const VolumeState& state_;
    MethodCalls& calls_;
};

class VolumeObject::SnapshotInterface final : public SnapshotAdaptor {
public:
    SnapshotInterface(sdbus::IObject& object, const VolumeState& state, MethodCalls& calls)
        : SnapshotAdaptor(object), object_(object), state_(state), calls_(calls)
    {
    }

    void emit_merge_completed(const std::string& origin, bool success, const std::string& message)
    {
        emitMergeCompleted(volume_or_none(state_.pool, origin), success, message);
    }

private:
    void Merge(sdbus::Result<sdbus::ObjectPath, bool>&& result, std::map<std::string, sdbus::Variant> options) override
    {
        calls_.merge_snapshot(current_call(object_, std::move(options)), ref(state_), std::move(result));
    }
    void SetAutoextend(sdbus::Result<>&& result, uint32_t threshold, uint32_t step,
                       std::map<std::string, sdbus::Variant> options) override
    {
        calls_.set_volume_autoextend(current_call(object_, std::move(options)), ref(state_), threshold, step,
                                     std::move(result));
    }
    sdbus::Struct<uint32_t, uint32_t, bool> Autoextend() override
    {
        return autoextend_struct(state_.snapshot->autoextend);
    }

    sdbus::ObjectPath Origin() override { return volume_or_none(state_.pool, state_.origin); }
    uint64_t UsedSectors() override { return state_.snapshot->used_sectors; }
    uint64_t TotalSectors() override { return state_.snapshot->total_sectors; }
    bool Invalid() override { return state_.snapshot->invalid; }
    std::string MergeState() override { return state_.snapshot->merge_state; }

    sdbus::IObject& object_;
    const VolumeState& state_;
    MethodCalls& calls_;
};

class VolumeObject::ThinPoolInterface final : public ThinPoolAdaptor {
public:
    ThinPoolInterface(sdbus::IObject& object, const VolumeState& state, MethodCalls& calls)
        : ThinPoolAdaptor(object), object_(object), state_(state), calls_(calls)
    {
    }

private:
    void CreateThin(sdbus::Result<sdbus::ObjectPath>&& result, std::string name, uint64_t virtual_size,
                    std::map<std::string, sdbus::Variant> options) override
    {
        calls_.create_thin(current_call(object_, std::move(options)), ref(state_), std::move(name), virtual_size,
                           std::move(result));
    }
    void ReserveMetadataSnap(sdbus::Result<uint64_t, std::string, uint64_t>&& result,
                             std::map<std::string, sdbus::Variant> options) override
    {
        calls_.reserve_metadata_snap(current_call(object_, std::move(options)), ref(state_), std::move(result));
    }
    void ReleaseMetadataSnap(sdbus::Result<>&& result, std::map<std::string, sdbus::Variant> options) override
    {
        calls_.release_metadata_snap(current_call(object_, std::move(options)), ref(state_), std::move(result));
    }
    void Resize(sdbus::Result<>&& result, uint64_t data_size, uint64_t metadata_size,
                std::map<std::string, sdbus::Variant> options) override
    {
        calls_.resize_thin_pool(current_call(object_, std::move(options)), ref(state_), data_size, metadata_size,
                                std::move(result));
    }
    void SetAutoextend(sdbus::Result<>&& result, uint32_t threshold, uint32_t step,
                       std::map<std::string, sdbus::Variant> options) override
    {
        calls_.set_volume_autoextend(current_call(object_, std::move(options)), ref(state_), threshold, step,
                                     std::move(result));
    }
    sdbus::Struct<uint32_t, uint32_t, bool> Autoextend() override
    {
        return autoextend_struct(state_.thin_pool->autoextend);
    }

    uint64_t TransactionId() override { return state_.thin_pool->transaction_id; }
    uint64_t DataUsed() override { return state_.thin_pool->data_used; }
    uint64_t DataSize() override { return state_.thin_pool->data_size; }
    uint64_t MetadataUsed() override { return state_.thin_pool->metadata_used; }
    uint64_t MetadataSize() override { return state_.thin_pool->metadata_size; }
    std::string Mode() override { return state_.thin_pool->mode; }
    bool BelowLowWater() override { return state_.thin_pool->below_low_water; }
    bool NeedsCheck() override { return state_.thin_pool->needs_check; }
    uint64_t HeldMetadataRoot() override { return state_.thin_pool->held_metadata_root; }
    std::string MetadataDevice() override { return state_.thin_pool->metadata_device; }

    sdbus::IObject& object_;
    const VolumeState& state_;
    MethodCalls& calls_;
};

class VolumeObject::ThinInterface final : public ThinAdaptor {
public:
    ThinInterface(sdbus::IObject& object, const VolumeState& state) : ThinAdaptor(object), state_(state) {}

private:
    sdbus::ObjectPath ThinPool() override { return volume_or_none(state_.pool, state_.thin->thin_pool); }
    uint32_t ThinId() override { return state_.thin->thin_id; }
    uint64_t MappedSectors() override { return state_.thin->mapped_sectors; }

    const VolumeState& state_;
};

VolumeObject::VolumeObject(sdbus::IConnection& connection, VolumeState state, MethodCalls& calls)
    : state_(std::move(state)), object_(sdbus::createObject(connection, volume_path(state_.pool, state_.name)))
{
    volume_ = std::make_unique<VolumeInterface>(*object_, state_, calls);
    if (state_.raid1)
        raid1_ = std::make_unique<Raid1Interface>(*object_, state_, calls);
    if (state_.tracked_image)
        tracked_image_ = std::make_unique<TrackedImageInterface>(*object_, state_, calls);
    if (state_.snapshot)
        snapshot_ = std::make_unique<SnapshotInterface>(*object_, state_, calls);
    if (state_.thin_pool)
        thin_pool_ = std::make_unique<ThinPoolInterface>(*object_, state_, calls);
    if (state_.thin)
        thin_ = std::make_unique<ThinInterface>(*object_, state_);
    object_->finishRegistration();
    object_->emitInterfacesAddedSignal();
}

void VolumeObject::withdraw()
{
    if (withdrawn_)
        return;
    withdrawn_ = true;
    object_->emitInterfacesRemovedSignal();
}

VolumeObject::~VolumeObject()
{
    try {
        withdraw();
    } catch (const sdbus::Error&) {
        // The connection is going away with the daemon; nobody is left to tell.
    }
    object_->unregister();
}

bool VolumeObject::exports_same_interfaces(const VolumeState& state) const
{
    return state.raid1.has_value() == state_.raid1.has_value() &&
           state.tracked_image.has_value() == state_.tracked_image.has_value() &&
           state.snapshot.has_value() == state_.snapshot.has_value() &&
           state.thin_pool.has_value() == state_.thin_pool.has_value() && state.thin.has_value() == state_.thin.has_value();
}

void VolumeObject::update(const VolumeState& state)
{
    ChangedProperties volume(VolumeAdaptor::INTERFACE_NAME);
    volume.compare(state_.uuid, state.uuid, "Uuid");
    volume.compare(state_.kind, state.kind, "Kind");
    volume.compare(state_.size, state.size, "Size");
    volume.compare(state_.device_path, state.device_path, "DevicePath");
    volume.compare(state_.device_number, state.device_number, "DeviceNumber");
    volume.compare(state_.read_only, state.read_only, "ReadOnly");
    volume.compare(state_.active, state.active, "Active");
    volume.compare(state_.origin, state.origin, "Origin");
    volume.compare(state_.unavailable, state.unavailable, "Unavailable");

    ChangedProperties raid1(Raid1Adaptor::INTERFACE_NAME);
    bool sync_moved = false;
    if (state_.raid1 && state.raid1) {
        const auto& before = *state_.raid1;
        const auto& after = *state.raid1;
        raid1.compare(before.images, after.images, "Images");
        raid1.compare(before.health, after.health, "Health");
        raid1.compare(before.sync.ratio(), after.sync.ratio(), "SyncRatio");
        raid1.compare(before.sync.action, after.sync.action, "SyncAction");
        raid1.compare(before.region_size, after.region_size, "RegionSize");
        raid1.compare(before.tracked_image, after.tracked_image, "TrackedImage");
        sync_moved = sync_progress_due(before.sync, after.sync, last_sync_progress_, std::chrono::steady_clock::now());
    }

    ChangedProperties tracked(TrackedImageAdaptor::INTERFACE_NAME);
    if (state_.tracked_image && state.tracked_image) {
        tracked.compare(state_.tracked_image->array, state.tracked_image->array, "Array");
        tracked.compare(state_.tracked_image->slot, state.tracked_image->slot, "Slot");
    }

    ChangedProperties snapshot(SnapshotAdaptor::INTERFACE_NAME);
    if (state_.snapshot && state.snapshot) {
        snapshot.compare(state_.origin, state.origin, "Origin");
        snapshot.compare(state_.snapshot->used_sectors, state.snapshot->used_sectors, "UsedSectors");
        snapshot.compare(state_.snapshot->total_sectors, state.snapshot->total_sectors, "TotalSectors");
        snapshot.compare(state_.snapshot->invalid, state.snapshot->invalid, "Invalid");
        snapshot.compare(state_.snapshot->merge_state, state.snapshot->merge_state, "MergeState");
        snapshot.compare(state_.snapshot->autoextend, state.snapshot->autoextend, "Autoextend");
    }

    ChangedProperties thin_pool(ThinPoolAdaptor::INTERFACE_NAME);
    if (state_.thin_pool && state.thin_pool) {
        const auto& before = *state_.thin_pool;
        const auto& after = *state.thin_pool;
        thin_pool.compare(before.transaction_id, after.transaction_id, "TransactionId");
        thin_pool.compare(before.data_used, after.data_used, "DataUsed");
        thin_pool.compare(before.data_size, after.data_size, "DataSize");
        thin_pool.compare(before.metadata_used, after.metadata_used, "MetadataUsed");
        thin_pool.compare(before.metadata_size, after.metadata_size, "MetadataSize");
        thin_pool.compare(before.mode, after.mode, "Mode");
        thin_pool.compare(before.below_low_water, after.below_low_water, "BelowLowWater");
        thin_pool.compare(before.needs_check, after.needs_check, "NeedsCheck");
        thin_pool.compare(before.held_metadata_root, after.held_metadata_root, "HeldMetadataRoot");
        thin_pool.compare(before.metadata_device, after.metadata_device, "MetadataDevice");
        thin_pool.compare(before.autoextend, after.autoextend, "Autoextend");
    }
    ChangedProperties thin(ThinAdaptor::INTERFACE_NAME);
    if (state_.thin && state.thin) {
        thin.compare(state_.thin->thin_pool, state.thin->thin_pool, "ThinPool");
        thin.compare(state_.thin->thin_id, state.thin->thin_id, "ThinId");
        thin.compare(state_.thin->mapped_sectors, state.thin->mapped_sectors, "MappedSectors");
    }

    state_ = state;
    volume.emit(*object_);
    if (raid1_) {
        raid1.emit(*object_);
        if (sync_moved) {
            const auto& sync = state_.raid1->sync;
            raid1_->emitSyncProgress(sync.action, sync.ratio(), sync.in_sync_sectors, sync.total_sectors);
            last_sync_progress_ = std::chrono::steady_clock::now();
        }
    }
    if (tracked_image_)
        tracked.emit(*object_);
    if (snapshot_)
        snapshot.emit(*object_);
    if (thin_pool_)
        thin_pool.emit(*object_);
    if (thin_)
        thin.emit(*object_);
}

void VolumeObject::emit_merge_completed(const std::string& origin, bool success, const std::string& message)
{
    if (snapshot_)
        snapshot_->emit_merge_completed(origin, success, message);
}

}  // namespace volumes::bus
