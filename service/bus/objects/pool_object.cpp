#include "service/bus/objects/pool_object.hpp"

#include "service/bus/object_paths.hpp"
#include "service/bus/objects/changed_properties.hpp"
#include "volumes/Pool_adaptor.h"

namespace volumes::bus {

using PoolAdaptor = org::example::Volumes::Pool_adaptor;

class PoolObject::Interface final : public PoolAdaptor {
public:
    Interface(sdbus::IObject& object, const PoolState& state, MethodCalls& calls)
        : PoolAdaptor(object), object_(object), state_(state), calls_(calls)
    {
    }

private:
    void CreateVolume(sdbus::Result<sdbus::ObjectPath>&& result, std::string name, uint64_t size,
                      std::map<std::string, sdbus::Variant> options) override
    {
        calls_.create_volume(current_call(object_, std::move(options)), state_.name, std::move(name), size,
                             std::move(result));
    }
    void CreateThinPool(sdbus::Result<sdbus::ObjectPath>&& result, std::string name, uint64_t data_size,
                        uint64_t metadata_size, std::map<std::string, sdbus::Variant> options) override
    {
        calls_.create_thin_pool(current_call(object_, std::move(options)), state_.name, std::move(name), data_size,
                                metadata_size, std::move(result));
    }
    void Destroy(sdbus::Result<>&& result, std::map<std::string, sdbus::Variant> options) override
    {
        calls_.destroy_pool(current_call(object_, std::move(options)), state_.name, std::move(result));
    }
    void AddMember(sdbus::Result<>&& result, std::string device, std::map<std::string, sdbus::Variant> options) override
    {
        calls_.add_member(current_call(object_, std::move(options)), state_.name, std::move(device), std::move(result));
    }
    void RemoveMember(sdbus::Result<>&& result, std::string device,
                      std::map<std::string, sdbus::Variant> options) override
    {
        calls_.remove_member(current_call(object_, std::move(options)), state_.name, std::move(device),
                             std::move(result));
    }

    void EvacuateMember(sdbus::Result<sdbus::ObjectPath>&& result, std::string device,
                        std::map<std::string, sdbus::Variant> options) override
    {
        calls_.evacuate_member(current_call(object_, std::move(options)), state_.name, std::move(device),
                               std::move(result));
    }

    void SetAutoextend(sdbus::Result<>&& result, std::string kind, uint32_t threshold, uint32_t step,
                       std::map<std::string, sdbus::Variant> options) override
    {
        calls_.set_pool_autoextend(current_call(object_, std::move(options)), state_.name, std::move(kind), threshold,
                                   step, std::move(result));
    }

    std::string Name() override { return state_.name; }
    std::string Uuid() override { return state_.uuid; }
    std::vector<sdbus::Struct<std::string, std::string, uint64_t, bool>> Members() override
    {
        std::vector<sdbus::Struct<std::string, std::string, uint64_t, bool>> members;
        for (const auto& member : state_.members)
            members.emplace_back(member.uuid, member.path, member.bytes, member.present);
        return members;
    }
    uint64_t Size() override { return state_.size; }
    uint64_t Free() override { return state_.free; }
    uint64_t ExtentSize() override { return state_.extent_size; }
    bool Complete() override { return state_.complete; }
    std::vector<std::string> MissingMembers() override { return state_.missing_members; }
    std::vector<std::string> FailedMembers() override { return state_.failed_members; }
    std::string Owner() override { return state_.owner; }
    bool Foreign() override { return state_.foreign; }
    std::vector<std::string> Problems() override { return state_.problems; }
    sdbus::Struct<uint32_t, uint32_t> ThinPoolAutoextend() override
    {
        return {state_.thin_pool_autoextend.threshold, state_.thin_pool_autoextend.step};
    }
    sdbus::Struct<uint32_t, uint32_t> SnapshotAutoextend() override
    {
        return {state_.snapshot_autoextend.threshold, state_.snapshot_autoextend.step};
    }

public:
    void emit_space_warning(const std::string& volume, const std::string& what, const std::string& message)
    {
        emitSpaceWarning(sdbus::ObjectPath(volume_path(state_.name, volume)), what, message);
    }

private:

    sdbus::IObject& object_;
    const PoolState& state_;
    MethodCalls& calls_;
};

PoolObject::PoolObject(sdbus::IConnection& connection, PoolState state, MethodCalls& calls)
    : state_(std::move(state)), object_(sdbus::createObject(connection, pool_path(state_.name)))
{
    interface_ = std::make_unique<Interface>(*object_, state_, calls);
    object_->finishRegistration();
    object_->emitInterfacesAddedSignal();
}

void PoolObject::withdraw()
{
    if (withdrawn_)
        return;
    withdrawn_ = true;
    object_->emitInterfacesRemovedSignal();
}

PoolObject::~PoolObject()
{
    try {
        withdraw();
    } catch (const sdbus::Error&) {
        // The connection is going away with the daemon; nobody is left to tell.
    }
    object_->unregister();
}

void PoolObject::update(const PoolState& state)
{
    ChangedProperties changed(PoolAdaptor::INTERFACE_NAME);
    changed.compare(state_.uuid, state.uuid, "Uuid");
    changed.compare(state_.members, state.members, "Members");
    changed.compare(state_.size, state.size, "Size");
    changed.compare(state_.free, state.free, "Free");
    changed.compare(state_.extent_size, state.extent_size, "ExtentSize");
    changed.compare(state_.complete, state.complete, "Complete");
    changed.compare(state_.missing_members, state.missing_members, "MissingMembers");
    changed.compare(state_.failed_members, state.failed_members, "FailedMembers");
    changed.compare(state_.problems, state.problems, "Problems");
    changed.compare(state_.owner, state.owner, "Owner");
    changed.compare(state_.foreign, state.foreign, "Foreign");
    changed.compare(state_.thin_pool_autoextend, state.thin_pool_autoextend, "ThinPoolAutoextend");
    changed.compare(state_.snapshot_autoextend, state.snapshot_autoextend, "SnapshotAutoextend");
    state_ = state;
    changed.emit(*object_);
}

void PoolObject::emit_space_warning(const std::string& volume, const std::string& what, const std::string& message)
{
    interface_->emit_space_warning(volume, what, message);
}

}  // namespace volumes::bus
