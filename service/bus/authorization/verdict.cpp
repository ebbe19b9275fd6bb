#include "service/bus/authorization/verdict.hpp"

#include <cstdint>

#include <fmt/format.h>

namespace volumes::bus {
namespace {

AuthorizationResult refused(uid_t uid, std::string message)
{
    return AuthorizationResult{.allowed = false, .uid = uid, .message = std::move(message)};
}

bool is_one_of(const std::string& name, std::initializer_list<const char*> names)
{
    for (const char* candidate : names)
        if (name == candidate)
            return true;
    return false;
}

std::string describe(const sdbus::Error& error)
{
    if (error.getMessage().empty())
        return error.getName();
    return fmt::format("{}: {}", error.getName(), error.getMessage());
}

}  // namespace

std::expected<CallerCredentials, std::string> credentials_from_bus(
    const std::string& sender, const std::map<std::string, sdbus::Variant>& credentials)
{
    const auto uid = credentials.find("UnixUserID");
    if (uid == credentials.end() || !uid->second.containsValueOfType<std::uint32_t>())
        return std::unexpected(fmt::format("the bus could not tell which user {} is (no UnixUserID in its "
                                           "credentials)",
                                           sender));
    CallerCredentials caller{.uid = static_cast<uid_t>(uid->second.get<std::uint32_t>()), .pid = 0};
    if (const auto pid = credentials.find("ProcessID");
        pid != credentials.end() && pid->second.containsValueOfType<std::uint32_t>())
        caller.pid = static_cast<pid_t>(pid->second.get<std::uint32_t>());
    return caller;
}

std::optional<AuthorizationResult> verdict_without_polkit(uid_t uid, bool has_cap_sys_admin)
{
    if (uid == 0 && has_cap_sys_admin)
        return AuthorizationResult{.allowed = true, .uid = uid, .message = {}};
    return std::nullopt;
}

AuthorizationResult verdict_from_polkit(const AuthorizationRequest& request, uid_t uid, const polkit::Reply& reply)
{
    const bool is_authorized = reply.get<0>();
    const bool is_challenge = reply.get<1>();
    const auto& details = reply.get<2>();
    if (is_authorized)
        return AuthorizationResult{.allowed = true, .uid = uid, .message = {}};

    if (const auto dismissed = details.find("polkit.dismissed"); dismissed != details.end() && dismissed->second == "true")
        return refused(uid, fmt::format("authentication for {} was dismissed; run the command again and enter the "
                                        "password when polkit asks for it",
                                        request.action));
    if (is_challenge && !request.allow_user_interaction)
        return refused(uid, fmt::format("authentication is required for {}; run the command again without "
                                        "auth.no_user_interaction so polkit can ask for a password",
                                        request.action));
    // With interaction allowed, polkit answers "challenge" only when no authentication agent
    // was there to ask the caller.
    if (is_challenge)
        return refused(uid, fmt::format("authentication is required for {}, but no polkit authentication agent "
                                        "could ask uid {} for a password; run the command from a desktop session, "
                                        "or start an agent (pkttyagent) and run it again",
                                        request.action, uid));
    return refused(uid, fmt::format("polkit did not authorize {} for uid {}; ask an administrator, or add a polkit "
                                    "rule that allows it",
                                    request.action, uid));
}

AuthorizationResult verdict_from_polkit_error(const AuthorizationRequest& request, uid_t uid, const sdbus::Error& error)
{
    const auto& name = error.getName();
    if (is_one_of(name, {"org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner"}))
        return refused(uid, fmt::format("polkit is not available ({}): only root with CAP_SYS_ADMIN may change "
                                        "volumes; install and start polkit to let other users ask for {}",
                                        describe(error), request.action));
    if (is_one_of(name, {"org.freedesktop.DBus.Error.NoReply", "org.freedesktop.DBus.Error.Timeout",
                         "org.freedesktop.DBus.Error.TimedOut"}))
        return refused(uid, fmt::format("polkit did not answer whether uid {} may use {} ({}); run the command "
                                        "again, and check that polkit is running if this repeats",
                                        uid, request.action, describe(error)));
    if (name == "org.freedesktop.PolicyKit1.Error.Cancelled")
        return refused(uid, fmt::format("the authorization check for {} was cancelled ({}); run the command again",
                                        request.action, describe(error)));
    return refused(uid, fmt::format("polkit could not check {} for uid {} ({}); only root with CAP_SYS_ADMIN may "
                                    "change volumes until polkit works, see its log (journalctl -u polkit)",
                                    request.action, uid, describe(error)));
}

std::string unknown_caller_message(const std::string& sender, const sdbus::Error& error)
{
    return fmt::format("the bus could not tell which user {} is ({}); the caller may have left the bus", sender,
                       describe(error));
}

AuthorizationResult verdict_without_uid(const AuthorizationRequest& request, const std::string& why)
{
    return refused(static_cast<uid_t>(-1), fmt::format("{} is refused: {}", request.action, why));
}

}  // namespace volumes::bus
