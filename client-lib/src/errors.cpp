#include "volumes/client/errors.hpp"

#include <array>
#include <utility>

namespace volumes::client {

namespace {

constexpr std::string_view contract_prefix = "org.example.Volumes.Error.";

constexpr std::array<std::pair<std::string_view, ErrorCode>, 13> names{{
    {"NotAuthorized", ErrorCode::NotAuthorized},
    {"InvalidArgument", ErrorCode::InvalidArgument},
    {"NotFound", ErrorCode::NotFound},
    {"AlreadyExists", ErrorCode::AlreadyExists},
    {"Busy", ErrorCode::Busy},
    {"InUse", ErrorCode::InUse},
    {"NotSupported", ErrorCode::NotSupported},
    {"KernelTooOld", ErrorCode::KernelTooOld},
    {"NoSpace", ErrorCode::NoSpace},
    {"Cancelled", ErrorCode::Cancelled},
    {"Failed", ErrorCode::Failed},
    {"Bus", ErrorCode::Bus},
    {"WaitInterrupted", ErrorCode::WaitInterrupted},
}};

ErrorCode code_of(std::string_view dbus_name)
{
    if (dbus_name.starts_with(contract_prefix)) {
        const auto short_name = dbus_name.substr(contract_prefix.size());
        for (const auto& [name, code] : names)
            if (name == short_name && code != ErrorCode::Bus && code != ErrorCode::WaitInterrupted)
                return code;
        return ErrorCode::Failed;  // a newer daemon's error this library does not know
    }
    if (dbus_name == "org.freedesktop.DBus.Error.UnknownObject")
        return ErrorCode::NotFound;
    if (dbus_name == "org.freedesktop.DBus.Error.UnknownMethod" || dbus_name == "org.freedesktop.DBus.Error.UnknownInterface")
        return ErrorCode::NotSupported;
    return ErrorCode::Bus;
}

template <ErrorCode Code>
[[noreturn]] void throw_typed(const std::string& dbus_name, const std::string& message)
{
    throw TypedError<Code>(dbus_name, message);
}

}  // namespace

std::string_view error_code_name(ErrorCode code)
{
    for (const auto& [name, known] : names)
        if (known == code)
            return name;
    return "Unknown";
}

Error::Error(ErrorCode code, std::string dbus_name, std::string message)
    : std::runtime_error(dbus_name.empty() ? message : dbus_name + ": " + message),
      code_(code),
      dbus_name_(std::move(dbus_name)),
      message_(std::move(message))
{
}

void throw_bus_error(const std::string& dbus_name, const std::string& message)
{
    switch (code_of(dbus_name)) {
    case ErrorCode::NotAuthorized: throw_typed<ErrorCode::NotAuthorized>(dbus_name, message);
    case ErrorCode::InvalidArgument: throw_typed<ErrorCode::InvalidArgument>(dbus_name, message);
    case ErrorCode::NotFound: throw_typed<ErrorCode::NotFound>(dbus_name, message);
    case ErrorCode::AlreadyExists: throw_typed<ErrorCode::AlreadyExists>(dbus_name, message);
    case ErrorCode::Busy: throw_typed<ErrorCode::Busy>(dbus_name, message);
    case ErrorCode::InUse: throw_typed<ErrorCode::InUse>(dbus_name, message);
    case ErrorCode::NotSupported: throw_typed<ErrorCode::NotSupported>(dbus_name, message);
    case ErrorCode::KernelTooOld: throw_typed<ErrorCode::KernelTooOld>(dbus_name, message);
    case ErrorCode::NoSpace: throw_typed<ErrorCode::NoSpace>(dbus_name, message);
    case ErrorCode::Cancelled: throw_typed<ErrorCode::Cancelled>(dbus_name, message);
    case ErrorCode::Failed: throw_typed<ErrorCode::Failed>(dbus_name, message);
    case ErrorCode::WaitInterrupted: throw_typed<ErrorCode::WaitInterrupted>(dbus_name, message);
    case ErrorCode::Bus: break;
    }
    throw_typed<ErrorCode::Bus>(dbus_name, message);
}

}  // namespace volumes::client
