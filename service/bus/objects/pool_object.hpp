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
    // Announces its removal (InterfacesRemoved) unless withdraw() did, and unexports it.
    ~PoolObject();
    PoolObject(const PoolObject&) = delete;
    // Announces its removal (InterfacesRemoved) but stays registered until destroyed: sd-bus
    // keeps pointing into the object's vtable until a call made on it has been answered.
    void withdraw();
    PoolObject& operator=(const PoolObject&) = delete;

    const PoolState& state() const { return state_; }
    // PropertiesChanged for what differs.
    void update(const PoolState& state);
    // Pool.SpaceWarning about one of its volumes (by name).
    void emit_space_warning(const std::string& volume, const std::string& what, const std::string& message);

private:
    class Interface;
    PoolState state_;
    bool withdrawn_ = false;
    std::unique_ptr<sdbus::IObject> object_;
    std::unique_ptr<Interface> interface_;
};

}  // namespace volumes::bus
