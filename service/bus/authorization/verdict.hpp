// Turning what the bus driver and polkit answered into an AuthorizationResult whose message
// says why a call was refused and what to do about it.
#pragma once

#include <sys/types.h>

#include <expected>
#include <map>
#include <optional>
#include <string>

#include <sdbus-c++/sdbus-c++.h>

#include "service/bus/authorization/authority.hpp"
#include "service/bus/authorization/polkit_arguments.hpp"

namespace volumes::bus {

// The uid and pid in org.freedesktop.DBus.GetConnectionCredentials's answer ("UnixUserID",
// "ProcessID"); without a uid the caller is unknown.
std::expected<CallerCredentials, std::string> credentials_from_bus(
    const std::string& sender, const std::map<std::string, sdbus::Variant>& credentials);

// Root, uid 0 with CAP_SYS_ADMIN in its effective set, is allowed outright; anyone else needs
// polkit's answer (nullopt).
std::optional<AuthorizationResult> verdict_without_polkit(uid_t uid, bool has_cap_sys_admin);

AuthorizationResult verdict_from_polkit(const AuthorizationRequest& request, uid_t uid, const polkit::Reply& reply);

// polkit missing, failing, timing out or answering something unreadable: always refused.
AuthorizationResult verdict_from_polkit_error(const AuthorizationRequest& request, uid_t uid, const sdbus::Error& error);

// Why the bus driver could not tell the caller's uid.
std::string unknown_caller_message(const std::string& sender, const sdbus::Error& error);

AuthorizationResult verdict_without_uid(const AuthorizationRequest& request, const std::string& why);

}  // namespace volumes::bus
