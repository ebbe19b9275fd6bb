#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "service/bus/bus_loop.hpp"
#include "service/bus/objects/method_calls.hpp"
#include "service/bus/objects/pool_object.hpp"
#include "service/bus/objects/volume_object.hpp"
#include "service/bus/state/service_state.hpp"

// The exported pool and volume objects, kept equal to the last state read from the engine:
// new objects are announced, gone ones withdrawn, changed properties signalled. Bus thread
// only (`loop`'s).
//
// A gone object is withdrawn (InterfacesRemoved) at once but unexported only after the current
// bus task: sd-bus checks a method reply against the signature in the vtable of the object the
// call was made on (Remove, Merge), so that vtable must live until the reply is sent. A new
// object that needs the path of a withdrawn one unexports it first: the path can be taken
// again at once (a Remove and a CreateVolume of one name may come back in one task).
namespace volumes::bus {

class ObjectTree {
public:
    ObjectTree(sdbus::IConnection& connection, BusLoop& loop, MethodCalls& calls);

    // Told of each volume an apply is about to show, with what its object showed until then
    // (nullptr for a new object), before that object changes: whatever path a state comes by
    // (a call, a job, a refresh), a change is seen once.
    using VolumeWatcher = std::function<void(const VolumeState* shown, const VolumeState& next)>;
    void watch_volumes(VolumeWatcher watcher);

    // The pool and its volumes become exactly `snapshot`. A volume object that cannot be
    // exported is left out (and tried again by the next apply); it throws std::runtime_error
    // naming them after everything else is applied.
    void apply(const PoolSnapshot& snapshot);
    // Withdraws the pool and its volumes.
    void remove_pool(const std::string& pool);
    // Withdraws every pool not named.
    void keep_only(const std::vector<std::string>& pools);

    const VolumeState* volume(const std::string& pool, const std::string& volume) const;
    bool has_pool(const std::string& pool) const;
    // The device paths of the pool's present members; none for a pool not exported.
    std::vector<std::string> member_paths(const std::string& pool) const;
    // The names of the pool's volumes, in name order.
    std::vector<std::string> volume_names(const std::string& pool) const;
    // The pools with at least one volume for which `wanted` holds.
    template <class Predicate>
    std::vector<std::string> pools_with(Predicate wanted) const
    {
        std::vector<std::string> pools;
        for (const auto& [key, volume] : volumes_)
            if ((pools.empty() || pools.back() != key.first) && wanted(volume->state()))
                pools.push_back(key.first);
        return pools;
    }
    // Snapshot.MergeCompleted on the snapshot's object, while it is still exported.
    void emit_merge_completed(const std::string& pool, const std::string& snapshot, bool success,
                              const std::string& message);

    // Pool.SpaceWarning on the pool's object, while it is exported.
    void emit_space_warning(const std::string& pool, const std::string& volume, const std::string& what,
                            const std::string& message);

private:
    // Withdraws the object and keeps it until the current bus task ends.
    template <class Object>
    void retire(std::string path, std::unique_ptr<Object> object);
    // Retires the pool's volumes whose name `gone` holds for.
    template <class Gone>
    void retire_volumes(const std::string& pool, Gone gone);
    // Unexports a withdrawn object that still holds `path`, so that a new one can take it.
    void free_path(const std::string& path);

    sdbus::IConnection& connection_;
    BusLoop& loop_;
    MethodCalls& calls_;
    VolumeWatcher watcher_;
    std::map<std::string, std::unique_ptr<PoolObject>> pools_;
    std::map<std::pair<std::string, std::string>, std::unique_ptr<VolumeObject>> volumes_;
    // Withdrawn objects by path, until the task that posted their release runs (a task holds
    // `this`: the tree must outlive the loop's run, as the daemon's does).
    std::multimap<std::string, std::shared_ptr<void>> retiring_;
    bool retiring_flush_posted_ = false;
};

}  // namespace volumes::bus
