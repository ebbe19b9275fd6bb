// busctl introspect on every kind of object volumesd exports today shows exactly the
// interfaces, methods, properties and signals of the contract (interfaces/*.xml, parsed).
#include <set>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "bus_fixture.hpp"
#include "introspection.hpp"
#include "process.hpp"

namespace volumes::test {
namespace {

const std::set<std::string> standard_interfaces{"org.freedesktop.DBus.Introspectable", "org.freedesktop.DBus.Peer",
                                                "org.freedesktop.DBus.Properties"};

std::string run_busctl_introspect(const std::vector<std::string>& extra, const std::string& path)
{
    std::vector<std::string> argv{"busctl", "--system", "introspect"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.insert(argv.end(), {volumes_bus_name, path});
    const auto result = run_process(argv);
    if (result.status != 0)
        throw std::runtime_error(fmt::format("{}: {}", fmt::join(argv, " "), result.describe()));
    return result.out;
}

// `expected` are the object's org.example.Volumes interfaces (and ObjectManager on the root).
void expect_matches_contract(const std::string& path, const std::set<std::string>& expected)
{
    SCOPED_TRACE("object " + path);
    static const Introspection contract = contract_interfaces();
    const auto actual = parse_introspection(run_busctl_introspect({"--xml-interface"}, path));

    std::set<std::string> names;
    for (const auto& [name, description] : actual)
        if (!standard_interfaces.contains(name))
            names.insert(name);
    EXPECT_EQ(names, expected);
    for (const auto& standard : standard_interfaces)
        EXPECT_TRUE(actual.contains(standard)) << standard << " is missing";

    for (const auto& name : expected) {
        if (!actual.contains(name))
            continue;
        if (name == object_manager_interface) {
            const auto& object_manager = actual.at(name);
            EXPECT_TRUE(object_manager.methods.contains("GetManagedObjects"));
            EXPECT_TRUE(object_manager.signals.contains("InterfacesAdded"));
            EXPECT_TRUE(object_manager.signals.contains("InterfacesRemoved"));
            continue;
        }
        ASSERT_TRUE(contract.contains(name)) << name << " has no XML in interfaces/";
        for (const auto& difference : differences(name, contract.at(name), actual.at(name)))
            ADD_FAILURE() << difference;
    }

    // The table busctl shows people lists each interface too.
    const auto table = run_busctl_introspect({}, path);
    for (const auto& name : expected)
        EXPECT_NE(table.find(name + " "), std::string::npos) << "busctl introspect does not show " << name << ":\n" << table;
}

class BusIntrospection : public BusTest {};

TEST_F(BusIntrospection, EveryObjectKindShowsTheContractsInterfaces)
{
    const auto& a = new_loop();
    const auto& b = new_loop();
    const auto& c = new_loop();
    const auto pool = create_pool("intro", {a.path(), b.path(), c.path()});
    const auto linear = create_volume(pool, "plain", 4 * mib);
    const auto mirror = create_volume(pool, "mirror", 4 * mib, {{"kind", "s", "raid1"}, {"images", "u", "3"}});
    wait_raid1_in_sync(mirror);
    const auto image = split_track(mirror);

    expect_matches_contract(manager_path, {manager_interface, object_manager_interface});
    expect_matches_contract(pool, {pool_interface});
    expect_matches_contract(linear, {volume_interface});
    expect_matches_contract(mirror, {volume_interface, raid1_interface});
    // The contract the comparison reads has the raid1 image methods (issue 16), as exported.
    const auto raid1_methods = parse_introspection(run_busctl_introspect({"--xml-interface"}, mirror))
                                   .at(raid1_interface)
                                   .methods;
    EXPECT_EQ(raid1_methods.at("Repair"), "in(options:a{sv}) out(job:o)");
    EXPECT_EQ(raid1_methods.at("AddImage"), "in(options:a{sv}) out(job:o)");
    EXPECT_EQ(raid1_methods.at("RemoveImage"), "in(slot:u, options:a{sv}) out()");
    expect_matches_contract(image, {volume_interface, tracked_image_interface});
    const auto snapshot = call_ok(*bus, {linear, volume_interface, "CreateSnapshot",
                                         CallArguments().s("snap").t(4 * mib).options().words()});
    expect_matches_contract(snapshot, {volume_interface, snapshot_interface});

    const auto job = merge(image);
    expect_matches_contract(job, {job_interface});
    wait_job_finished(job);
}

}  // namespace
}  // namespace volumes::test
