#include "bus_wait.hpp"

#include <algorithm>
#include <cerrno>

#include <poll.h>
#include <sdbus-c++/sdbus-c++.h>

namespace volumes::test {

bool pump_until(sdbus::IConnection& bus, const std::function<bool()>& done, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        while (bus.processPendingRequest()) {
        }
        if (done())
            return true;
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return false;
        const auto poll_data = bus.getEventLoopPollData();
        pollfd fd{poll_data.fd, poll_data.events, 0};
        (void)::poll(&fd, 1, static_cast<int>(std::min<long>(left.count(), 200)));
    }
}

}  // namespace volumes::test
