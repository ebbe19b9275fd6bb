#pragma once

#include <string>
#include <vector>

#include "process.hpp"

namespace sdbus {
class IConnection;
}

namespace volumes::test {

inline constexpr const char* volumes_bus_name = "org.example.Volumes";

// One method call on org.example.Volumes; `arguments` are busctl-style words
// (CallArguments::words()).
struct Call {
    std::string path;
    std::string interface;
    std::string method;
    std::vector<std::string> arguments;

    // The same call as a busctl command line, for failure messages.
    std::string describe() const;
};

struct Outcome {
    std::string error;  // the D-Bus error name; empty when the call succeeded
    std::string text;   // the error's message, or the reply's first string or object path

    bool ok() const { return error.empty(); }
    std::string describe() const;  // "reply '/org/...'" or "error Name: message"
};

// Makes the call as this process (root) on `bus`, waiting up to two minutes.
Outcome call(sdbus::IConnection& bus, const Call& call);

// Makes the call from a child process running the volumes-bus-call helper with the
// given credentials, on a connection of its own. Throws when the helper cannot make it.
Outcome call_as(const Credentials& as, const Call& call);

// Makes the call from the volumes-bus-call helper started through `wrapper` (a command that
// runs the rest of its arguments, such as setpriv with its options), as this process's user.
Outcome call_through(const std::vector<std::string>& wrapper, const Call& call);

// call(), throwing std::runtime_error with both descriptions unless it succeeded; returns
// the reply's first string or object path.
std::string call_ok(sdbus::IConnection& bus, const Call& call);

}  // namespace volumes::test
