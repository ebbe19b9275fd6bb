#pragma once

#include <chrono>
#include <memory>

#include <sdbus-c++/sdbus-c++.h>

#include "service/bus/objects/method_calls.hpp"
#include "service/bus/state/service_state.hpp"

namespace volumes::bus {

// /org/example/Volumes/volumes/<pool>/<volume>: org.example.Volumes.Volume, plus the
// interface of its kind (Raid1, TrackedImage, Snapshot, ThinPool or Thin). The set of interfaces is fixed for the
// object's life: when a volume's kind changes, the tree replaces the object.
class VolumeObject {
public:
    // Exports the object and announces it (InterfacesAdded).
    VolumeObject(sdbus::IConnection& connection, VolumeState state, MethodCalls& calls);
    // Announces its removal (InterfacesRemoved) unless withdraw() did, and unexports it.
    ~VolumeObject();
    VolumeObject(const VolumeObject&) = delete;
    // Announces its removal (InterfacesRemoved) but stays registered until destroyed: sd-bus
    // keeps pointing into the object's vtable until a call made on it has been answered.
    void withdraw();
    VolumeObject& operator=(const VolumeObject&) = delete;

    const VolumeState& state() const { return state_; }
    // Whether `state` needs another set of interfaces than this object has.
    bool exports_same_interfaces(const VolumeState& state) const;
    // PropertiesChanged for what differs; Raid1.SyncProgress as sync_progress_due says.
    void update(const VolumeState& state);
    // Snapshot.MergeCompleted; nothing for an object without the Snapshot interface.
    void emit_merge_completed(const std::string& origin, bool success, const std::string& message);

private:
    class VolumeInterface;
    class Raid1Interface;
    class TrackedImageInterface;
    class SnapshotInterface;
    class ThinPoolInterface;
    class ThinInterface;

    VolumeState state_;
    bool withdrawn_ = false;
    std::chrono::steady_clock::time_point last_sync_progress_;
    std::unique_ptr<sdbus::IObject> object_;
    std::unique_ptr<VolumeInterface> volume_;
    std::unique_ptr<Raid1Interface> raid1_;
    std::unique_ptr<TrackedImageInterface> tracked_image_;
    std::unique_ptr<SnapshotInterface> snapshot_;
    std::unique_ptr<ThinPoolInterface> thin_pool_;
    std::unique_ptr<ThinInterface> thin_;
};

}  // namespace volumes::bus
