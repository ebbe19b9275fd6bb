// An unprivileged caller (uid 65534) is refused every mutating method with NotAuthorized and
// changes nothing, while it can read everything; a polkit rule that grants it exactly
// org.example.volumes.manage lets exactly the methods of that action through (not CreatePool
// and Destroy, which are manage-pools).
#include <pwd.h>

#include <fmt/core.h>

#include "authorization_world.hpp"
#include "bus_fixture.hpp"
#include "introspection.hpp"
#include "managed_objects.hpp"
#include "polkit_rule.hpp"
#include "state_snapshot.hpp"

namespace volumes::test {
namespace {

constexpr const char* not_authorized = "org.example.Volumes.Error.NotAuthorized";
constexpr const char* manage_action = "org.example.volumes.manage";

const std::vector<std::vector<CallArguments::Option>> option_variants{{}, {{"auth.no_user_interaction", "b", "true"}}};

std::string user_name(uid_t uid)
{
    const passwd* entry = ::getpwuid(uid);
    if (entry == nullptr)
        throw std::runtime_error(fmt::format("uid {} has no name in the passwd database", uid));
    return entry->pw_name;
}

class BusAuthorization : public AuthorizationWorldTest {
protected:
    // Calls as the unprivileged user, expects `expected_error`, and compares the state with
    // `baseline`; on a difference the baseline becomes the new state, so each change is
    // reported once, by the call that made it.
    void expect_refused_unchanged(const Call& call, StateSnapshot& baseline, const std::string& expected_error)
    {
        SCOPED_TRACE(call.describe());
        const auto outcome = call_as(unprivileged, call);
        EXPECT_EQ(outcome.error, expected_error) << outcome.describe();
        auto after = take_snapshot(*bus, loop_paths());
        for (const auto& difference : differences(baseline, after))
            ADD_FAILURE() << "the refused call changed something: " << difference;
        baseline = std::move(after);
    }

    void expect_reads_succeed()
    {
        const auto as_root = managed_objects_json();
        const auto as_nobody = managed_objects_json(unprivileged);
        for (const auto& difference : json_differences(as_root, as_nobody))
            ADD_FAILURE() << "GetManagedObjects differs for the unprivileged caller: " << difference;
        for (const auto& [path, interfaces] : as_root.items()) {
            const auto introspected =
                run_process({"busctl", "--system", "introspect", volumes_bus_name, path}, unprivileged);
            EXPECT_EQ(introspected.status, 0) << "introspect " << path << ": " << introspected.describe();
            for (const auto& [interface, properties] : interfaces.items()) {
                const auto all = run_process({"busctl", "--system", "call", volumes_bus_name, path,
                                              "org.freedesktop.DBus.Properties", "GetAll", "s", interface},
                                             unprivileged);
                EXPECT_EQ(all.status, 0) << "GetAll " << path << " " << interface << ": " << all.describe();
                if (properties.empty())
                    continue;
                const auto one = run_process({"busctl", "--system", "get-property", volumes_bus_name, path, interface,
                                              properties.begin().key()},
                                             unprivileged);
                EXPECT_EQ(one.status, 0) << "Get " << path << " " << interface << "." << properties.begin().key()
                                         << ": " << one.describe();
            }
        }
    }
};

TEST_F(BusAuthorization, UnprivilegedCallerIsRefusedEveryMethodButReadsEverything)
{
    const auto world = build_world();
    auto baseline = take_snapshot(*bus, loop_paths());

    expect_reads_succeed();

    const auto contract = contract_interfaces();
    for (const auto& [interface, description] : contract) {
        for (const auto& [method, signature] : description.methods) {
            for (const auto& options : option_variants) {
                const auto call = world.valid_call(interface, method, options);
                if (call) {
                    expect_refused_unchanged(*call, baseline, not_authorized);
                    continue;
                }
                // No object can have this interface yet (see build_world):
                // calling it on an object without it must change nothing either.
                std::cout << "note: no object implements " << interface << " in this volumesd ("
                          << world.unavailable.at(interface) << "); " << method << " checked on " << world.linear
                          << " instead\n";
                Call elsewhere{world.linear, interface, method, CallArguments().options(options).words()};
                expect_refused_unchanged(elsewhere, baseline, "org.freedesktop.DBus.Error.UnknownMethod");
            }
        }
    }
}

TEST_F(BusAuthorization, PolkitRuleGrantingManageLetsExactlyManageThrough)
{
    const auto world = build_world();
    const BackgroundProcess unprivileged_process({"sleep", "600"}, unprivileged);
    ASSERT_FALSE(polkit_authorizes(manage_action, unprivileged_process.pid()))
        << "polkit authorizes uid 65534 for " << manage_action << " before any rule: this test would prove nothing";

    PolkitRule rule("49-volumes-bus-test.rules", fmt::format(R"js(polkit.addRule(function(action, subject) {{
    if (action.id == "{}" && subject.user == "{}") {{
        return polkit.Result.YES;
    }}
}});)js", manage_action, user_name(unprivileged.uid)));
    wait_for_polkit(manage_action, unprivileged_process.pid(), true);

    const std::vector<CallArguments::Option> quiet{{"auth.no_user_interaction", "b", "true"}};
    const auto created = call_as(unprivileged, *world.valid_call(pool_interface, "CreateVolume", quiet));
    ASSERT_TRUE(created.ok()) << created.describe();
    EXPECT_EQ(created.text, volume_path("auth", "granted"));
    EXPECT_TRUE(property_as<bool>(created.text, volume_interface, "Active"));
    const auto activated = call_as(unprivileged, *world.valid_call(volume_interface, "Activate", quiet));
    ASSERT_TRUE(activated.ok()) << activated.describe();
    EXPECT_TRUE(property_as<bool>(world.inactive, volume_interface, "Active"));

    auto baseline = take_snapshot(*bus, loop_paths());
    const std::vector<std::pair<std::string, std::string>> other_actions{{manager_interface, "CreatePool"},
                                                                         {pool_interface, "Destroy"},
                                                                         {pool_interface, "AddMember"},
                                                                         {pool_interface, "RemoveMember"},
                                                                         {pool_interface, "EvacuateMember"},
                                                                         {raid1_interface, "SplitTrack"},
                                                                         {raid1_interface, "Split"},
                                                                         {tracked_image_interface, "Merge"},
                                                                         {job_interface, "Cancel"}};
    for (const auto& [interface, method] : other_actions)
        expect_refused_unchanged(*world.valid_call(interface, method, quiet), baseline, not_authorized);

    rule.remove();
    wait_for_polkit(manage_action, unprivileged_process.pid(), false);
    const Call after_removal{world.pool, pool_interface, "CreateVolume",
                             CallArguments().s("after-removal").t(4 * mib).options(quiet).words()};
    expect_refused_unchanged(after_removal, baseline, not_authorized);
}

}  // namespace
}  // namespace volumes::test
