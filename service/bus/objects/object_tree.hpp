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
// new objects are announced, gone ones withdrawn, changed properties signalled. Bus thread only.
namespace volumes::bus {

class ObjectTree {
public:
    ObjectTree(sdbus::IConnection& connection, BusLoop& loop, MethodCalls& calls);

    // The pool and its volumes become exactly `snapshot`.
    void apply(const PoolSnapshot& snapshot);
    // Withdraws the pool and its volumes.
    void remove_pool(const std::string& pool);
    // Withdraws every pool not named.
    void keep_only(const std::vector<std::string>& pools);

    const VolumeState* volume(const std::string& pool, const std::string& volume) const;
    bool has_pool(const std::string& pool) const;

private:
    // Withdraws the object now and unexports it after the current bus task, so a reply to a
    // call made on it (Remove, Merge) still finds its vtable.
    template <class Object>
    void retire(std::unique_ptr<Object> object);

    sdbus::IConnection& connection_;
    BusLoop& loop_;
    MethodCalls& calls_;
    std::map<std::string, std::unique_ptr<PoolObject>> pools_;
    std::map<std::pair<std::string, std::string>, std::unique_ptr<VolumeObject>> volumes_;
};

}  // namespace volumes::bus
