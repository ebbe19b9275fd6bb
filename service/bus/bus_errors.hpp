#pragma once

#include <string>

#include <sdbus-c++/Error.h>

#include "service/engine/engine_error.hpp"

// Engine errors as the D-Bus errors of architecture.md: org.example.Volumes.Error.<Name>.
namespace volumes::bus {

inline constexpr const char* kErrorPrefix = "org.example.Volumes.Error.";

std::string error_name(engine::ErrorCode code);
sdbus::Error to_bus_error(const engine::Error& error);
sdbus::Error not_authorized(const std::string& message);

}  // namespace volumes::bus
