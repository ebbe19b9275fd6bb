// Who may write over whole disks: root is uid 0 with CAP_SYS_ADMIN in its effective set, and
// anyone else, uid 0 without it too, is asked about through polkit; CreatePool and Destroy ask
// org.example.volumes.manage-pools with the devices and "force" in the details.
#include <pwd.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "bus_fixture.hpp"
#include "polkit_outage.hpp"
#include "polkit_rule.hpp"
#include "state_snapshot.hpp"

namespace volumes::test {
namespace {

constexpr const char* not_authorized = "org.example.Volumes.Error.NotAuthorized";
constexpr const char* manage_pools_action = "org.example.volumes.manage-pools";
constexpr int cap_sys_admin = 21;

// Runs the rest of its arguments as root whose bounding, permitted and effective sets lack
// CAP_SYS_ADMIN.
const std::vector<std::string> without_cap_sys_admin{"setpriv", "--bounding-set", "-sys_admin", "--inh-caps",
                                                     "-sys_admin"};
// The helper as this process runs it: root with every capability.
const std::vector<std::string> as_root{};

std::string user_name(uid_t uid)
{
    const passwd* entry = ::getpwuid(uid);
    if (entry == nullptr)
        throw std::runtime_error(fmt::format("uid {} has no name in the passwd database", uid));
    return entry->pw_name;
}

// The CapEff mask of a process started through `wrapper`.
std::uint64_t effective_capabilities(const std::vector<std::string>& wrapper)
{
    auto argv = wrapper;
    argv.insert(argv.end(), {"grep", "^CapEff:", "/proc/self/status"});
    const auto result = run_process(argv);
    if (result.status != 0 || !result.out.starts_with("CapEff:"))
        throw std::runtime_error("cannot read CapEff: " + result.describe());
    return std::stoull(result.out.substr(7), nullptr, 16);
}

bool has_cap_sys_admin(std::uint64_t mask)
{
    return ((mask >> cap_sys_admin) & 1U) != 0;
}

std::vector<CallArguments::Option> quiet(bool force)
{
    std::vector<CallArguments::Option> options{{"auth.no_user_interaction", "b", "true"}};
    if (force)
        options.push_back({"force", "b", "true"});
    return options;
}

Call create_pool_call(const std::string& name, const std::vector<std::string>& devices, bool force)
{
    return Call{manager_path, manager_interface, "CreatePool",
                CallArguments().s(name).as(devices).options(quiet(force)).words()};
}

Call destroy_call(const std::string& pool, bool force)
{
    return Call{pool_path(pool), pool_interface, "Destroy", CallArguments().options(quiet(force)).words()};
}

class BusPoolAuthorization : public BusTest {
protected:
    // Expects the outcome to be NotAuthorized and the state to be `baseline`; on a difference
    // the baseline becomes the new state, so each change is reported once.
    void expect_refused_unchanged(const Outcome& outcome, StateSnapshot& baseline)
    {
        EXPECT_EQ(outcome.error, not_authorized) << outcome.describe();
        auto after = take_snapshot(*bus, loop_paths());
        for (const auto& difference : differences(baseline, after))
            ADD_FAILURE() << "the refused call changed something: " << difference;
        baseline = std::move(after);
    }

    std::vector<std::string> member_paths(const std::string& pool)
    {
        std::vector<std::string> paths;
        for (const auto& member :
             property_as<std::vector<sdbus::Struct<std::string, std::string, std::uint64_t, bool>>>(
                 pool_path(pool), pool_interface, "Members"))
            paths.push_back(member.get<1>());
        std::sort(paths.begin(), paths.end());
        return paths;
    }
};

TEST_F(BusPoolAuthorization, OnlyRootWithCapSysAdminPassesWithoutPolkit)
{
    ASSERT_TRUE(has_cap_sys_admin(effective_capabilities(as_root))) << "the test must run as root with every capability";
    ASSERT_FALSE(has_cap_sys_admin(effective_capabilities(without_cap_sys_admin)))
        << "setpriv left CAP_SYS_ADMIN in the effective set: this test would prove nothing";
    const auto& first = new_loop(32 * mib);
    const auto& second = new_loop(32 * mib);
    const auto& third = new_loop(32 * mib);
    // Activated now, volumesd has loaded dm_mod before the first snapshot lists dm devices.
    exported_objects(*bus);

    {
        const PolkitOutage outage;
        auto baseline = take_snapshot(*bus, loop_paths());
        const auto refused = call_through(without_cap_sys_admin, create_pool_call("nocap", {first.path()}, false));
        expect_refused_unchanged(refused, baseline);
        EXPECT_NE(refused.text.find("polkit is not available"), std::string::npos) << refused.describe();

        const auto created = call_through(as_root, create_pool_call("withcap", {second.path()}, false));
        ASSERT_TRUE(created.ok()) << created.describe();
        EXPECT_EQ(created.text, pool_path("withcap"));
        EXPECT_EQ(member_paths("withcap"), std::vector<std::string>{second.path()});

        baseline = take_snapshot(*bus, loop_paths());
        expect_refused_unchanged(call_through(without_cap_sys_admin, destroy_call("withcap", false)), baseline);
        EXPECT_TRUE(exported_objects(*bus).contains(pool_path("withcap")));
    }

    // With polkitd back, uid 0 without CAP_SYS_ADMIN is polkit's to judge, and polkitd
    // authorizes uid 0 for every action before it reads any rule, even one that refuses it.
    // The rule says yes only to a check that carries "probe", which tells when it is loaded.
    PolkitRule refuse_everyone("00-volumes-refuse-manage-pools.rules", fmt::format(R"js(polkit.addRule(function(action, subject) {{
    if (action.id == "{}")
        return action.lookup("probe") == "loaded" ? polkit.Result.YES : polkit.Result.NO;
}});)js", manage_pools_action));
    const BackgroundProcess nobody_process({"sleep", "600"}, unprivileged);
    wait_for_polkit(manage_pools_action, nobody_process.pid(), true, std::chrono::seconds(60), {{"probe", "loaded"}});
    const auto created = call_through(without_cap_sys_admin, create_pool_call("polkitroot", {third.path()}, false));
    ASSERT_TRUE(created.ok()) << created.describe();
    EXPECT_EQ(member_paths("polkitroot"), std::vector<std::string>{third.path()});
}

TEST_F(BusPoolAuthorization, CreatePoolAndDestroyAskManagePoolsWithTheDevicesAndForce)
{
    const auto& first = new_loop(32 * mib);
    const auto& second = new_loop(32 * mib);
    std::vector<std::string> devices{first.path(), second.path()};
    std::sort(devices.begin(), devices.end());
    const auto device_list = fmt::format("{}", fmt::join(devices, " "));

    const BackgroundProcess nobody_process({"sleep", "600"}, unprivileged);
    const PolkitDetails granted{{"operation", "CreatePool"}, {"pool", "granted"}, {"devices", device_list},
                                {"force", "false"}};
    ASSERT_FALSE(polkit_authorizes(manage_pools_action, nobody_process.pid(), granted))
        << "polkit authorizes uid 65534 for " << manage_pools_action << " before any rule: this test would prove nothing";

    // Yes only for exactly these devices (in any order) without force, for either method.
    PolkitRule rule("49-volumes-manage-pools-test.rules", fmt::format(R"js(polkit.addRule(function(action, subject) {{
    if (action.id != "{action}" || subject.user != "{user}")
        return polkit.Result.NOT_HANDLED;
    var devices = action.lookup("devices").split(" ").sort().join(" ");
    var operation = action.lookup("operation");
    if ((operation == "CreatePool" || operation == "Destroy") && devices == "{devices}" &&
        action.lookup("force") == "false")
        return polkit.Result.YES;
    return polkit.Result.NO;
}});)js", fmt::arg("action", manage_pools_action), fmt::arg("user", user_name(unprivileged.uid)),
                                                                                  fmt::arg("devices", device_list)));
    wait_for_polkit(manage_pools_action, nobody_process.pid(), true, std::chrono::seconds(60), granted);

    auto baseline = take_snapshot(*bus, loop_paths());
    expect_refused_unchanged(call_as(unprivileged, create_pool_call("granted", devices, true)), baseline);
    expect_refused_unchanged(call_as(unprivileged, create_pool_call("granted", {first.path()}, false)), baseline);
    const std::vector<std::string> reversed{devices.rbegin(), devices.rend()};
    const auto created = call_as(unprivileged, create_pool_call("granted", reversed, false));
    ASSERT_TRUE(created.ok()) << created.describe();
    EXPECT_EQ(created.text, pool_path("granted"));
    EXPECT_EQ(member_paths("granted"), devices);

    baseline = take_snapshot(*bus, loop_paths());
    expect_refused_unchanged(call_as(unprivileged, destroy_call("granted", true)), baseline);
    EXPECT_TRUE(exported_objects(*bus).contains(pool_path("granted")));
    const auto destroyed = call_as(unprivileged, destroy_call("granted", false));
    ASSERT_TRUE(destroyed.ok()) << destroyed.describe();
    EXPECT_FALSE(exported_objects(*bus).contains(pool_path("granted")));
}

}  // namespace
}  // namespace volumes::test
