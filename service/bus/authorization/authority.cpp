#include "service/bus/authorization/authority.hpp"

#include <chrono>
#include <cstdint>
#include <utility>

#include "service/bus/authorization/polkit_arguments.hpp"
#include "service/bus/authorization/process_capabilities.hpp"
#include "service/bus/authorization/verdict.hpp"

namespace volumes::bus {
namespace {

constexpr const char* bus_driver_name = "org.freedesktop.DBus";
constexpr const char* bus_driver_path = "/org/freedesktop/DBus";

constexpr auto caller_uid_timeout = std::chrono::seconds(10);
// polkit answers only once the caller has typed a password into its authentication agent.
constexpr auto check_authorization_timeout = std::chrono::minutes(5);

using Done = std::function<void(AuthorizationResult)>;

void ask_polkit(sdbus::IProxy& polkit, const AuthorizationRequest& request, uid_t uid, Done done)
{
    // Shared so that a call that cannot even be sent still reaches `done` from the catch below.
    auto shared_done = std::make_shared<Done>(std::move(done));
    try {
        polkit.callMethodAsync("CheckAuthorization")
            .onInterface(polkit::interface)
            .withTimeout(check_authorization_timeout)
            .withArguments(polkit::system_bus_name_subject(request.sender), request.action, request.details,
                           polkit::check_flags(request.allow_user_interaction), std::string{})
            .uponReplyInvoke([request, uid, shared_done](const sdbus::Error* error, polkit::Reply reply) {
                (*shared_done)(error != nullptr ? verdict_from_polkit_error(request, uid, *error)
                                                : verdict_from_polkit(request, uid, reply));
            });
    } catch (const sdbus::Error& error) {
        (*shared_done)(verdict_from_polkit_error(request, uid, error));
    }
}

}  // namespace

Authority::Authority(sdbus::IConnection& connection)
    : connection_(connection)
    , bus_driver_(sdbus::createProxy(connection_, bus_driver_name, bus_driver_path))
    , polkit_(sdbus::createProxy(connection_, polkit::service, polkit::object_path))
{
}

Authority::~Authority() = default;

// Asked here rather than through sdbus::Message::getCredsUid/Pid: those call
// sd_bus_query_sender_creds, which on dbus-daemon (no credentials attached to messages) makes a
// blocking GetConnectionCredentials call on the bus loop.
void Authority::caller_credentials(const std::string& sender,
                                   std::function<void(std::expected<CallerCredentials, std::string>)> done)
{
    auto shared_done = std::make_shared<decltype(done)>(std::move(done));
    try {
        bus_driver_->callMethodAsync("GetConnectionCredentials")
            .onInterface(bus_driver_name)
            .withTimeout(caller_uid_timeout)
            .withArguments(sender)
            .uponReplyInvoke([sender, shared_done](const sdbus::Error* error,
                                                   std::map<std::string, sdbus::Variant> credentials) {
                if (error != nullptr)
                    (*shared_done)(std::unexpected(unknown_caller_message(sender, *error)));
                else
                    (*shared_done)(credentials_from_bus(sender, credentials));
            });
    } catch (const sdbus::Error& error) {
        (*shared_done)(std::unexpected(unknown_caller_message(sender, error)));
    }
}

void Authority::caller_uid(const std::string& sender,
                           std::function<void(std::optional<uid_t> uid, std::string error)> done)
{
    caller_credentials(sender, [done = std::move(done)](std::expected<CallerCredentials, std::string> caller) {
        if (caller)
            done(caller->uid, std::string{});
        else
            done(std::nullopt, std::move(caller.error()));
    });
}

void Authority::check(const AuthorizationRequest& request, std::function<void(AuthorizationResult)> done)
{
    // `this` outlives the reply: bus_driver_ is a member, and destroying it drops the pending call.
    caller_credentials(request.sender, [this, request, done = std::move(done)](
                                           std::expected<CallerCredentials, std::string> caller) {
        if (!caller) {
            done(verdict_without_uid(request, caller.error()));
            return;
        }
        // Read when the call is checked, so a root process that dropped CAP_SYS_ADMIN after it
        // connected is not root any more. A process whose capabilities cannot be read has none.
        // The pid is the connecting process's, and dbus 1.14 offers no pidfd (ProcessFD) to pin
        // it: as with systemd 252's sd-bus and polkit's own system-bus-name subject, a
        // connection handed on past its process's exit is judged by whatever has that pid now.
        const bool cap_sys_admin = caller->uid == 0 && has_effective_cap_sys_admin(caller->pid).value_or(false);
        if (auto verdict = verdict_without_polkit(caller->uid, cap_sys_admin)) {
            done(std::move(*verdict));
            return;
        }
        ask_polkit(*polkit_, request, caller->uid, done);
    });
}

}  // namespace volumes::bus
