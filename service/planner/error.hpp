#pragma once

#include <expected>
#include <string>
#include <utility>

namespace volumes::planner {

// Why the planner refused a transaction. Each one is a bug in the caller's graph or a state
// the steps cannot get out of; nothing has been changed when it is returned.
enum class ErrorCode {
    InvalidPrefix,  // the uuid prefix is empty, so it would claim every dm device
    ForeignDevice,  // a desired device's uuid is outside the prefix
    DuplicateName,  // two desired devices share a name, or a live device holds a new device's name
    DuplicateUuid,  // two desired devices, or two live devices, share a uuid
    InvalidTable,   // an empty table, a zero-length line, or lines not laid end to end from 0
    UnknownChild,   // a desired device stacks on a uuid that is neither desired nor live
    LeavingChild,   // a desired device stacks on a live device that leaves the graph
    Cycle,          // the desired graph, or the live one, stacks a device on itself
    Busy,           // a leaving device is open by something other than the pool's own devices
};

const char* to_string(ErrorCode code);

struct Error {
    ErrorCode code;
    std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message)
{
    return std::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace volumes::planner
