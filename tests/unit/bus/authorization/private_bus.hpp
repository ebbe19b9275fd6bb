// A dbus-daemon of the test's own, so that the authorization code talks to a real bus driver
// without touching the machine's system bus.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "child_process.hpp"

namespace volumes::testing {

class PrivateBus {
public:
    // Lets everyone connect, own any name and call anything: for tests of the daemon's own
    // authorization, not of a bus policy.
    static constexpr const char* permissive_policy = R"(
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>)";

    // Starts dbus-daemon on a socket in a fresh directory that any user may connect to, with
    // `policy`: the <policy> and <include> elements of its configuration.
    explicit PrivateBus(const std::string& policy = permissive_policy);
    ~PrivateBus();
    PrivateBus(const PrivateBus&) = delete;
    PrivateBus& operator=(const PrivateBus&) = delete;

    const std::string& address() const { return address_; }

private:
    std::filesystem::path directory_;
    std::unique_ptr<ChildProcess> daemon_;
    std::string address_;
};

}  // namespace volumes::testing
