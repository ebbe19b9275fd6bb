#pragma once

#include <map>
#include <string>
#include <vector>

namespace volumes::test {

// One interface as introspection XML describes it, annotations and documentation left out.
struct InterfaceDescription {
    std::map<std::string, std::string> methods;     // name → "in(name:type, ...) out(name:type, ...)"
    std::map<std::string, std::string> properties;  // name → "type access"
    std::map<std::string, std::string> signals;     // name → "(name:type, ...)"
};

using Introspection = std::map<std::string, InterfaceDescription>;  // by interface name

// Parses introspection XML (expat). Throws std::runtime_error on malformed XML.
Introspection parse_introspection(const std::string& xml);

// Every interfaces/org.example.Volumes.*.xml of the source tree: the contract.
Introspection contract_interfaces();

// What differs between the contract's and the object's description, one line each.
std::vector<std::string> differences(const std::string& interface, const InterfaceDescription& contract,
                                     const InterfaceDescription& actual);

}  // namespace volumes::test
