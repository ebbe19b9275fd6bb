#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>

namespace volumes::client {

// The a{sv} "options" argument every method of the contract ends with. The value's
// alternative decides the D-Bus type: bool "b", std::string "s", std::uint32_t "u",
// std::uint64_t "t". Which keys each method takes is documented in the interface XML.
using OptionValue = std::variant<bool, std::string, std::uint32_t, std::uint64_t>;

class Options {
public:
    Options() = default;

    Options& set(std::string key, OptionValue value);
    // "auth.no_user_interaction": polkit must not ask the user for a password.
    Options& no_user_interaction(bool value = true);

    const std::map<std::string, OptionValue>& values() const { return values_; }

private:
    std::map<std::string, OptionValue> values_;
};

}  // namespace volumes::client
