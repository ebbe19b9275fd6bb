#pragma once

#include <memory>

#include <sdbus-c++/sdbus-c++.h>

#include "service/bus/objects/method_calls.hpp"
#include "service/bus/state/service_state.hpp"

namespace volumes::bus {

// /org/example/Volumes/pools/<pool>: org.example.Volumes.Pool.
class PoolObject {
public:
    // Exports the object and announces it (InterfacesAdded).
    PoolObject(sdbus::IConnection& connection, PoolState state, MethodCalls& calls);
    // Announces its removal (InterfacesRemoved) and unexports it.
    ~PoolObject();
    PoolObject(const PoolObject&) = delete;
    PoolObject& operator=(const PoolObject&) = delete;

    const PoolState& state() const { return state_; }
    // PropertiesChanged for what differs.
    void update(const PoolState& state);

private:
    class Interface;
    PoolState state_;
    std::unique_ptr<sdbus::IObject> object_;
    std::unique_ptr<Interface> interface_;
};

}  // namespace volumes::bus
