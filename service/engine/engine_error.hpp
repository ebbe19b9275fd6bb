#pragma once

#include <expected>
#include <string>
#include <utility>

namespace volumes::engine {

// What the engine's callers are told. The codes are the D-Bus errors of architecture.md
// ("org.example.Volumes.Error.<Name>") minus NotAuthorized, which the bus layer decides.
enum class ErrorCode {
    InvalidArgument,
    NotFound,
    AlreadyExists,
    Busy,          // another operation holds what this one needs, or a device is held by the kernel
    InUse,         // a device is open, mounted, or carries data the caller did not say to destroy
    NotSupported,
    KernelTooOld,
    NoSpace,
    Cancelled,
    Failed,        // the kernel or a member device failed; the message says what and where
};

const char* to_string(ErrorCode code);

struct Error {
    ErrorCode code;
    std::string message;
    bool operator==(const Error&) const = default;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message)
{
    return std::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace volumes::engine
