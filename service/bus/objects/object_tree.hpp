#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "service/bus/objects/method_calls.hpp"
#include "service/bus/objects/pool_object.hpp"
#include "service/bus/objects/volume_object.hpp"
#include "service/bus/state/service_state.hpp"

// The exported pool and volume objects, kept equal to the last state read from the engine:
// new objects are announced, gone ones withdrawn, changed properties signalled. Bus thread only.
namespace volumes::bus {

class ObjectTree {
public:
    ObjectTree(sdbus::IConnection& connection, MethodCalls& calls);

    // The pool and its volumes become exactly `snapshot`.
    void apply(const PoolSnapshot& snapshot);
    // Withdraws the pool and its volumes.
    void remove_pool(const std::string& pool);
    // Withdraws every pool not named.
    void keep_only(const std::vector<std::string>& pools);

    const VolumeState* volume(const std::string& pool, const std::string& volume) const;
    bool has_pool(const std::string& pool) const;

private:
    sdbus::IConnection& connection_;
    MethodCalls& calls_;
    std::map<std::string, std::unique_ptr<PoolObject>> pools_;
    std::map<std::pair<std::string, std::string>, std::unique_ptr<VolumeObject>> volumes_;
};

}  // namespace volumes::bus
