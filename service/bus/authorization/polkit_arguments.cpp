#include "service/bus/authorization/polkit_arguments.hpp"

namespace volumes::bus::polkit {

Subject system_bus_name_subject(const std::string& sender)
{
    return Subject{std::string{"system-bus-name"}, std::map<std::string, sdbus::Variant>{{"name", sdbus::Variant{sender}}}};
}

std::uint32_t check_flags(bool allow_interaction)
{
    return allow_interaction ? allow_user_interaction : no_flags;
}

}  // namespace volumes::bus::polkit
