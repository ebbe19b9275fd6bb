#pragma once

#include <string>
#include <variant>

#include "kmod/device_number.hpp"

namespace volumes::kmod {

// How a dm task names the device it acts on.
class DeviceId {
public:
    static DeviceId by_name(std::string name) { return DeviceId(Name{std::move(name)}); }
    static DeviceId by_uuid(std::string uuid) { return DeviceId(Uuid{std::move(uuid)}); }
    static DeviceId by_number(DeviceNumber number) { return DeviceId(number); }

    struct Name { std::string value; };
    struct Uuid { std::string value; };
    using Key = std::variant<Name, Uuid, DeviceNumber>;

    const Key& key() const { return key_; }
    std::string describe() const;  // for error messages: "dm device 'volumes-p-v'"

private:
    explicit DeviceId(Key key) : key_(std::move(key)) {}
    Key key_;
};

}  // namespace volumes::kmod
