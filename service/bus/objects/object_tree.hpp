#pragma once

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
// new objects are announced, gone ones withdrawn and unexported at once (their paths can be
// taken again in the same task), changed properties signalled. Bus thread only (`loop`'s).
namespace volumes::bus {

class ObjectTree {
public:
    ObjectTree(sdbus::IConnection& connection, BusLoop& loop, MethodCalls& calls);

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

private:
    sdbus::IConnection& connection_;
    BusLoop& loop_;
    MethodCalls& calls_;
    std::map<std::string, std::unique_ptr<PoolObject>> pools_;
    std::map<std::pair<std::string, std::string>, std::unique_ptr<VolumeObject>> volumes_;
};

}  // namespace volumes::bus
