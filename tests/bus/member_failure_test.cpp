// When a disk fails (issue 16): pools on members the test can fail, unplug and plug back
// (failing_members.hpp), followed through the bus as a desktop tool would: a raid1 leg
// whose disk dies is reported degraded without any call and the pool keeps accepting
// changes; a member missing at start leaves the raid1 degraded and the linear volume on it
// unavailable, and when it comes back it rejoins and resyncs only what was written meanwhile.
// Raid1.Repair replaces the image on a failed member with one on the third member and its
// job follows the rebuild to its end. Raid1.AddImage gives a two-image array a third image
// whose sync a job follows, and Raid1.RemoveImage takes one away again. A disk that dies and
// answers again while volumesd runs is re-added by itself.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "bus_fixture.hpp"
#include "bus_wait.hpp"
#include "failing_members.hpp"
#include "kmod/device_mapper.hpp"
#include "pool_cleanup.hpp"
#include "raid1_fixture.hpp"
#include "signal_recorder.hpp"
#include "state_snapshot.hpp"
#include "volumesd_control.hpp"
#include "tests/kernel/support/block_io.hpp"

namespace volumes::test {
namespace {

namespace dm = kmod::dm;

using ImageSlots = std::vector<sdbus::Struct<std::uint32_t, std::string, std::string>>;
using MemberEntries = std::vector<sdbus::Struct<std::string, std::string, std::uint64_t, bool>>;

constexpr std::uint64_t raid_bytes = 32 * mib;
constexpr std::uint64_t linear_bytes = 8 * mib;
constexpr std::uint64_t new_volume_bytes = 4 * mib;
// How long the health may take to follow the kernel, and a restarted daemon to show it.
constexpr auto health_timeout = std::chrono::seconds(30);

// Writes of a re-add besides the resync of the dirty regions, on the returning member's
// loop: md's superblock and bitmap on its rmeta, and the pool metadata volumesd commits to
// it (the flag cleared, the member's stale copy rewritten). raid1_fixture measured 35
// sectors of those for a merge; 512 sectors (256 KiB) leaves room for a few commits while
// staying below one 512 KiB region (1024 sectors), so one region resynced beyond the dirty
// ones still fails.
constexpr std::uint64_t readd_side_write_allowance_sectors = 512;

// A property value as text: "true", a string as it is, "[a, b]", "[(0 alive <uuid>), ...]".
std::string as_text(const sdbus::Variant& value)
{
    const auto type = value.peekValueType();
    if (type == "b")
        return value.get<bool>() ? "true" : "false";
    if (type == "s")
        return value.get<std::string>();
    if (type == "o")
        return value.get<sdbus::ObjectPath>();
    if (type == "t")
        return std::to_string(value.get<std::uint64_t>());
    if (type == "u")
        return std::to_string(value.get<std::uint32_t>());
    if (type == "d")
        return fmt::format("{}", value.get<double>());
    if (type == "as")
        return fmt::format("[{}]", fmt::join(value.get<std::vector<std::string>>(), ", "));
    if (type == "a(uss)") {
        std::vector<std::string> images;
        for (const auto& image : value.get<ImageSlots>())
            images.push_back(fmt::format("({} {} {})", image.get<0>(), image.get<1>(), image.get<2>()));
        return fmt::format("[{}]", fmt::join(images, ", "));
    }
    return fmt::format("<a value of type {}>", type);
}

std::string dm_name(const std::string& pool, const std::string& volume)
{
    return fmt::format("volumes-{}-{}", pool, volume);  // the test's names have no '-' to double
}

std::string mapper(const std::string& name)
{
    return "/dev/mapper/" + name;
}

std::string live_table_text(const std::string& name)
{
    auto table = dm::table(kmod::DeviceId::by_name(name));
    if (!table)
        return fmt::format("<no live table of {}: {}>", name, table.error().message);
    return table->empty() ? "<empty>" : kmod::to_string(*table);
}

// Slot `slot` of a raid table as its two words "<rmeta> <rimage>" ("- -" for an empty
// slot), or what kept it from being read. The line is
// "raid1 <#params> <params...> <#devices> <meta_0> <data_0> <meta_1> <data_1> ...".
std::string table_slot(const std::string& name, unsigned slot)
{
    auto table = dm::table(kmod::DeviceId::by_name(name));
    if (!table)
        return fmt::format("<no live table of {}: {}>", name, table.error().message);
    if (table->size() != 1 || table->front().target_type != "raid")
        return fmt::format("<not one raid line: {}>", kmod::to_string(*table));
    std::istringstream in(table->front().params);
    std::vector<std::string> words;
    for (std::string word; in >> word;)
        words.push_back(word);
    try {
        const auto parameters = std::stoul(words.at(1));
        const auto devices_at = 2 + parameters;
        const auto devices = std::stoul(words.at(devices_at));
        if (slot >= devices)
            return fmt::format("<no slot {} in '{}'>", slot, table->front().params);
        return words.at(devices_at + 1 + 2 * slot) + " " + words.at(devices_at + 2 + 2 * slot);
    } catch (const std::exception&) {
        return fmt::format("<cannot read the slots of '{}'>", table->front().params);
    }
}

::testing::AssertionResult holds(const std::string& device, std::uint64_t offset, std::uint64_t length,
                                 std::uint64_t seed)
{
    try {
        if (holds_pattern(device, offset, length, seed))
            return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << device << " [" << offset << ", +" << length
                                             << ") does not hold what was written there (pattern " << seed << ")";
    } catch (const std::exception& error) {
        return ::testing::AssertionFailure() << "reading " << device << ": " << error.what();
    }
}

::testing::AssertionResult writes(const std::string& device, std::uint64_t offset, std::uint64_t length,
                                  std::uint64_t seed)
{
    try {
        write_pattern(device, offset, length, seed);
        return ::testing::AssertionSuccess();
    } catch (const std::exception& error) {
        return ::testing::AssertionFailure() << "writing " << device << ": " << error.what();
    }
}

class BusMemberFailure : public BusTest {
protected:
    void TearDown() override
    {
        BusTest::TearDown();  // volumesd stopped and the pools' dm devices removed first,
        members_.reset();     // then the members they mapped, then the loops under those
    }

    FailingMembers& make_members(unsigned count)
    {
        members_ = std::make_unique<FailingMembers>(count);
        return *members_;
    }

    // The property as text, or "<Get ... failed: ...>" when it cannot be read (no such
    // object or property yet), so that waits and comparisons say what they saw.
    std::string show(const std::string& path, const char* interface, const std::string& name)
    {
        try {
            return as_text(property(path, interface, name));
        } catch (const sdbus::Error& error) {
            return fmt::format("<Get {}.{} of {} failed: {}: {}>", interface, name, path, error.getName(),
                               error.getMessage());
        }
    }

    // The health word of one slot in Raid1.Images.
    std::string slot_health(const std::string& raid, unsigned slot)
    {
        try {
            for (const auto& image : property_as<ImageSlots>(raid, raid1_interface, "Images"))
                if (image.get<0>() == slot)
                    return image.get<1>();
            return fmt::format("<no slot {} in Images>", slot);
        } catch (const sdbus::Error& error) {
            return fmt::format("<Get Images failed: {}: {}>", error.getName(), error.getMessage());
        }
    }

    std::string describe_raid(const std::string& raid, const std::string& name)
    {
        return fmt::format("Active {}, Health {}, Images {}, SyncAction {}, SyncRatio {}; live table: {}",
                           show(raid, volume_interface, "Active"), show(raid, raid1_interface, "Health"),
                           show(raid, raid1_interface, "Images"), show(raid, raid1_interface, "SyncAction"),
                           show(raid, raid1_interface, "SyncRatio"), live_table_text(name));
    }

    // Waits, reading properties only, until the array's Health is `health`; false on timeout.
    bool wait_health(const std::string& raid, const std::string& health, std::chrono::seconds timeout)
    {
        return pump_until(*bus, [&] { return show(raid, raid1_interface, "Health") == health; }, timeout);
    }

    // The members a dm device's live table maps directly (a linear volume, an rimage).
    std::set<unsigned> members_under(const std::string& name)
    {
        auto deps = dm::deps(kmod::DeviceId::by_name(name));
        if (!deps)
            throw std::runtime_error(fmt::format("the devices under {}: {}", name, deps.error().message));
        std::set<unsigned> found;
        for (const auto& number : *deps) {
            const auto index = members_->index_of(number);
            if (!index)
                throw std::runtime_error(fmt::format("{} maps {}, which is none of the test's members", name,
                                                     number.to_string()));
            found.insert(*index);
        }
        return found;
    }

    // Member `index`'s uuid, from Pool.Members (the entry whose device is that member's).
    std::string member_uuid(const std::string& pool, unsigned index)
    {
        const auto entries = property_as<MemberEntries>(pool, pool_interface, "Members");
        for (const auto& entry : entries)
            if (!entry.get<1>().empty() && members_->index_of(entry.get<1>()) == index)
                return entry.get<0>();
        throw std::runtime_error(fmt::format("no entry of {}'s Members is on {}: {}", pool, members_->path(index),
                                             show(pool, pool_interface, "Members")));
    }

    // Which member each slot of the array is on, from Raid1.Images' member uuids, checked
    // against what each rimage's live table maps.
    std::vector<unsigned> slot_members(const std::string& pool, const std::string& raid, const std::string& name)
    {
        std::vector<std::string> uuids;
        for (unsigned i = 0; i < members_->size(); ++i)
            uuids.push_back(member_uuid(pool, i));
        const auto images = property_as<ImageSlots>(raid, raid1_interface, "Images");
        std::vector<unsigned> slots(images.size(), members_->size());
        for (const auto& image : images) {
            const auto slot = image.get<0>();
            const auto named = std::find(uuids.begin(), uuids.end(), image.get<2>());
            if (named == uuids.end() || slot >= slots.size())
                throw std::runtime_error(fmt::format("Images entry ({} {} {}) names none of the members {}", slot,
                                                     image.get<1>(), image.get<2>(), fmt::join(uuids, ", ")));
            const auto index = static_cast<unsigned>(named - uuids.begin());
            const auto under = members_under(fmt::format("{}_rimage_{}", name, slot));
            if (under != std::set<unsigned>{index})
                throw std::runtime_error(fmt::format("Images puts slot {} on member {} ({}), but its rimage maps {}",
                                                     slot, index, members_->path(index), fmt::join(under, ", ")));
            slots[slot] = index;
        }
        return slots;
    }

    // Starts volumesd through bus activation (any message to its name) and checks it runs.
    void start_volumesd_by_a_call()
    {
        (void)show(manager_path, manager_interface, "Version");
        if (!volumesd_running(*bus))
            throw std::runtime_error("volumesd did not start on a call: see the guest's dbus-daemon.log");
    }

    std::unique_ptr<FailingMembers> members_;
};

// A two-image raid1 on three members, in sync and idle, and a linear volume on the third
// member. The disk under slot 1 dies: the next writes fail there, md drops the leg, and
// volumesd must show it from the dm event alone, keep the data served, keep accepting
// changes (the dead member marked failed in the others' metadata, the leg out of the
// table), and start again degraded.
TEST_F(BusMemberFailure, LegFailsWhileInSync)
{
    auto& members = make_members(3);
    const std::string pool_name = "legfail";
    const auto pool = create_pool(pool_name, members.paths());
    const auto raid = create_volume(pool, "mir", raid_bytes, {{"kind", "s", "raid1"}});
    const auto raid_dm = dm_name(pool_name, "mir");
    wait_raid1_in_sync(raid);
    const auto array = mapper(raid_dm);
    ASSERT_TRUE(writes(array, 0, raid_bytes, 7));
    const auto linear = create_volume(pool, "data", linear_bytes);
    const auto linear_device = mapper(dm_name(pool_name, "data"));
    ASSERT_TRUE(writes(linear_device, 0, linear_bytes, 11));
    wait_raid1_in_sync(raid);
    EXPECT_EQ(show(raid, raid1_interface, "Health"), "ok") << describe_raid(raid, raid_dm);

    const auto slots = slot_members(pool, raid, raid_dm);
    ASSERT_EQ(slots.size(), 2u);
    ASSERT_NE(slots[0], slots[1]) << "both legs on one member";
    const unsigned dying = slots[1];
    const auto linear_on = members_under(dm_name(pool_name, "data"));
    ASSERT_FALSE(linear_on.contains(dying))
        << "set-up: the linear volume shares member " << dying << " with slot 1; the allocator puts a new linear "
        << "volume on the member with the most free extents, which should be the third";
    const auto dying_uuid = member_uuid(pool, dying);
    RecordProperty("failed_member", dying_uuid);

    SignalRecorder recorder(*bus, volumes_signals_match());
    members.fail(dying);
    const auto failed_at = std::chrono::steady_clock::now();
    // md meets the dead leg on these writes; the array must still take them.
    ASSERT_TRUE(writes(array, 0, 8 * mib, 12)) << "after the disk under slot 1 failed";

    // No method call from here to the CreateVolume below: only property reads and signals.
    std::string seen;
    const bool degraded = pump_until(
        *bus,
        [&] {
            seen = describe_raid(raid, raid_dm);
            return show(raid, raid1_interface, "Health") == "degraded" && slot_health(raid, 1) == "failed";
        },
        health_timeout);
    RecordProperty("ms_to_degraded", std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                        std::chrono::steady_clock::now() - failed_at)
                                                        .count()));
    EXPECT_TRUE(degraded) << "no Health 'degraded' with slot 1 'failed' within " << health_timeout.count()
                          << " s of the leg's failure, without any call; last seen: " << seen;
    EXPECT_EQ(slot_health(raid, 0), "alive");
    const auto health_changed = recorder.find([&](const RecordedSignal& signal) {
        return signal.member == "PropertiesChanged" && signal.path == raid && signal.interface == raid1_interface &&
               signal.values.contains("Health") && as_text(signal.values.at("Health")) == "degraded";
    });
    EXPECT_TRUE(health_changed.has_value()) << "no PropertiesChanged of Raid1.Health to 'degraded' from " << raid
                                            << "; signals seen:\n"
                                            << recorder.describe();

    // I/O goes on.
    EXPECT_TRUE(holds(array, 0, 8 * mib, 12));
    EXPECT_TRUE(holds(array, 8 * mib, raid_bytes - 8 * mib, 7));
    EXPECT_TRUE(holds(linear_device, 0, linear_bytes, 11));

    // The pool keeps accepting changes, and the commit marks the dead member failed.
    const auto created = call(*bus, {pool, pool_interface, "CreateVolume",
                                     CallArguments().s("more").t(new_volume_bytes).options().words()});
    EXPECT_TRUE(created.ok()) << "CreateVolume after a member failed: " << created.describe();
    const auto more = volume_path(pool_name, "more");
    const auto more_device = mapper(dm_name(pool_name, "more"));
    if (created.ok()) {
        EXPECT_EQ(show(more, volume_interface, "Active"), "true");
        EXPECT_TRUE(writes(more_device, 0, new_volume_bytes, 13)) << "the volume made after the failure";
        EXPECT_TRUE(holds(more_device, 0, new_volume_bytes, 13));
    }
    const auto failed_members = show(pool, pool_interface, "FailedMembers");
    EXPECT_NE(failed_members.find(dying_uuid), std::string::npos)
        << "Pool.FailedMembers does not list " << dying_uuid << ": " << failed_members;
    EXPECT_EQ(show(pool, pool_interface, "MissingMembers"), "[]");
    EXPECT_EQ(table_slot(raid_dm, 1), "- -") << "slot 1 still maps the dead member: " << live_table_text(raid_dm);
    EXPECT_NE(table_slot(raid_dm, 0), "- -") << live_table_text(raid_dm);

    // volumesd starts again with the member still dead: the array comes up degraded.
    stop_volumesd(*bus);
    start_volumesd_by_a_call();
    const bool degraded_after_restart = wait_health(raid, "degraded", health_timeout);
    EXPECT_TRUE(degraded_after_restart) << "after the restart: " << describe_raid(raid, raid_dm);
    EXPECT_EQ(show(raid, volume_interface, "Active"), "true");
    // Its label cannot be read any more, so the scan does not find it: missing, and still
    // marked failed by the metadata the other members hold.
    EXPECT_EQ(slot_health(raid, 1), "missing");
    EXPECT_EQ(table_slot(raid_dm, 1), "- -") << live_table_text(raid_dm);
    EXPECT_EQ(show(linear, volume_interface, "Active"), "true");
    const auto failed_after_restart = show(pool, pool_interface, "FailedMembers");
    EXPECT_NE(failed_after_restart.find(dying_uuid), std::string::npos) << failed_after_restart;
    EXPECT_EQ(show(pool, pool_interface, "MissingMembers"), fmt::format("[{}]", dying_uuid));
    EXPECT_TRUE(holds(array, 0, 8 * mib, 12));
    EXPECT_TRUE(holds(array, 8 * mib, raid_bytes - 8 * mib, 7));
    EXPECT_TRUE(holds(linear_device, 0, linear_bytes, 11));
    if (created.ok()) {
        EXPECT_EQ(show(more, volume_interface, "Active"), "true");
        EXPECT_TRUE(holds(more_device, 0, new_volume_bytes, 13));
    }
}

// A member unplugged while the machine is down: at the next start the raid1 that had a leg
// on it runs degraded, the linear volume on it is unavailable and says why, and the pool
// still takes changes. Plugged back in, the member rejoins, its leg resyncs only the regions
// written while it was away, and the linear volume comes back with its data.
TEST_F(BusMemberFailure, MemberMissingAtStart)
{
    auto& members = make_members(3);
    const std::string pool_name = "gone";
    const auto pool = create_pool(pool_name, members.paths());

    // Where things land is made certain: a volume as large as one member fills one member,
    // so the raid1's legs go on the other two, and the linear volume on one of those.
    const auto entries = property_as<MemberEntries>(pool, pool_interface, "Members");
    ASSERT_EQ(entries.size(), 3u);
    const auto member_data_bytes = entries.front().get<2>();
    const auto filler = create_volume(pool, "filler", member_data_bytes);
    const auto filler_on = members_under(dm_name(pool_name, "filler"));
    ASSERT_EQ(filler_on.size(), 1u) << "set-up: a volume of one member's size spans several members";
    const auto raid = create_volume(pool, "mir", raid_bytes, {{"kind", "s", "raid1"}});
    const auto raid_dm = dm_name(pool_name, "mir");
    wait_raid1_in_sync(raid);
    const auto array = mapper(raid_dm);
    ASSERT_TRUE(writes(array, 0, raid_bytes, 7));
    const auto linear = create_volume(pool, "stranded", linear_bytes);
    const auto linear_device = mapper(dm_name(pool_name, "stranded"));
    ASSERT_TRUE(writes(linear_device, 0, linear_bytes, 11));
    wait_raid1_in_sync(raid);

    const auto linear_on = members_under(dm_name(pool_name, "stranded"));
    ASSERT_EQ(linear_on.size(), 1u) << "set-up: the linear volume spans members";
    const unsigned gone = *linear_on.begin();
    const auto slots = slot_members(pool, raid, raid_dm);
    ASSERT_EQ(slots.size(), 2u);
    const auto slot_it = std::find(slots.begin(), slots.end(), gone);
    ASSERT_NE(slot_it, slots.end()) << "set-up: the linear volume is on member " << gone
                                    << ", which holds no leg of the raid1 (legs on " << fmt::format("{}", fmt::join(slots, ", "))
                                    << ")";
    const auto gone_slot = static_cast<unsigned>(slot_it - slots.begin());
    const auto kept_slot = 1 - gone_slot;
    const auto gone_uuid = member_uuid(pool, gone);
    RecordProperty("missing_member", gone_uuid);
    RecordProperty("missing_slot", std::to_string(gone_slot));

    // The machine goes down (volumesd stops, the pool's devices go as at shutdown) and comes
    // back without the disk.
    stop_volumesd(*bus);
    remove_all_pool_devices();
    members.remove(gone);
    start_volumesd_by_a_call();

    const bool degraded = wait_health(raid, "degraded", health_timeout);
    EXPECT_TRUE(degraded) << "with member " << gone_uuid << " missing at start: " << describe_raid(raid, raid_dm);
    EXPECT_EQ(show(raid, volume_interface, "Active"), "true");
    EXPECT_EQ(slot_health(raid, gone_slot), "missing") << describe_raid(raid, raid_dm);
    EXPECT_EQ(slot_health(raid, kept_slot), "alive") << describe_raid(raid, raid_dm);
    EXPECT_EQ(table_slot(raid_dm, gone_slot), "- -") << live_table_text(raid_dm);
    EXPECT_TRUE(holds(array, 0, raid_bytes, 7)) << "the degraded array";

    EXPECT_EQ(show(linear, volume_interface, "Active"), "false");
    const auto unavailable = show(linear, volume_interface, "Unavailable");
    EXPECT_NE(unavailable.find(gone_uuid), std::string::npos)
        << "Volume.Unavailable of the linear volume on the missing member does not name it (" << gone_uuid
        << "): '" << unavailable << "'";
    EXPECT_FALSE(std::filesystem::exists(linear_device)) << "the unavailable volume has a device";
    const auto problems = show(pool, pool_interface, "Problems");
    EXPECT_NE(problems.find("stranded"), std::string::npos)
        << "Pool.Problems does not say the volume 'stranded' is unavailable: " << problems;
    EXPECT_EQ(show(pool, pool_interface, "MissingMembers"), fmt::format("[{}]", gone_uuid));
    EXPECT_EQ(show(filler, volume_interface, "Active"), "true");

    // Activating the volume that cannot run is refused with the reason and changes nothing.
    std::vector<std::string> present;
    for (unsigned i = 0; i < 3; ++i)
        if (i != gone)
            present.push_back(members.path(i));
    const auto before_activate = take_snapshot(*bus, present);
    const auto activated = call(*bus, {linear, volume_interface, "Activate", CallArguments().options().words()});
    EXPECT_EQ(activated.error, "org.example.Volumes.Error.Failed") << activated.describe();
    EXPECT_NE(activated.text.find(gone_uuid), std::string::npos) << activated.describe();
    const auto activate_changed = differences(before_activate, take_snapshot(*bus, present));
    EXPECT_TRUE(activate_changed.empty()) << fmt::format("{}", fmt::join(activate_changed, "\n"));

    const auto created = call(*bus, {pool, pool_interface, "CreateVolume",
                                     CallArguments().s("fresh").t(new_volume_bytes).options().words()});
    EXPECT_TRUE(created.ok()) << "CreateVolume with a member missing: " << created.describe();
    const auto fresh = volume_path(pool_name, "fresh");
    const auto fresh_device = mapper(dm_name(pool_name, "fresh"));
    if (created.ok()) {
        EXPECT_EQ(show(fresh, volume_interface, "Active"), "true");
        EXPECT_TRUE(writes(fresh_device, 0, new_volume_bytes, 13));
    }
    // What the returning leg will have to catch up on: 8 whole 512 KiB regions.
    ASSERT_TRUE(writes(array, block_offset, block_bytes, 8)) << "the degraded array";

    // The disk is plugged back in and volumesd starts again.
    stop_volumesd(*bus);
    members.recreate(gone);
    const auto loop_before = members.loop_sectors_written(gone);
    start_volumesd_by_a_call();

    EXPECT_EQ(show(pool, pool_interface, "MissingMembers"), "[]");
    EXPECT_EQ(show(pool, pool_interface, "FailedMembers"), "[]");
    try {
        wait_raid1_in_sync(raid);
    } catch (const std::exception& error) {
        ADD_FAILURE() << "after the member came back: " << error.what() << "; " << describe_raid(raid, raid_dm);
    }
    EXPECT_TRUE(wait_health(raid, "ok", health_timeout)) << "after the resync: " << describe_raid(raid, raid_dm);
    EXPECT_NE(table_slot(raid_dm, gone_slot), "- -") << live_table_text(raid_dm);
    EXPECT_EQ(show(linear, volume_interface, "Active"), "true");
    EXPECT_EQ(show(linear, volume_interface, "Unavailable"), "");
    EXPECT_TRUE(holds(linear_device, 0, linear_bytes, 11)) << "the linear volume on the returned member";
    EXPECT_EQ(show(filler, volume_interface, "Active"), "true");
    if (created.ok()) {
        EXPECT_TRUE(holds(fresh_device, 0, new_volume_bytes, 13));
    }

    // The array holds everything written, both legs alike.
    EXPECT_TRUE(holds(array, 0, block_offset, 7));
    EXPECT_TRUE(holds(array, block_offset, block_bytes, 8));
    EXPECT_TRUE(holds(array, block_offset + block_bytes, raid_bytes - block_offset - block_bytes, 7));
    const auto rimage = [&](unsigned slot) { return mapper(fmt::format("{}_rimage_{}", raid_dm, slot)); };
    try {
        const auto whole = digest(array, 0, raid_bytes);
        EXPECT_EQ(digest(rimage(kept_slot), 0, raid_bytes), whole) << "the leg that stayed differs from the array";
        EXPECT_EQ(digest(rimage(gone_slot), 0, raid_bytes), whole) << "the returned leg differs from the array";
    } catch (const std::exception& error) {
        ADD_FAILURE() << "reading the legs: " << error.what();
    }

    // Only what the bitmap marked went to the returning member.
    const auto region = property_as<std::uint64_t>(raid, raid1_interface, "RegionSize");
    ASSERT_GT(region, 0u);
    const auto regions = (block_offset + block_bytes + region - 1) / region - block_offset / region;
    const auto dirty_sectors = regions * region / 512;
    const auto loop_written = members.loop_sectors_written(gone) - loop_before;
    std::uint64_t rimage_written = 0;
    try {
        rimage_written = block_sectors_written(rimage(gone_slot));
    } catch (const std::exception& error) {
        ADD_FAILURE() << "the returned leg's write counter: " << error.what();
    }
    RecordProperty("readd_loop_sectors", std::to_string(loop_written));
    RecordProperty("readd_rimage_sectors", std::to_string(rimage_written));
    RecordProperty("dirty_region_sectors", std::to_string(dirty_sectors));
    const auto counters =
        fmt::format("returning member's loop {} sectors, its rimage {}; dirty regions {} sectors ({} B regions), "
                    "whole image {} sectors",
                    loop_written, rimage_written, dirty_sectors, region, raid_bytes / 512);
    EXPECT_GE(rimage_written, block_bytes / 512) << "the re-add copied less than was written meanwhile: " << counters;
    EXPECT_LE(rimage_written, dirty_sectors) << "the re-add resynced more than the dirty regions: " << counters;
    EXPECT_LE(loop_written, dirty_sectors + readd_side_write_allowance_sectors)
        << "more than the dirty regions went to the returning member: " << counters;
}

// Raid1.Repair (issue 16): the disk under slot 1 of a two-image raid1 dies, a change marks it
// failed, and Repair puts a new image on the third member. Its job follows the rebuild to its
// end; then the array is "ok", both images are alike and hold what was written, the new slot
// is no longer loaded with "rebuild", and once the old member is back its extents are free.
TEST_F(BusMemberFailure, RepairOntoTheThirdMember)
{
    auto& members = make_members(3);
    const std::string pool_name = "fix";
    const auto pool = create_pool(pool_name, members.paths());
    const auto raid = create_volume(pool, "mir", raid_bytes, {{"kind", "s", "raid1"}});
    const auto raid_dm = dm_name(pool_name, "mir");
    wait_raid1_in_sync(raid);
    const auto array = mapper(raid_dm);
    ASSERT_TRUE(writes(array, 0, raid_bytes, 7));
    wait_raid1_in_sync(raid);

    const auto slots = slot_members(pool, raid, raid_dm);
    ASSERT_EQ(slots.size(), 2u);
    unsigned spare = 0;
    while (spare == slots[0] || spare == slots[1])
        ++spare;
    const unsigned dying = slots[1];
    const auto dying_uuid = member_uuid(pool, dying);
    const auto spare_uuid = member_uuid(pool, spare);
    const auto repair_words = [&](const std::string& member) {
        return std::vector<std::string>{"a{sv}", "1", "members", "as", "1", member};
    };

    // Nothing to repair while every image is healthy: refused, nothing changed.
    const auto before_refusal = take_snapshot(*bus, members.paths());
    const auto healthy = call(*bus, {raid, raid1_interface, "Repair", CallArguments().options().words()});
    EXPECT_EQ(healthy.error, "org.example.Volumes.Error.InvalidArgument") << healthy.describe();
    EXPECT_NE(healthy.text.find("nothing to repair"), std::string::npos) << healthy.describe();
    const auto refusal_changed = differences(before_refusal, take_snapshot(*bus, members.paths()));
    EXPECT_TRUE(refusal_changed.empty()) << fmt::format("{}", fmt::join(refusal_changed, "\n"));

    members.fail(dying);
    ASSERT_TRUE(writes(array, 0, 8 * mib, 12)) << "after the disk under slot 1 failed";
    EXPECT_TRUE(pump_until(
        *bus, [&] { return show(raid, raid1_interface, "Health") == "degraded" && slot_health(raid, 1) == "failed"; },
        health_timeout))
        << describe_raid(raid, raid_dm);

    // A change marks the dead member failed (its commit cannot write it).
    const auto created = call(*bus, {pool, pool_interface, "CreateVolume",
                                     CallArguments().s("more").t(new_volume_bytes).options().words()});
    ASSERT_TRUE(created.ok()) << created.describe();
    const auto failed_members = show(pool, pool_interface, "FailedMembers");
    ASSERT_NE(failed_members.find(dying_uuid), std::string::npos) << failed_members;
    EXPECT_EQ(table_slot(raid_dm, 1), "- -") << live_table_text(raid_dm);

    // Onto a member that already holds an image: refused.
    const auto onto_slot0 = call(*bus, {raid, raid1_interface, "Repair", repair_words(members.path(slots[0]))});
    EXPECT_EQ(onto_slot0.error, "org.example.Volumes.Error.InvalidArgument") << onto_slot0.describe();

    const auto extent = property_as<std::uint64_t>(pool, pool_interface, "ExtentSize");
    const auto leg_extents = raid_bytes / extent + 1;  // the image and its metadata extent
    const auto free_before = property_as<std::uint64_t>(pool, pool_interface, "Free");

    const auto repaired = call(*bus, {raid, raid1_interface, "Repair", repair_words(members.path(spare))});
    ASSERT_TRUE(repaired.ok()) << repaired.describe();
    const auto job = repaired.text;
    RecordProperty("repair_job", job);
    // The table is read before Finished: a job not finished then had not reloaded the array yet.
    const auto table_at_reply = live_table_text(raid_dm);
    const auto finished_at_reply = show(job, job_interface, "Finished");
    RecordProperty("table_at_reply", table_at_reply);
    if (finished_at_reply != "true")
        EXPECT_NE(table_at_reply.find(" rebuild 1 "), std::string::npos)
            << "the new image is not loaded with rebuild while the job runs: " << table_at_reply;
    EXPECT_EQ(property_as<std::uint64_t>(pool, pool_interface, "Free"), free_before - leg_extents * extent)
        << "the new image's extents";

    const auto started = std::chrono::steady_clock::now();
    const bool ended = pump_until(*bus, [&] { return show(job, job_interface, "Finished") == "true"; },
                                  std::chrono::seconds(300));
    RecordProperty("ms_to_job_end", std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                       std::chrono::steady_clock::now() - started)
                                                       .count()));
    ASSERT_TRUE(ended) << "the repair job did not finish: Progress " << show(job, job_interface, "Progress") << "; "
                       << describe_raid(raid, raid_dm);
    EXPECT_EQ(show(job, job_interface, "Success"), "true") << show(job, job_interface, "Message");
    EXPECT_TRUE(wait_health(raid, "ok", health_timeout)) << describe_raid(raid, raid_dm);
    EXPECT_EQ(slot_health(raid, 1), "alive");
    EXPECT_NE(show(raid, raid1_interface, "Images").find(fmt::format("(1 alive {})", spare_uuid)), std::string::npos)
        << show(raid, raid1_interface, "Images");
    const auto table_after = live_table_text(raid_dm);
    EXPECT_EQ(table_after.find("rebuild"), std::string::npos)
        << "the array is still loaded with rebuild after the job ended: " << table_after;
    EXPECT_NE(table_slot(raid_dm, 1), "- -") << table_after;
    const auto after_slots = slot_members(pool, raid, raid_dm);
    ASSERT_EQ(after_slots.size(), 2u);
    EXPECT_EQ(after_slots[0], slots[0]) << "the image that stayed moved";
    EXPECT_EQ(after_slots[1], spare) << "the new image is not on the member asked for";
    EXPECT_EQ(show(pool, pool_interface, "FailedMembers"), fmt::format("[{}]", dying_uuid));

    // The data: what was written before and after the failure, in both images alike.
    EXPECT_TRUE(holds(array, 0, 8 * mib, 12));
    EXPECT_TRUE(holds(array, 8 * mib, raid_bytes - 8 * mib, 7));
    const auto rimage = [&](unsigned slot) { return mapper(fmt::format("{}_rimage_{}", raid_dm, slot)); };
    try {
        const auto whole = digest(array, 0, raid_bytes);
        EXPECT_EQ(digest(rimage(0), 0, raid_bytes), whole) << "the image that stayed differs from the array";
        EXPECT_EQ(digest(rimage(1), 0, raid_bytes), whole) << "the new image differs from the array";
    } catch (const std::exception& error) {
        ADD_FAILURE() << "reading the images: " << error.what();
    }

    // The dead disk comes back: an Activate re-adds it, and none of its extents is used any more.
    members.restore(dying);
    const auto activated = call(*bus, {raid, volume_interface, "Activate", CallArguments().options().words()});
    EXPECT_TRUE(activated.ok()) << activated.describe();
    EXPECT_EQ(show(pool, pool_interface, "FailedMembers"), "[]");
    const auto size = property_as<std::uint64_t>(pool, pool_interface, "Size");
    EXPECT_EQ(property_as<std::uint64_t>(pool, pool_interface, "Free"),
              size - (2 * leg_extents + new_volume_bytes / extent) * extent)
        << "the old image's extents on the returned member are not free";
    EXPECT_EQ(members_under(fmt::format("{}_rimage_1", raid_dm)), std::set<unsigned>{spare});

    // A restart keeps it so: no rebuild, no resync.
    stop_volumesd(*bus);
    start_volumesd_by_a_call();
    EXPECT_TRUE(wait_health(raid, "ok", health_timeout)) << describe_raid(raid, raid_dm);
    EXPECT_EQ(live_table_text(raid_dm).find("rebuild"), std::string::npos) << live_table_text(raid_dm);
    EXPECT_TRUE(holds(array, 0, 8 * mib, 12));
    EXPECT_TRUE(holds(array, 8 * mib, raid_bytes - 8 * mib, 7));
}

// Raid1.AddImage and Raid1.RemoveImage (issue 16), as lvm2's lvconvert -m+1 and -m-1: a
// two-image array holding checksummed data gets a third image on the third member; its job
// follows the sync to its end, the three images are then alike and the array no longer loads
// with "rebuild". Then slot 0 goes, the case where the images after it move down a slot:
// two images, both still alike and holding the data, the removed image's extents free, and
// so after the array is assembled again; the same with slot 0 removed while the array is
// inactive. Every refusal on the way changes nothing.
TEST_F(BusMemberFailure, AddImageThenRemoveImage)
{
    auto& members = make_members(3);
    const std::string pool_name = "images";
    const auto pool = create_pool(pool_name, members.paths());
    const auto raid = create_volume(pool, "mir", raid_bytes, {{"kind", "s", "raid1"}});
    const auto raid_dm = dm_name(pool_name, "mir");
    wait_raid1_in_sync(raid);
    const auto array = mapper(raid_dm);
    ASSERT_TRUE(writes(array, 0, raid_bytes, 31));
    wait_raid1_in_sync(raid);
    const auto whole = digest(array, 0, raid_bytes);

    const auto slots = slot_members(pool, raid, raid_dm);
    ASSERT_EQ(slots.size(), 2u);
    unsigned spare = 0;
    while (spare == slots[0] || spare == slots[1])
        ++spare;
    const auto spare_uuid = member_uuid(pool, spare);
    const auto members_words = [&](const std::string& member) {
        return std::vector<std::string>{"a{sv}", "1", "members", "as", "1", member};
    };
    const auto remove_words = [](std::uint32_t slot) { return CallArguments().u(slot).options().words(); };
    const auto refused_unchanged = [&](const std::vector<std::string>& words, const char* method,
                                       const std::string& error, const std::string& text) {
        SCOPED_TRACE(fmt::format("{} {}", method, fmt::join(words, " ")));
        const auto before = take_snapshot(*bus, members.paths());
        const auto outcome = call(*bus, {raid, raid1_interface, method, words});
        EXPECT_EQ(outcome.error, "org.example.Volumes.Error." + error) << outcome.describe();
        EXPECT_NE(outcome.text.find(text), std::string::npos) << outcome.describe();
        const auto changed = differences(before, take_snapshot(*bus, members.paths()));
        EXPECT_TRUE(changed.empty()) << fmt::format("{}", fmt::join(changed, "\n"));
    };

    // A two-image array keeps both; onto a member that already holds an image: refused.
    refused_unchanged(remove_words(0), "RemoveImage", "InvalidArgument", "at least two");
    refused_unchanged(members_words(members.path(slots[0])), "AddImage", "InvalidArgument", "already holds an image");

    const auto extent = property_as<std::uint64_t>(pool, pool_interface, "ExtentSize");
    const auto leg_extents = raid_bytes / extent + 1;  // the image and its metadata extent
    const auto free_before = property_as<std::uint64_t>(pool, pool_interface, "Free");

    const auto added = call(*bus, {raid, raid1_interface, "AddImage", members_words(members.path(spare))});
    ASSERT_TRUE(added.ok()) << added.describe();
    const auto job = added.text;
    // The table is read before Finished: a job not finished then had not reloaded the array yet.
    const auto table_at_reply = live_table_text(raid_dm);
    const auto finished_at_reply = show(job, job_interface, "Finished");
    RecordProperty("table_at_reply", table_at_reply);
    if (finished_at_reply != "true")
        EXPECT_NE(table_at_reply.find(" rebuild 2 "), std::string::npos)
            << "the new image is not loaded with rebuild while the job runs: " << table_at_reply;
    EXPECT_EQ(show(job, job_interface, "Operation"), "raid1-add-image");
    EXPECT_EQ(property_as<std::uint64_t>(pool, pool_interface, "Free"), free_before - leg_extents * extent)
        << "the new image's extents";

    const auto started = std::chrono::steady_clock::now();
    const bool ended = pump_until(*bus, [&] { return show(job, job_interface, "Finished") == "true"; },
                                  std::chrono::seconds(300));
    RecordProperty("ms_to_add_job_end", std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                           std::chrono::steady_clock::now() - started)
                                                           .count()));
    ASSERT_TRUE(ended) << "the add-image job did not finish: Progress " << show(job, job_interface, "Progress")
                       << "; " << describe_raid(raid, raid_dm);
    EXPECT_EQ(show(job, job_interface, "Success"), "true") << show(job, job_interface, "Message");
    EXPECT_TRUE(wait_health(raid, "ok", health_timeout)) << describe_raid(raid, raid_dm);
    const auto table_added = live_table_text(raid_dm);
    EXPECT_EQ(table_added.find("rebuild"), std::string::npos)
        << "the array is still loaded with rebuild after the job ended: " << table_added;
    const auto three = slot_members(pool, raid, raid_dm);
    ASSERT_EQ(three.size(), 3u) << show(raid, raid1_interface, "Images");
    EXPECT_EQ(three[0], slots[0]);
    EXPECT_EQ(three[1], slots[1]);
    EXPECT_EQ(three[2], spare) << "the new image is not on the member asked for";
    for (unsigned slot = 0; slot < 3; ++slot)
        EXPECT_EQ(slot_health(raid, slot), "alive") << slot;
    const auto rimage = [&](unsigned slot) { return mapper(fmt::format("{}_rimage_{}", raid_dm, slot)); };
    try {
        for (unsigned slot = 0; slot < 3; ++slot)
            EXPECT_EQ(digest(rimage(slot), 0, raid_bytes), whole) << "image " << slot << " differs from the array";
    } catch (const std::exception& error) {
        ADD_FAILURE() << "reading the images: " << error.what();
    }
    EXPECT_TRUE(holds(array, 0, raid_bytes, 31));

    // Every member holds an image now; no slot 3; AddImage of a fourth: no room outside the array.
    refused_unchanged(remove_words(3), "RemoveImage", "InvalidArgument", "0 to 2");
    refused_unchanged(CallArguments().options().words(), "AddImage", "NoSpace", "");

    // Slot 0 goes: slots 1 and 2 move down to 0 and 1.
    const auto free_with_three = property_as<std::uint64_t>(pool, pool_interface, "Free");
    const auto removed = call(*bus, {raid, raid1_interface, "RemoveImage", remove_words(0)});
    ASSERT_TRUE(removed.ok()) << removed.describe();
    EXPECT_EQ(property_as<std::uint64_t>(pool, pool_interface, "Free"), free_with_three + leg_extents * extent)
        << "the removed image's extents are not free";
    EXPECT_EQ(table_slot(raid_dm, 2).rfind("<no slot 2", 0), 0u) << live_table_text(raid_dm);
    for (const auto* role : {"_rimage_2", "_rmeta_2"}) {
        const auto info = dm::info(kmod::DeviceId::by_name(raid_dm + role));
        EXPECT_TRUE(info && !info->exists) << raid_dm << role << " is still there";
    }
    const auto two = slot_members(pool, raid, raid_dm);
    ASSERT_EQ(two.size(), 2u) << show(raid, raid1_interface, "Images");
    EXPECT_EQ(two[0], slots[1]);
    EXPECT_EQ(two[1], spare);
    wait_raid1_in_sync(raid);
    EXPECT_TRUE(wait_health(raid, "ok", health_timeout)) << describe_raid(raid, raid_dm);
    RecordProperty("status_after_remove", describe_raid(raid, raid_dm));
    EXPECT_TRUE(holds(array, 0, raid_bytes, 31));
    try {
        EXPECT_EQ(digest(array, 0, raid_bytes), whole);
        for (unsigned slot = 0; slot < 2; ++slot)
            EXPECT_EQ(digest(rimage(slot), 0, raid_bytes), whole) << "image " << slot << " differs from the array";
    } catch (const std::exception& error) {
        ADD_FAILURE() << "reading the images: " << error.what();
    }
    // Writes after the removal reach both images.
    ASSERT_TRUE(writes(array, 0, 4 * mib, 32));
    wait_raid1_in_sync(raid);
    try {
        const auto written = digest(array, 0, 4 * mib);
        for (unsigned slot = 0; slot < 2; ++slot)
            EXPECT_EQ(digest(rimage(slot), 0, 4 * mib), written) << "image " << slot;
    } catch (const std::exception& error) {
        ADD_FAILURE() << "reading the images: " << error.what();
    }

    // Down to two images: refused, nothing changed.
    refused_unchanged(remove_words(1), "RemoveImage", "InvalidArgument", "at least two");

    // Deactivated and activated, the array is assembled from the superblocks written since:
    // the same images, in sync, the data.
    const auto reassembled = [&](const std::vector<unsigned>& expected, const char* when) {
        SCOPED_TRACE(when);
        EXPECT_TRUE(wait_health(raid, "ok", health_timeout)) << describe_raid(raid, raid_dm);
        wait_raid1_in_sync(raid);
        EXPECT_EQ(live_table_text(raid_dm).find("rebuild"), std::string::npos) << live_table_text(raid_dm);
        EXPECT_EQ(slot_members(pool, raid, raid_dm), expected);
        EXPECT_TRUE(holds(array, 0, 4 * mib, 32));
        EXPECT_TRUE(holds(array, 4 * mib, raid_bytes - 4 * mib, 31));
        try {
            const auto now = digest(array, 0, raid_bytes);
            for (unsigned slot = 0; slot < expected.size(); ++slot)
                EXPECT_EQ(digest(rimage(slot), 0, raid_bytes), now) << "image " << slot;
        } catch (const std::exception& error) {
            ADD_FAILURE() << "reading the images: " << error.what();
        }
    };
    call_volume(raid, "Deactivate");
    call_volume(raid, "Activate");
    reassembled(two, "after the active removal of slot 0, deactivated and activated");

    // An inactive array: a third image again (on the member slot 0 was on), then slot 0 goes
    // while the array is down, and it activates with slots 1 and 2 in slots 0 and 1.
    const auto again = call(*bus, {raid, raid1_interface, "AddImage", CallArguments().options().words()});
    ASSERT_TRUE(again.ok()) << again.describe();
    ASSERT_TRUE(pump_until(*bus, [&] { return show(again.text, job_interface, "Finished") == "true"; },
                           std::chrono::seconds(300)))
        << describe_raid(raid, raid_dm);
    EXPECT_EQ(show(again.text, job_interface, "Success"), "true") << show(again.text, job_interface, "Message");
    const auto three_again = slot_members(pool, raid, raid_dm);
    ASSERT_EQ(three_again.size(), 3u);
    EXPECT_EQ(three_again[2], slots[0]);
    call_volume(raid, "Deactivate");
    const auto removed_inactive = call(*bus, {raid, raid1_interface, "RemoveImage", remove_words(0)});
    ASSERT_TRUE(removed_inactive.ok()) << removed_inactive.describe();
    EXPECT_EQ(show(raid, volume_interface, "Active"), "false");
    call_volume(raid, "Activate");
    reassembled({three_again[1], three_again[2]}, "after slot 0 was removed while inactive");

    // A restart keeps it so.
    stop_volumesd(*bus);
    start_volumesd_by_a_call();
    reassembled({three_again[1], three_again[2]}, "after a restart");
}

// A transient failure heals by itself (lvm2 issue 120's complaint): the disk under slot 1 dies
// while volumesd runs, a change marks it failed, then the same disk answers again. With no
// call and no restart, volumesd re-adds it, its leg rejoins the array and resyncs only the
// regions written while it was away.
TEST_F(BusMemberFailure, TransientFailureHealsByItself)
{
    auto& members = make_members(3);
    const std::string pool_name = "blip";
    const auto pool = create_pool(pool_name, members.paths());
    const auto raid = create_volume(pool, "mir", raid_bytes, {{"kind", "s", "raid1"}});
    const auto raid_dm = dm_name(pool_name, "mir");
    wait_raid1_in_sync(raid);
    const auto array = mapper(raid_dm);
    ASSERT_TRUE(writes(array, 0, raid_bytes, 7));
    wait_raid1_in_sync(raid);

    const auto slots = slot_members(pool, raid, raid_dm);
    ASSERT_EQ(slots.size(), 2u);
    const unsigned blinking = slots[1];
    const auto blinking_uuid = member_uuid(pool, blinking);

    members.fail(blinking);
    // What the returning leg will have to catch up on: 8 whole 512 KiB regions.
    constexpr std::uint64_t block_offset = 4 * mib;
    constexpr std::uint64_t block_bytes = 4 * mib;
    ASSERT_TRUE(writes(array, block_offset, block_bytes, 12)) << "after the disk under slot 1 failed";
    EXPECT_TRUE(pump_until(
        *bus, [&] { return show(raid, raid1_interface, "Health") == "degraded"; }, health_timeout))
        << describe_raid(raid, raid_dm);
    const auto created = call(*bus, {pool, pool_interface, "CreateVolume",
                                     CallArguments().s("more").t(new_volume_bytes).options().words()});
    ASSERT_TRUE(created.ok()) << created.describe();
    ASSERT_EQ(show(pool, pool_interface, "FailedMembers"), fmt::format("[{}]", blinking_uuid));
    EXPECT_EQ(table_slot(raid_dm, 1), "- -") << live_table_text(raid_dm);

    // Still dead: the probe volumesd makes every few seconds commits nothing (no byte of the
    // live members, no table, no object changes).
    std::vector<std::string> live;
    for (unsigned i = 0; i < members.size(); ++i)
        if (i != blinking)
            live.push_back(members.path(i));
    const auto before_probes = take_snapshot(*bus, live);
    std::this_thread::sleep_for(std::chrono::seconds(12));
    const auto probes_changed = differences(before_probes, take_snapshot(*bus, live));
    EXPECT_TRUE(probes_changed.empty()) << fmt::format("{}", fmt::join(probes_changed, "\n"));

    // The same disk answers again. No call from here: only property reads.
    // Counted from before the restore: the re-add may come while restore() waits for udev.
    const auto loop_before = members.loop_sectors_written(blinking);
    const auto restored_at = std::chrono::steady_clock::now();
    members.restore(blinking);
    const bool readded = pump_until(
        *bus, [&] { return show(pool, pool_interface, "FailedMembers") == "[]"; }, std::chrono::seconds(90));
    RecordProperty("ms_to_readd", std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                     std::chrono::steady_clock::now() - restored_at)
                                                     .count()));
    ASSERT_TRUE(readded) << "the member that answers again was not re-added within 90 s: "
                         << show(pool, pool_interface, "FailedMembers") << "; " << describe_raid(raid, raid_dm);
    try {
        wait_raid1_in_sync(raid);
    } catch (const std::exception& error) {
        ADD_FAILURE() << "after the re-add: " << error.what() << "; " << describe_raid(raid, raid_dm);
    }
    EXPECT_TRUE(wait_health(raid, "ok", health_timeout)) << describe_raid(raid, raid_dm);
    EXPECT_NE(table_slot(raid_dm, 1), "- -") << live_table_text(raid_dm);

    EXPECT_TRUE(holds(array, 0, block_offset, 7));
    EXPECT_TRUE(holds(array, block_offset, block_bytes, 12));
    EXPECT_TRUE(holds(array, block_offset + block_bytes, raid_bytes - block_offset - block_bytes, 7));
    const auto rimage = [&](unsigned slot) { return mapper(fmt::format("{}_rimage_{}", raid_dm, slot)); };
    std::uint64_t rimage_written = 0;
    try {
        const auto whole = digest(array, 0, raid_bytes);
        EXPECT_EQ(digest(rimage(0), 0, raid_bytes), whole) << "the leg that stayed differs from the array";
        EXPECT_EQ(digest(rimage(1), 0, raid_bytes), whole) << "the returned leg differs from the array";
        rimage_written = block_sectors_written(rimage(1));
    } catch (const std::exception& error) {
        ADD_FAILURE() << "reading the legs: " << error.what();
    }
    const auto region = property_as<std::uint64_t>(raid, raid1_interface, "RegionSize");
    ASSERT_GT(region, 0u);
    const auto regions = (block_offset + block_bytes + region - 1) / region - block_offset / region;
    const auto dirty_sectors = regions * region / 512;
    const auto loop_written = members.loop_sectors_written(blinking) - loop_before;
    const auto counters =
        fmt::format("returning member's loop {} sectors, its rimage {}; dirty regions {} sectors ({} B regions), "
                    "whole image {} sectors",
                    loop_written, rimage_written, dirty_sectors, region, raid_bytes / 512);
    RecordProperty("readd_counters", counters);
    EXPECT_GE(rimage_written, block_bytes / 512) << "the re-add copied less than was written meanwhile: " << counters;
    EXPECT_LE(rimage_written, dirty_sectors) << "the re-add resynced more than the dirty regions: " << counters;
    EXPECT_LE(loop_written, dirty_sectors + readd_side_write_allowance_sectors)
        << "more than the dirty regions went to the returning member: " << counters;
}

}  // namespace
}  // namespace volumes::test
