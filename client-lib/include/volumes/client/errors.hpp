#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

// Error policy of the library: every function reports failure by throwing a
// volumes::client::Error (or one of the typed subclasses below); nothing returns an error
// value. A D-Bus error from volumesd (org.example.Volumes.Error.<Name>) becomes the
// subclass of that name, so callers can catch exactly the refusals they handle.
namespace volumes::client {

enum class ErrorCode {
    // The errors of the D-Bus contract, org.example.Volumes.Error.<Name>.
    NotAuthorized,
    InvalidArgument,
    NotFound,
    AlreadyExists,
    Busy,
    InUse,
    NotSupported,
    KernelTooOld,
    NoSpace,
    Cancelled,
    Failed,
    // Anything else the bus answered: no bus at that address, the service cannot be
    // started, a reply that does not match the contract, a timeout.
    Bus,
    // wait_for_job gave up: its timeout passed or the caller asked it to stop. The job
    // itself goes on in the daemon.
    WaitInterrupted,
};

// "NotAuthorized", ... as in the D-Bus error names; "Bus" and "WaitInterrupted" for the rest.
std::string_view error_code_name(ErrorCode code);

class Error : public std::runtime_error {
public:
    // `dbus_name` is the D-Bus error name as received ("" for errors made here).
    Error(ErrorCode code, std::string dbus_name, std::string message);

    ErrorCode code() const noexcept { return code_; }
    const std::string& dbus_name() const noexcept { return dbus_name_; }
    // The daemon's explanation, without the error name.
    const std::string& message() const noexcept { return message_; }

private:
    ErrorCode code_;
    std::string dbus_name_;
    std::string message_;
};

template <ErrorCode Code>
class TypedError : public Error {
public:
    TypedError(std::string dbus_name, std::string message) : Error(Code, std::move(dbus_name), std::move(message)) {}
};

using NotAuthorized = TypedError<ErrorCode::NotAuthorized>;
using InvalidArgument = TypedError<ErrorCode::InvalidArgument>;
// Also thrown for an object path nobody exports (org.freedesktop.DBus.Error.UnknownObject)
// and by the find-or-throw lookups of Client.
using NotFound = TypedError<ErrorCode::NotFound>;
using AlreadyExists = TypedError<ErrorCode::AlreadyExists>;
using Busy = TypedError<ErrorCode::Busy>;
using InUse = TypedError<ErrorCode::InUse>;
// Also thrown when the object does not have the interface called
// (org.freedesktop.DBus.Error.UnknownMethod / UnknownInterface).
using NotSupported = TypedError<ErrorCode::NotSupported>;
using KernelTooOld = TypedError<ErrorCode::KernelTooOld>;
using NoSpace = TypedError<ErrorCode::NoSpace>;
using Cancelled = TypedError<ErrorCode::Cancelled>;
using Failed = TypedError<ErrorCode::Failed>;
using BusError = TypedError<ErrorCode::Bus>;
using WaitInterrupted = TypedError<ErrorCode::WaitInterrupted>;

// Throws the typed error for a D-Bus error name and message.
[[noreturn]] void throw_bus_error(const std::string& dbus_name, const std::string& message);

}  // namespace volumes::client
