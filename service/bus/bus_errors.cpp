#include "service/bus/bus_errors.hpp"

namespace volumes::bus {

std::string error_name(engine::ErrorCode code)
{
    return std::string(kErrorPrefix) + engine::to_string(code);
}

sdbus::Error to_bus_error(const engine::Error& error)
{
    return sdbus::Error(error_name(error.code), error.message);
}

sdbus::Error not_authorized(const std::string& message)
{
    return sdbus::Error(std::string(kErrorPrefix) + "NotAuthorized", message);
}

}  // namespace volumes::bus
