#include "volumes/client/options.hpp"

#include "dbus_options.hpp"

namespace volumes::client {

Options& Options::set(std::string key, OptionValue value)
{
    values_.insert_or_assign(std::move(key), std::move(value));
    return *this;
}

Options& Options::no_user_interaction(bool value)
{
    return set("auth.no_user_interaction", value);
}

std::map<std::string, sdbus::Variant> to_dbus(const Options& options)
{
    std::map<std::string, sdbus::Variant> out;
    for (const auto& [key, value] : options.values())
        std::visit([&, &key = key](const auto& v) { out.emplace(key, sdbus::Variant(v)); }, value);
    return out;
}

}  // namespace volumes::client
