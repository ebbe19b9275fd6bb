#include "service/bus/objects/manager_object.hpp"

#include "service/bus/object_paths.hpp"
#include "volumes/Manager_adaptor.h"

namespace volumes::bus {

using ManagerAdaptor = org::example::Volumes::Manager_adaptor;

class ManagerObject::Interface final : public ManagerAdaptor {
public:
    Interface(sdbus::IObject& object, const ManagerObject& owner, MethodCalls& calls)
        : ManagerAdaptor(object), object_(object), owner_(owner), calls_(calls)
    {
    }

private:
    void CreatePool(sdbus::Result<sdbus::ObjectPath>&& result, std::string name, std::vector<std::string> devices,
                    std::map<std::string, sdbus::Variant> options) override
    {
        calls_.create_pool(current_call(object_, std::move(options)), std::move(name), std::move(devices),
                           std::move(result));
    }
    void ImportPool(sdbus::Result<sdbus::ObjectPath>&& result, std::string pool,
                    std::map<std::string, sdbus::Variant> options) override
    {
        calls_.import_pool(current_call(object_, std::move(options)), std::move(pool), std::move(result));
    }
    std::vector<std::string> Problems() override { return owner_.problems_; }
    std::string Version() override { return owner_.version_; }
    std::map<std::string, std::string> KernelTargets() override { return owner_.kernel_targets_; }

    sdbus::IObject& object_;
    const ManagerObject& owner_;
    MethodCalls& calls_;
};

ManagerObject::ManagerObject(sdbus::IConnection& connection, std::string version,
                             std::map<std::string, std::string> kernel_targets, MethodCalls& calls)
    : version_(std::move(version)),
      kernel_targets_(std::move(kernel_targets)),
      object_(sdbus::createObject(connection, kRootPath))
{
    interface_ = std::make_unique<Interface>(*object_, *this, calls);
    object_->addObjectManager();
    object_->finishRegistration();
}

ManagerObject::~ManagerObject()
{
    object_->unregister();
}

void ManagerObject::set_kernel_targets(std::map<std::string, std::string> targets)
{
    if (targets == kernel_targets_)
        return;
    kernel_targets_ = std::move(targets);
    object_->emitPropertiesChangedSignal(ManagerAdaptor::INTERFACE_NAME, {"KernelTargets"});
}

void ManagerObject::set_problems(std::vector<std::string> problems)
{
    if (problems == problems_)
        return;
    problems_ = std::move(problems);
    object_->emitPropertiesChangedSignal(ManagerAdaptor::INTERFACE_NAME, {"Problems"});
}

}  // namespace volumes::bus
