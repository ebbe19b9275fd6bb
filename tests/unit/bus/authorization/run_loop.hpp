// Runs connections' event loops on the test's thread, the way the daemon runs its bus loop.
#pragma once

#include <chrono>
#include <functional>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

namespace volumes::testing {

// Processes what arrives on `connections` until `finished` is true or `limit` has passed;
// says whether `finished` became true.
bool run_until(const std::vector<sdbus::IConnection*>& connections, const std::function<bool()>& finished,
               std::chrono::milliseconds limit = std::chrono::seconds(10));

// Processes what arrives on `connections` for `period`, to see that nothing more happens.
void run_for(const std::vector<sdbus::IConnection*>& connections, std::chrono::milliseconds period);

}  // namespace volumes::testing
