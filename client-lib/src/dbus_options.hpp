#pragma once

#include <map>
#include <string>

#include <sdbus-c++/sdbus-c++.h>

#include "volumes/client/options.hpp"

namespace volumes::client {

std::map<std::string, sdbus::Variant> to_dbus(const Options& options);

}  // namespace volumes::client
