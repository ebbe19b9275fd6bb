#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "service/bus/authorization/verdict.hpp"

namespace volumes::bus {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

AuthorizationRequest request(bool interactive = true)
{
    return AuthorizationRequest{.sender = ":1.42",
                                .action = action::split_track,
                                .allow_user_interaction = interactive,
                                .details = {{"pool", "tank"}}};
}

polkit::Reply reply(bool authorized, bool challenge, std::map<std::string, std::string> details = {})
{
    return polkit::Reply{authorized, challenge, std::move(details)};
}

TEST(VerdictWithoutPolkit, RootWithCapSysAdminIsAllowed)
{
    const auto verdict = verdict_without_polkit(0, true);
    ASSERT_TRUE(verdict.has_value());
    EXPECT_TRUE(verdict->allowed);
    EXPECT_EQ(verdict->uid, 0U);
}

TEST(VerdictWithoutPolkit, RootWithoutCapSysAdminNeedsPolkit)
{
    EXPECT_FALSE(verdict_without_polkit(0, false).has_value());
}

TEST(VerdictWithoutPolkit, CapSysAdminWithoutRootNeedsPolkit)
{
    for (uid_t uid : {1U, 1000U, 65534U, static_cast<uid_t>(-1)})
        EXPECT_FALSE(verdict_without_polkit(uid, true).has_value()) << uid;
}

TEST(VerdictWithoutPolkit, AnyoneElseNeedsPolkit)
{
    for (uid_t uid : {1U, 1000U, 65534U, static_cast<uid_t>(-1)})
        EXPECT_FALSE(verdict_without_polkit(uid, false).has_value()) << uid;
}

TEST(CredentialsFromBus, UidAndPid)
{
    const auto caller = credentials_from_bus(
        ":1.42", {{"UnixUserID", sdbus::Variant{std::uint32_t{0}}},
                  {"ProcessID", sdbus::Variant{std::uint32_t{4242}}},
                  {"UnixGroupIDs", sdbus::Variant{std::vector<std::uint32_t>{0}}}});
    ASSERT_TRUE(caller.has_value()) << caller.error();
    EXPECT_EQ(caller->uid, 0U);
    EXPECT_EQ(caller->pid, 4242);
}

TEST(CredentialsFromBus, NoPidLeavesItZero)
{
    const auto caller = credentials_from_bus(":1.42", {{"UnixUserID", sdbus::Variant{std::uint32_t{1000}}}});
    ASSERT_TRUE(caller.has_value()) << caller.error();
    EXPECT_EQ(caller->uid, 1000U);
    EXPECT_EQ(caller->pid, 0);
}

TEST(CredentialsFromBus, NoUidIsUnknownCaller)
{
    for (const auto& credentials : std::vector<std::map<std::string, sdbus::Variant>>{
             {{"ProcessID", sdbus::Variant{std::uint32_t{4242}}}},
             {{"UnixUserID", sdbus::Variant{std::string{"0"}}}, {"ProcessID", sdbus::Variant{std::uint32_t{1}}}}}) {
        const auto caller = credentials_from_bus(":1.42", credentials);
        ASSERT_FALSE(caller.has_value());
        EXPECT_THAT(caller.error(), AllOf(HasSubstr(":1.42"), HasSubstr("UnixUserID")));
    }
}

TEST(VerdictFromPolkit, AuthorizedIsAllowed)
{
    const auto verdict = verdict_from_polkit(request(), 1000, reply(true, false));
    EXPECT_TRUE(verdict.allowed);
    EXPECT_EQ(verdict.uid, 1000U);
    EXPECT_TRUE(verdict.message.empty());
}

TEST(VerdictFromPolkit, NotAuthorizedNamesTheActionTheUidAndWhatToDo)
{
    const auto verdict = verdict_from_polkit(request(), 1000, reply(false, false));
    EXPECT_FALSE(verdict.allowed);
    EXPECT_EQ(verdict.uid, 1000U);
    EXPECT_THAT(verdict.message, AllOf(HasSubstr("polkit did not authorize org.example.volumes.split-track"),
                                       HasSubstr("uid 1000"), HasSubstr("polkit rule")));
}

TEST(VerdictFromPolkit, ChallengeWithoutInteractionSaysToAllowIt)
{
    const auto verdict = verdict_from_polkit(request(false), 1000, reply(false, true));
    EXPECT_FALSE(verdict.allowed);
    EXPECT_THAT(verdict.message, AllOf(HasSubstr("authentication is required for org.example.volumes.split-track"),
                                       HasSubstr("without auth.no_user_interaction")));
}

TEST(VerdictFromPolkit, ChallengeDespiteInteractionMeansNoAgent)
{
    const auto verdict = verdict_from_polkit(request(true), 1000, reply(false, true));
    EXPECT_FALSE(verdict.allowed);
    EXPECT_THAT(verdict.message, AllOf(HasSubstr("authentication agent"), HasSubstr("uid 1000"),
                                       Not(HasSubstr("auth.no_user_interaction"))));
}

TEST(VerdictFromPolkit, DismissedDialogSaysSo)
{
    const auto verdict = verdict_from_polkit(request(), 1000, reply(false, false, {{"polkit.dismissed", "true"}}));
    EXPECT_FALSE(verdict.allowed);
    EXPECT_THAT(verdict.message, HasSubstr("dismissed"));
}

TEST(VerdictFromPolkit, AuthorizationWinsOverAnyDetail)
{
    const auto verdict = verdict_from_polkit(request(), 1000, reply(true, true, {{"polkit.dismissed", "true"}}));
    EXPECT_TRUE(verdict.allowed);
}

TEST(VerdictFromPolkitError, PolkitMissingLeavesOnlyRoot)
{
    for (const char* name : {"org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner"}) {
        const auto verdict = verdict_from_polkit_error(request(), 1000, sdbus::Error(name, "not here"));
        EXPECT_FALSE(verdict.allowed) << name;
        EXPECT_EQ(verdict.uid, 1000U);
        EXPECT_THAT(verdict.message, AllOf(HasSubstr("polkit is not available"), HasSubstr(name),
                                           HasSubstr("not here"),
                                           HasSubstr("only root with CAP_SYS_ADMIN may change volumes")));
    }
}

TEST(VerdictFromPolkitError, NoAnswerSaysToTryAgain)
{
    const auto verdict = verdict_from_polkit_error(
        request(), 1000, sdbus::Error("org.freedesktop.DBus.Error.NoReply", "Method call timed out"));
    EXPECT_FALSE(verdict.allowed);
    EXPECT_THAT(verdict.message, AllOf(HasSubstr("did not answer"), HasSubstr("Method call timed out"),
                                       HasSubstr("run the command again")));
}

TEST(VerdictFromPolkitError, CancelledCheckSaysSo)
{
    const auto verdict = verdict_from_polkit_error(
        request(), 1000, sdbus::Error("org.freedesktop.PolicyKit1.Error.Cancelled", "cancelled"));
    EXPECT_FALSE(verdict.allowed);
    EXPECT_THAT(verdict.message, HasSubstr("was cancelled"));
}

TEST(VerdictFromPolkitError, AnyOtherErrorIsRefusedWithItsName)
{
    const auto verdict = verdict_from_polkit_error(
        request(), 1000, sdbus::Error("org.freedesktop.PolicyKit1.Error.Failed", "Action is not registered"));
    EXPECT_FALSE(verdict.allowed);
    EXPECT_THAT(verdict.message,
                AllOf(HasSubstr("polkit could not check org.example.volumes.split-track"),
                      HasSubstr("org.freedesktop.PolicyKit1.Error.Failed: Action is not registered")));
}

TEST(VerdictWithoutUid, IsRefusedWithTheReason)
{
    const auto why = unknown_caller_message(":1.42", sdbus::Error("org.freedesktop.DBus.Error.NameHasNoOwner", "gone"));
    EXPECT_THAT(why, AllOf(HasSubstr(":1.42"), HasSubstr("NameHasNoOwner: gone"), HasSubstr("left the bus")));
    const auto verdict = verdict_without_uid(request(), why);
    EXPECT_FALSE(verdict.allowed);
    EXPECT_EQ(verdict.uid, static_cast<uid_t>(-1));
    EXPECT_THAT(verdict.message, AllOf(HasSubstr("org.example.volumes.split-track"), HasSubstr(why)));
}

}  // namespace
}  // namespace volumes::bus
