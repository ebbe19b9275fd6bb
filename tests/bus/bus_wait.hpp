#pragma once

#include <chrono>
#include <functional>

namespace sdbus {
class IConnection;
}

namespace volumes::test {

// Dispatches what arrives on `bus` (signal handlers run here, on this thread) until `done`
// returns true, checking it after every batch of messages and at least every 200 ms.
// Returns false if `timeout` passed first.
bool pump_until(sdbus::IConnection& bus, const std::function<bool()>& done, std::chrono::milliseconds timeout);

}  // namespace volumes::test
