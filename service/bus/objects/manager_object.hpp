#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "service/bus/objects/method_calls.hpp"

namespace volumes::bus {

// /org/example/Volumes: org.example.Volumes.Manager and org.freedesktop.DBus.ObjectManager.
class ManagerObject {
public:
    ManagerObject(sdbus::IConnection& connection, std::string version,
                  std::map<std::string, std::string> kernel_targets, MethodCalls& calls);
    ~ManagerObject();
    ManagerObject(const ManagerObject&) = delete;
    ManagerObject& operator=(const ManagerObject&) = delete;

    void set_kernel_targets(std::map<std::string, std::string> targets);
    void set_problems(std::vector<std::string> problems);

private:
    class Interface;
    std::string version_;
    std::map<std::string, std::string> kernel_targets_;
    std::vector<std::string> problems_;
    std::unique_ptr<sdbus::IObject> object_;
    std::unique_ptr<Interface> interface_;
};

}  // namespace volumes::bus
