#pragma once

#include <sys/types.h>

#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <sdbus-c++/sdbus-c++.h>

// Who may do what: the caller's uid and process from the bus driver, then polkit for everyone
// but root. Both questions are asked asynchronously; the bus loop never waits for an answer.
// Call from the bus loop's thread. A question that cannot even be sent is answered (refused)
// before the call returns. Destroying the Authority drops the questions still pending: their
// `done` is destroyed without running (the daemon keeps its Authority for its whole life, so
// this only happens as it leaves the bus, and its callers see their calls fail then).
namespace volumes::bus {

struct AuthorizationRequest {
    std::string sender{};  // the caller's unique bus name, ":1.42"
    std::string action{};  // a polkit action id, "org.example.volumes.manage"
    bool allow_user_interaction = true;  // false when the call's options say "auth.no_user_interaction"
    std::map<std::string, std::string> details{};  // shown to rules as action.lookup(key): "pool", "volume", "operation"
};

struct AuthorizationResult {
    bool allowed = false;
    uid_t uid = static_cast<uid_t>(-1);  // the caller's uid when the bus driver told it
    std::string message;  // when refused: why, and what to do (becomes the NotAuthorized message)
};

// What the bus driver knows of a connection: the uid and pid of the process that opened it.
struct CallerCredentials {
    uid_t uid = static_cast<uid_t>(-1);
    pid_t pid = 0;  // 0 when the bus did not say
};

class Authority {
public:
    // Calls go out on `connection`, whose event loop (the daemon's bus loop) delivers the replies.
    explicit Authority(sdbus::IConnection& connection);
    ~Authority();
    Authority(const Authority&) = delete;
    Authority& operator=(const Authority&) = delete;

    // The caller's uid and pid (org.freedesktop.DBus.GetConnectionCredentials). `done` runs on
    // the bus loop, exactly once, with them or why they are unknown.
    void caller_credentials(const std::string& sender,
                            std::function<void(std::expected<CallerCredentials, std::string>)> done);
    // The uid of caller_credentials.
    void caller_uid(const std::string& sender, std::function<void(std::optional<uid_t> uid, std::string error)> done);

    // Root, uid 0 whose process has CAP_SYS_ADMIN in its effective set when the call is
    // checked, is allowed without asking polkit. Anyone else, uid 0 without CAP_SYS_ADMIN
    // too, is allowed only if org.freedesktop.PolicyKit1.Authority.CheckAuthorization
    // (subject "system-bus-name") says is_authorized; polkit missing, failing or timing out
    // means refused. `done` runs on the bus loop, exactly once.
    void check(const AuthorizationRequest& request, std::function<void(AuthorizationResult)> done);

private:
    sdbus::IConnection& connection_;
    std::unique_ptr<sdbus::IProxy> bus_driver_;
    std::unique_ptr<sdbus::IProxy> polkit_;
};

// The polkit actions (policy/org.example.volumes.policy).
namespace action {
inline constexpr const char* manage = "org.example.volumes.manage";
// CreatePool and Pool.Destroy: they write labels over whole disks, and wipe them with "force".
inline constexpr const char* manage_pools = "org.example.volumes.manage-pools";
inline constexpr const char* import_pool = "org.example.volumes.import-pool";
inline constexpr const char* split_track = "org.example.volumes.split-track";
inline constexpr const char* merge = "org.example.volumes.merge";
inline constexpr const char* reserve_metadata_snap = "org.example.volumes.reserve-metadata-snap";
inline constexpr const char* cancel_job = "org.example.volumes.cancel-job";
}  // namespace action

}  // namespace volumes::bus
