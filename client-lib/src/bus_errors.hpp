#pragma once

#include <utility>

#include <sdbus-c++/Error.h>

#include "volumes/client/errors.hpp"

namespace volumes::client {

// Runs a D-Bus call, turning sdbus-c++'s error into the library's typed one.
template <class F>
decltype(auto) translated(F&& call)
{
    try {
        return std::forward<F>(call)();
    } catch (const sdbus::Error& error) {
        throw_bus_error(error.getName(), error.getMessage());
    }
}

}  // namespace volumes::client
