#include "run_loop.hpp"

#include <poll.h>

namespace volumes::testing {
namespace {

void process_all(const std::vector<sdbus::IConnection*>& connections)
{
    for (auto* connection : connections)
        while (connection->processPendingRequest()) {
        }
}

void wait_for_input(const std::vector<sdbus::IConnection*>& connections)
{
    std::vector<pollfd> fds;
    for (auto* connection : connections) {
        const auto data = connection->getEventLoopPollData();
        fds.push_back(pollfd{.fd = data.fd, .events = data.events, .revents = 0});
    }
    // A short poll instead of sd-bus's own deadlines: processing every 20 ms is enough for
    // method-call timeouts to fire.
    ::poll(fds.data(), fds.size(), 20);
}

}  // namespace

bool run_until(const std::vector<sdbus::IConnection*>& connections, const std::function<bool()>& finished,
               std::chrono::milliseconds limit)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        process_all(connections);
        if (finished())
            return true;
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        wait_for_input(connections);
    }
}

void run_for(const std::vector<sdbus::IConnection*>& connections, std::chrono::milliseconds period)
{
    run_until(connections, [] { return false; }, period);
}

}  // namespace volumes::testing
