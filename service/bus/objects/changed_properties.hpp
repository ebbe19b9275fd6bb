#pragma once

#include <string>
#include <vector>

#include <sdbus-c++/IObject.h>

namespace volumes::bus {

// Collects the names of the properties of one interface whose values an update changed, then
// emits one PropertiesChanged for them.
class ChangedProperties {
public:
    explicit ChangedProperties(const char* interface) : interface_(interface) {}

    template <class T>
    void compare(const T& before, const T& after, const char* property)
    {
        if (!(before == after))
            names_.emplace_back(property);
    }

    void emit(sdbus::IObject& object) const
    {
        if (!names_.empty())
            object.emitPropertiesChangedSignal(interface_, names_);
    }

private:
    const char* interface_;
    std::vector<std::string> names_;
};

}  // namespace volumes::bus
