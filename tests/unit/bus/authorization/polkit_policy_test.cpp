// policy/org.example.volumes.policy declares exactly the actions the daemon checks, with the
// defaults of architecture.md.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "service/bus/authorization/authority.hpp"

namespace volumes::bus {
namespace {

struct Defaults {
    std::string any;
    std::string inactive;
    std::string active;
    bool operator==(const Defaults&) const = default;
};

std::string read_policy()
{
    std::ifstream file{std::filesystem::path{VOLUMES_SOURCE_DIR} / "policy" / "org.example.volumes.policy"};
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

std::string element(const std::string& block, const std::string& name)
{
    std::smatch match;
    if (std::regex_search(block, match, std::regex("<" + name + ">([^<]*)</" + name + ">")))
        return match[1];
    return "(missing)";
}

std::map<std::string, Defaults> declared_actions()
{
    const auto text = read_policy();
    std::map<std::string, Defaults> actions;
    const std::regex action_block(R"re(<action id="([^"]+)">([\s\S]*?)</action>)re");
    for (std::sregex_iterator it(text.begin(), text.end(), action_block), end; it != end; ++it) {
        const std::string block = (*it)[2];
        actions[(*it)[1]] = Defaults{element(block, "allow_any"), element(block, "allow_inactive"),
                                     element(block, "allow_active")};
    }
    return actions;
}

TEST(PolkitPolicy, DeclaresEveryActionTheDaemonChecks)
{
    std::set<std::string> declared;
    for (const auto& [id, defaults] : declared_actions())
        declared.insert(id);
    EXPECT_EQ(declared, (std::set<std::string>{action::manage, action::manage_pools, action::import_pool,
                                               action::split_track, action::merge, action::reserve_metadata_snap,
                                               action::cancel_job}));
}

TEST(PolkitPolicy, AdministratorsAuthenticateAndActiveSessionsKeepIt)
{
    const Defaults changes{"auth_admin", "auth_admin", "auth_admin_keep"};
    const auto actions = declared_actions();
    for (const char* id : {action::manage, action::split_track, action::merge, action::reserve_metadata_snap}) {
        ASSERT_TRUE(actions.contains(id)) << id;
        EXPECT_EQ(actions.at(id), changes) << id;
    }
    // Writing over whole disks and taking over another machine's pool always ask for an
    // administrator's password.
    for (const char* id : {action::manage_pools, action::import_pool}) {
        ASSERT_TRUE(actions.contains(id)) << id;
        EXPECT_EQ(actions.at(id), (Defaults{"auth_admin", "auth_admin", "auth_admin"})) << id;
    }
    ASSERT_TRUE(actions.contains(action::cancel_job));
    EXPECT_EQ(actions.at(action::cancel_job), (Defaults{"auth_admin_keep", "auth_admin_keep", "auth_admin_keep"}));
}

}  // namespace
}  // namespace volumes::bus
