// What a disk may make volumesd do (architecture.md "Trust model"), through the system bus:
// disks crafted with the project's own encoder and then altered are attached before volumesd
// starts again; none of them is written, none stops another pool.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>
#include <map>

#include <fmt/core.h>

#include "bad_input.hpp"
#include "bus_fixture.hpp"
#include "kmod/device_number.hpp"
#include "crafted_members.hpp"
#include "tests/devices/disk_setup.hpp"
#include "managed_objects.hpp"
#include "pool_cleanup.hpp"
#include "state_snapshot.hpp"
#include "volumesd_control.hpp"

namespace volumes::test {
namespace {

using Heads = std::map<std::string, std::string>;

Heads heads_of(const std::vector<std::string>& devices)
{
    Heads heads;
    for (const auto& device : devices)
        heads[device] = device_head(device);
    return heads;
}

void expect_unchanged(const Heads& before, const std::string& when)
{
    for (const auto& [device, head] : before)
        EXPECT_TRUE(device_head(device) == head) << device << "'s label or metadata changed " << when;
}

// The text, not followed by a digit: "/dev/loop1" is not found in "/dev/loop10".
bool mentions(const std::vector<std::string>& problems, const std::string& text)
{
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& problem) {
        for (auto at = problem.find(text); at != std::string::npos; at = problem.find(text, at + 1)) {
            const auto next = at + text.size();
            if (next == problem.size() || !std::isdigit(static_cast<unsigned char>(problem[next])))
                return true;
        }
        return false;
    });
}

std::string joined(const std::vector<std::string>& problems)
{
    std::string text;
    for (const auto& problem : problems)
        text += "\n  " + problem;
    return text;
}

std::vector<std::string> pools_dm_devices(const metadata::Uuid& pool_uuid)
{
    std::vector<std::string> devices;
    const auto prefix = "VOLUMES-" + pool_uuid.to_string();
    for (const auto& [name, description] : dm_tables())
        if (description.find(prefix) != std::string::npos)
            devices.push_back(name);
    return devices;
}

class BusTrust : public BusTest {
protected:
    std::vector<std::string> manager_problems()
    {
        return property_as<std::vector<std::string>>(manager_path, manager_interface, "Problems");
    }
    std::vector<std::string> pool_problems(const std::string& pool)
    {
        return property_as<std::vector<std::string>>(pool, pool_interface, "Problems");
    }
    // Stops volumesd, then the next call starts it again over the devices as they are now.
    void restart_with(const std::function<void()>& meanwhile)
    {
        stop_volumesd(*bus);
        meanwhile();
        run("udevadm settle");
    }
};

TEST_F(BusTrust, IntruderWithAHigherSeqIsReportedAndNeverWritten)
{
    const auto& a = new_loop();
    const auto& b = new_loop();
    const auto& copy_of_a = new_loop();
    const auto& listing_itself = new_loop();
    const auto pool = create_pool("tank", {a.path(), b.path()});
    create_volume(pool, "home", 8 * mib);
    const auto real = committed_document(a.path());

    restart_with([&] {
        // A copy of the pool's own document with a far higher seq: it does not list the disk.
        write_claiming_member(copy_of_a.path(), real.pool_uuid, real.pool, real.seq + 100);
        // A well-formed document that also lists the intruder and moves "home" onto it.
        write_claiming_member(listing_itself.path(), real.pool_uuid, real.pool, real.seq + 200);
        const auto own = label_of(listing_itself.path());
        auto takeover = real.pool;
        takeover["members"].push_back({{"uuid", own.member_uuid.to_string()}, {"extent_count", own.extent_count()}});
        takeover["volumes"][0]["data"] =
            nlohmann::json::array({{{"member", own.member_uuid.to_string()}, {"start", 0}, {"count", 2}}});
        commit_raw(listing_itself.path(), *metadata::encode_document({real.seq + 201, real.pool_uuid, takeover}),
                   real.seq + 201, false);
    });
    const auto before = heads_of({a.path(), b.path(), copy_of_a.path(), listing_itself.path()});
    const auto tables_before = dm_tables();

    const auto problems = pool_problems(pool);  // starts volumesd
    EXPECT_TRUE(mentions(problems, copy_of_a.path())) << joined(problems);
    EXPECT_TRUE(mentions(problems, listing_itself.path())) << joined(problems);
    EXPECT_FALSE(property_as<bool>(pool, pool_interface, "Foreign"));
    const auto members = property_as<std::vector<sdbus::Struct<std::string, std::string, std::uint64_t, bool>>>(
        pool, pool_interface, "Members");
    ASSERT_EQ(members.size(), 2u);
    for (const auto& member : members)
        EXPECT_TRUE(member.get<1>() == a.path() || member.get<1>() == b.path()) << member.get<1>();
    expect_unchanged(before, "by volumesd's start");
    for (const auto& difference : differences(StateSnapshot{{}, tables_before, {}}, StateSnapshot{{}, dm_tables(), {}}))
        ADD_FAILURE() << "the start changed the kernel's devices: " << difference;

    // The pool goes on committing to its members only.
    const auto intruders = heads_of({copy_of_a.path(), listing_itself.path()});
    create_volume(pool, "more", 4 * mib);
    EXPECT_EQ(committed_document(a.path()).seq, real.seq + 1);
    EXPECT_EQ(committed_document(b.path()).seq, real.seq + 1);
    expect_unchanged(intruders, "by a commit of the pool");
}

TEST_F(BusTrust, AnotherHostsPoolIsListedNotActivatedUntilImported)
{
    const auto& a = new_loop();
    const auto& b = new_loop();
    const auto pool = create_pool("far", {a.path(), b.path()});
    create_volume(pool, "data", 8 * mib);
    EXPECT_EQ(property_as<std::string>(pool, pool_interface, "Owner"), this_machine_id());
    const auto pool_uuid = committed_document(a.path()).pool_uuid;
    const std::string other_host = "0123456789abcdef0123456789abcdef";

    restart_with([&] {
        // As after a move to this machine: nothing of the pool is active, another host owns it.
        remove_all_pool_devices();
        rewrite_pool({a.path(), b.path()}, [&](nlohmann::json& pool_object) { pool_object["owner"] = other_host; });
    });
    const auto before = heads_of({a.path(), b.path()});
    const auto seq = committed_document(a.path()).seq;

    EXPECT_TRUE(property_as<bool>(pool, pool_interface, "Foreign"));  // starts volumesd
    EXPECT_EQ(property_as<std::string>(pool, pool_interface, "Owner"), other_host);
    const auto problems = pool_problems(pool);
    EXPECT_TRUE(mentions(problems, other_host)) << joined(problems);
    EXPECT_FALSE(exported_objects(*bus).contains(volume_path("far", "data")));
    EXPECT_TRUE(pools_dm_devices(pool_uuid).empty());
    expect_unchanged(before, "by volumesd's start");

    const auto created = call(*bus, {pool, pool_interface, "CreateVolume", CallArguments().s("x").t(4 * mib).options({}).words()});
    EXPECT_EQ(created.error, "org.example.Volumes.Error.NotSupported") << created.describe();
    const auto unprivileged = call_as(Credentials{65534, 65534},
                                      {manager_path, manager_interface, "ImportPool",
                                       CallArguments().s("far").options({{"auth.no_user_interaction", "b", "true"}}).words()});
    EXPECT_EQ(unprivileged.error, "org.example.Volumes.Error.NotAuthorized") << unprivileged.describe();
    expect_unchanged(before, "by refused calls");

    EXPECT_EQ(call_ok(*bus, {manager_path, manager_interface, "ImportPool", CallArguments().s("far").options({}).words()}),
              pool);
    EXPECT_FALSE(property_as<bool>(pool, pool_interface, "Foreign"));
    EXPECT_EQ(property_as<std::string>(pool, pool_interface, "Owner"), this_machine_id());
    EXPECT_EQ(committed_document(a.path()).seq, seq + 1);
    EXPECT_EQ(committed_document(b.path()).seq, seq + 1);
    EXPECT_EQ(committed_document(a.path()).pool["owner"], this_machine_id());
    EXPECT_TRUE(property_as<bool>(volume_path("far", "data"), volume_interface, "Active"));
    EXPECT_FALSE(pools_dm_devices(pool_uuid).empty());
    const auto again = call(*bus, {manager_path, manager_interface, "ImportPool", CallArguments().s("far").options({}).words()});
    EXPECT_EQ(again.error, "org.example.Volumes.Error.InvalidArgument") << again.describe();
}

TEST_F(BusTrust, PoolWithoutOwnerIsForeignAndImportRefusesAMissingMember)
{
    const auto& a = new_loop();
    const auto& b = new_loop();
    const auto pool = create_pool("old", {a.path(), b.path()});
    restart_with([&] {
        remove_all_pool_devices();
        rewrite_pool({a.path(), b.path()}, [](nlohmann::json& pool_object) { pool_object.erase("owner"); });
        // b is gone, as a disk left in another machine.
        run(fmt::format("dd if=/dev/zero of={} bs=4096 seek=1 count=1 conv=notrunc status=none", b.path()));
    });
    const auto before = heads_of({a.path()});
    EXPECT_TRUE(property_as<bool>(pool, pool_interface, "Foreign"));
    EXPECT_FALSE(property_as<bool>(pool, pool_interface, "Complete"));
    const auto refused = call(*bus, {manager_path, manager_interface, "ImportPool", CallArguments().s("old").options({}).words()});
    EXPECT_EQ(refused.error, "org.example.Volumes.Error.NotFound") << refused.describe();
    expect_unchanged(before, "by a refused import");
    const auto forced = call(*bus, {manager_path, manager_interface, "ImportPool",
                                    CallArguments().s("old").options({{"force", "b", "true"}}).words()});
    EXPECT_TRUE(forced.ok()) << forced.describe();
    EXPECT_FALSE(property_as<bool>(pool, pool_interface, "Foreign"));
}

TEST_F(BusTrust, AMemberSeenAlsoThroughAStackedDeviceAssemblesOnTheTopDevice)
{
    const auto& a = new_loop();
    const auto pool = create_pool("stacked", {a.path()});
    create_volume(pool, "vol", 8 * mib);
    const auto pool_uuid = committed_document(a.path()).pool_uuid;
    // volumesd holds the passthrough as the pool's member: it stops and the pool's devices go
    // first, so that the passthrough can go before the loop under it is detached.
    struct Passthrough {
        sdbus::IConnection& bus;
        ~Passthrough()
        {
            try {
                stop_volumesd(bus);
                remove_all_pool_devices();
            } catch (const std::exception& error) {
                ADD_FAILURE() << "cleaning up: " << error.what();
            }
            if (std::system("dmsetup remove --retry trust-passthrough >/dev/null 2>&1") != 0)
                ADD_FAILURE() << "dmsetup remove trust-passthrough failed";
        }
    };
    restart_with([&] {
        remove_all_pool_devices();
        (void)std::system("dmsetup remove trust-passthrough >/dev/null 2>&1");
        run(fmt::format("dmsetup create trust-passthrough --table '0 {} linear {} 0'", a.size_sectors(), a.path()));
        run("udevadm settle");
    });
    const Passthrough passthrough_removed_last{*bus};
    const auto top = fmt::format("/dev/dm-{}", kmod::DeviceNumber::of_path("/dev/mapper/trust-passthrough")->minor);

    const auto problems = manager_problems();  // starts volumesd
    EXPECT_TRUE(mentions(problems, a.path()) && mentions(problems, top)) << joined(problems);
    const auto members = property_as<std::vector<sdbus::Struct<std::string, std::string, std::uint64_t, bool>>>(
        pool, pool_interface, "Members");
    ASSERT_EQ(members.size(), 1u);
    EXPECT_EQ(members.front().get<1>(), top);
    EXPECT_TRUE(property_as<bool>(volume_path("stacked", "vol"), volume_interface, "Active"));
    const auto top_number = kmod::DeviceNumber::of_path(top)->to_string();
    bool on_top = false;
    for (const auto& [name, description] : dm_tables())
        if (description.find("VOLUMES-" + pool_uuid.to_string()) != std::string::npos)
            on_top = on_top || description.find(top_number) != std::string::npos;
    EXPECT_TRUE(on_top) << "the volume's table does not map " << top << " (" << top_number << ")";
}

TEST_F(BusTrust, CraftedDisksAreReportedAndEveryOtherPoolWorks)
{
    const auto& good = new_loop();
    const auto& absurd = new_loop();
    const auto& truncated = new_loop();
    const auto& flipped = new_loop();
    const auto& deep = new_loop();
    const auto& noise = new_loop();
    const auto pool = create_pool("good", {good.path()});
    create_volume(pool, "keep", 8 * mib);
    const auto some_pool = [] { return *metadata::Uuid::generate(); };

    restart_with([&] {
        write_raw_label(absurd.path(), some_pool(), absurd.size_bytes(), 8192, std::uint64_t{1} << 40,
                        std::uint64_t{1} << 40, 4 * mib);
        const auto truncated_pool = some_pool();
        auto whole = metadata::encode_document({1, truncated_pool, {{"name", "t"}}});
        write_claiming_member(truncated.path(), truncated_pool, nlohmann::json::object(), 1);
        commit_raw(truncated.path(), whole->substr(0, whole->size() / 2), 2, false);
        const auto flipped_pool = some_pool();
        write_claiming_member(flipped.path(), flipped_pool, committed_document(good.path()).pool, 1);
        const auto area_offset = label_of(flipped.path()).metadata_offset;
        flip_byte(flipped.path(), area_offset + 8192 + 40);
        const auto deep_pool = some_pool();
        write_claiming_member(deep.path(), deep_pool, nlohmann::json::object(), 1);
        const std::string nested = std::string(1000000, '[') + std::string(1000000, ']');
        commit_raw(deep.path(),
                   fmt::format(R"({{"format_version":1,"seq":2,"pool_uuid":"{}","pool":{}}})", deep_pool.to_string(),
                               nested),
                   2, false);
        run(fmt::format("dd if=/dev/urandom of={} bs=1M count=8 conv=notrunc status=none", noise.path()));
        run(fmt::format("printf VOLSDLBL | dd of={} bs=1 seek=4096 conv=notrunc status=none", noise.path()));
    });
    const std::vector<std::string> crafted{absurd.path(), truncated.path(), flipped.path(), deep.path(), noise.path()};
    const auto before = heads_of(crafted);

    const auto problems = manager_problems();  // starts volumesd
    for (const auto& device : crafted)
        EXPECT_TRUE(mentions(problems, device)) << device << " is not in the Manager's problems:" << joined(problems);
    EXPECT_TRUE(property_as<bool>(volume_path("good", "keep"), volume_interface, "Active"));
    create_volume(pool, "new", 4 * mib);
    EXPECT_TRUE(property_as<bool>(volume_path("good", "new"), volume_interface, "Active"));
    expect_unchanged(before, "by volumesd");
}

Call import_call(const std::string& pool, const Options& options = {})
{
    return {manager_path, manager_interface, "ImportPool", CallArguments().s(pool).options(options).words()};
}

TEST_F(BusBadInput, ImportPoolRefusalsChangeNothing)
{
    const auto& a = new_loop();
    const auto pool = create_pool("mine", {a.path()});
    const auto uuid = property_as<std::string>(pool, pool_interface, "Uuid");
    expect_refused_unchanged({
        {"empty name", import_call(""), "InvalidArgument"},
        {"name of 65 characters", import_call(std::string(65, 'x')), "InvalidArgument"},
        {"no such pool", import_call("nowhere"), "NotFound"},
        {"no pool with that uuid", import_call("01234567-89ab-cdef-0123-456789abcdef"), "NotFound"},
        {"this machine's pool, by name", import_call("mine"), "InvalidArgument"},
        {"this machine's pool, by uuid", import_call(uuid), "InvalidArgument"},
        {"force of the wrong type", import_call("mine", {{"force", "s", "true"}}), "InvalidArgument"},
        {"an unknown option", import_call("mine", unknown_option), "InvalidArgument"},
    });
}

}  // namespace
}  // namespace volumes::test
