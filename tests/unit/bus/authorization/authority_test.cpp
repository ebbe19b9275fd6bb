// The Authority against a real dbus-daemon (the test's own) on which no polkitd runs: the
// caller's uid and pid come from the bus driver, root with CAP_SYS_ADMIN is allowed without
// polkit, and everyone else, root without CAP_SYS_ADMIN too, is refused when polkit is missing. What a real polkitd decides is tested in the guest
// (tests/bus), where polkitd runs on the system bus.
#include <unistd.h>

#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "run_loop.hpp"
#include "child_process.hpp"
#include "private_bus.hpp"
#include "service/bus/authorization/authority.hpp"

namespace volumes::bus {
namespace {

using ::testing::HasSubstr;
using volumes::testing::ChildProcess;
using volumes::testing::PrivateBus;
using volumes::testing::run_for;
using volumes::testing::run_until;

constexpr uid_t nobody = 65534;

class AuthorityOnBus : public ::testing::Test {
protected:
    void SetUp() override
    {
        for (const char* program : {"dbus-daemon", "dbus-send"})
            if (!volumes::testing::program_available(program))
                GTEST_FAIL() << program << " is not installed (package dbus): run scripts/install-deps.sh";

        bus_ = std::make_unique<PrivateBus>();
        daemon_ = sdbus::createSessionBusConnectionWithAddress(bus_->address());
        authority_ = std::make_unique<Authority>(*daemon_);

        // The daemon's side of a mutating call: the sender's unique name goes to the Authority,
        // and the reply waits for its answer.
        service_ = sdbus::createObject(*daemon_, "/test");
        service_->registerMethod("Check")
            .onInterface("org.example.Test")
            .implementedAs([this](sdbus::Result<>&& result, std::string action, bool interactive) {
                const auto sender = service_->getCurrentlyProcessedMessage()->getSender();
                senders_.push_back(sender);
                auto pending = std::make_shared<sdbus::Result<>>(std::move(result));
                authority_->check(AuthorizationRequest{.sender = sender,
                                                       .action = action,
                                                       .allow_user_interaction = interactive,
                                                       .details = {{"pool", "tank"}}},
                                  [this, pending](AuthorizationResult answer) {
                                      results_.push_back(std::move(answer));
                                      pending->returnResults();
                                  });
            });
        service_->finishRegistration();
    }

    std::vector<sdbus::IConnection*> connections() const
    {
        return {daemon_.get()};
    }

    // A caller that is not root: nobody when the test runs as root, else the test's own user.
    static uid_t other_user() { return ::geteuid() == 0 ? nobody : ::geteuid(); }

    // Calls Check from a dbus-send run as `uid`.
    std::unique_ptr<ChildProcess> call_check_as(uid_t uid, const std::string& action, bool interactive)
    {
        std::vector<std::string> argv;
        if (uid != ::geteuid())
            argv = {"setpriv", fmt::format("--reuid={}", uid), fmt::format("--regid={}", uid), "--clear-groups"};
        return call_check_through(argv, action, interactive);
    }

    // Calls Check from a dbus-send run as root whose effective set lacks CAP_SYS_ADMIN.
    std::unique_ptr<ChildProcess> call_check_without_cap_sys_admin(const std::string& action)
    {
        return call_check_through({"setpriv", "--bounding-set", "-sys_admin", "--inh-caps", "-sys_admin"}, action,
                                  true);
    }

    std::unique_ptr<ChildProcess> call_check_through(std::vector<std::string> argv, const std::string& action,
                                                     bool interactive)
    {
        argv.insert(argv.end(), {"dbus-send", fmt::format("--bus={}", bus_->address()), "--print-reply",
                                 fmt::format("--dest={}", daemon_->getUniqueName()), "/test",
                                 "org.example.Test.Check", fmt::format("string:{}", action),
                                 fmt::format("boolean:{}", interactive ? "true" : "false")});
        return std::make_unique<ChildProcess>(argv, ChildProcess::Capture::Stdout);
    }

    // Runs the call to its end and returns the one answer the Authority gave.
    AuthorizationResult answer_for(ChildProcess& caller)
    {
        EXPECT_TRUE(run_until(connections(), [&] { return caller.exit_status().has_value(); }));
        EXPECT_EQ(caller.exit_status().value_or(-1), 0) << "the caller got no reply";
        run_for(connections(), std::chrono::milliseconds(100));
        EXPECT_EQ(results_.size(), 1U) << "done must run exactly once";
        return results_.empty() ? AuthorizationResult{} : results_.front();
    }

    std::unique_ptr<PrivateBus> bus_;
    std::unique_ptr<sdbus::IConnection> daemon_;
    std::unique_ptr<Authority> authority_;
    std::unique_ptr<sdbus::IObject> service_;
    std::vector<std::string> senders_;
    std::vector<AuthorizationResult> results_;
};

TEST_F(AuthorityOnBus, TheCallersUidComesFromTheBusDriver)
{
    std::optional<uid_t> uid;
    int answers = 0;
    authority_->caller_uid(daemon_->getUniqueName(), [&](std::optional<uid_t> answer, std::string error) {
        ++answers;
        uid = answer;
        EXPECT_EQ(error, "");
    });
    ASSERT_TRUE(run_until(connections(), [&] { return answers > 0; }));
    EXPECT_EQ(uid, ::geteuid());
}

TEST_F(AuthorityOnBus, TheCallersProcessComesFromTheBusDriver)
{
    std::optional<CallerCredentials> caller;
    int answers = 0;
    authority_->caller_credentials(daemon_->getUniqueName(), [&](std::expected<CallerCredentials, std::string> answer) {
        ++answers;
        ASSERT_TRUE(answer.has_value()) << answer.error();
        caller = *answer;
    });
    ASSERT_TRUE(run_until(connections(), [&] { return answers > 0; }));
    ASSERT_TRUE(caller.has_value());
    EXPECT_EQ(caller->uid, ::geteuid());
    EXPECT_EQ(caller->pid, ::getpid());
}

TEST_F(AuthorityOnBus, RootIsAllowedWithoutPolkit)
{
    if (::geteuid() != 0)
        GTEST_FAIL() << "needs a root caller: run the tests as root";
    // No polkitd runs on this bus, so only the root check can allow the call.
    auto caller = call_check_as(0, action::manage, true);
    const auto answer = answer_for(*caller);
    EXPECT_TRUE(answer.allowed) << answer.message;
    EXPECT_EQ(answer.uid, 0U);
}

TEST_F(AuthorityOnBus, RootWithoutCapSysAdminIsAskedAboutLikeAnyoneElse)
{
    if (::geteuid() != 0)
        GTEST_FAIL() << "needs a root caller: run the tests as root";
    if (!volumes::testing::program_available("setpriv"))
        GTEST_FAIL() << "setpriv is not installed (package util-linux)";
    // Without polkitd on this bus, a caller that goes to polkit is refused.
    auto caller = call_check_without_cap_sys_admin(action::manage_pools);
    const auto answer = answer_for(*caller);
    EXPECT_FALSE(answer.allowed);
    EXPECT_EQ(answer.uid, 0U);
    EXPECT_THAT(answer.message, HasSubstr("polkit is not available (org.freedesktop.DBus.Error.ServiceUnknown"));
}

TEST_F(AuthorityOnBus, PolkitMissingRefusesEveryoneButRoot)
{
    auto caller = call_check_as(other_user(), action::manage, true);
    const auto answer = answer_for(*caller);
    EXPECT_FALSE(answer.allowed);
    EXPECT_THAT(answer.message, HasSubstr("polkit is not available (org.freedesktop.DBus.Error.ServiceUnknown"));
}

TEST_F(AuthorityOnBus, CallerThatLeftTheBusIsRefused)
{
    std::vector<AuthorizationResult> answers;
    authority_->check(AuthorizationRequest{.sender = ":1.999999", .action = action::manage},
                      [&](AuthorizationResult answer) { answers.push_back(std::move(answer)); });
    ASSERT_TRUE(run_until(connections(), [&] { return !answers.empty(); }));
    run_for(connections(), std::chrono::milliseconds(100));
    ASSERT_EQ(answers.size(), 1U);
    EXPECT_FALSE(answers.front().allowed);
    EXPECT_EQ(answers.front().uid, static_cast<uid_t>(-1));
    EXPECT_THAT(answers.front().message, HasSubstr(":1.999999"));
}

}  // namespace
}  // namespace volumes::bus
