#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <sdbus-c++/sdbus-c++.h>

#include "volumes/client/client.hpp"

namespace volumes::client {

class Client::Impl {
public:
    explicit Impl(std::unique_ptr<sdbus::IConnection> connection);

    sdbus::IConnection& bus() { return *connection_; }

    // Dispatches what arrived, then waits for more until `done` or the deadline;
    // `done` is checked after every batch and at least every 100 ms.
    bool pump_until(const std::function<bool()>& done, std::chrono::steady_clock::time_point deadline);

private:
    std::unique_ptr<sdbus::IConnection> connection_;
};

}  // namespace volumes::client
