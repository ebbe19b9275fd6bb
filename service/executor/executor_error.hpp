#pragma once

#include <expected>
#include <string>
#include <utility>

namespace volumes::executor {

enum class ErrorCode {
    Refused,   // the planner or the graph refused the transaction; nothing was changed
    Busy,      // a device that must leave the graph is open outside the pool; nothing was changed
    Kernel,    // a dm task failed
    Metadata,  // writing, committing or dropping the metadata failed
    Fault,     // a fault point set to fail (tests only)
};

const char* to_string(ErrorCode code);

struct Error {
    ErrorCode code;
    std::string message;
    // The metadata committed before the failure: the new state is the pool's truth and
    // reconciliation finishes what is left. Otherwise everything was reverted.
    bool committed = false;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message, bool committed = false)
{
    return std::unexpected<Error>(Error{code, std::move(message), committed});
}

}  // namespace volumes::executor
