// Pool.EvacuateMember (issue 16, lvm2's pvmove then vgreduce): a member holding a linear
// volume and a raid1 leg is emptied through the bus while both stay online, its job followed
// to the end, the member removed with its label erased and the data intact on the other
// members; and the same move cancelled halfway leaves the pool's document, every dm table and
// the data exactly as before it. RemoveMember with "move" does the same and answers when done.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "bus_fixture.hpp"
#include "bus_wait.hpp"
#include "failing_members.hpp"
#include "process.hpp"
#include "resync_speed_limit.hpp"
#include "kmod/device_mapper.hpp"
#include "service/metadata/label.hpp"
#include "service/metadata/pool_reader.hpp"
#include "state_snapshot.hpp"
#include "volumesd_control.hpp"
#include "tests/kernel/support/block_io.hpp"

namespace volumes::test {
namespace {

namespace dm = kmod::dm;

constexpr std::uint64_t raid_bytes = 8 * mib;
constexpr auto job_timeout = std::chrono::seconds(400);

std::string mapper(const std::string& pool, const std::string& volume)
{
    return fmt::format("/dev/mapper/volumes-{}-{}", pool, volume);
}

// The pool object of the committed document the given members hold, as JSON text.
std::string committed_pool(const std::vector<std::string>& paths)
{
    std::vector<int> fds;
    std::vector<metadata::MemberDevice> devices;
    for (const auto& path : paths) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            throw std::runtime_error("cannot open " + path);
        fds.push_back(fd);
        auto label = metadata::read_label(fd);
        if (!label)
            continue;  // not a member (any more)
        devices.push_back({fd, *label});
    }
    auto read = metadata::read_pool(devices);
    for (const int fd : fds)
        ::close(fd);
    if (!read)
        throw std::runtime_error("reading the pool's metadata: " + read.error().message);
    return read->committed.pool.dump();
}

bool has_label(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw std::runtime_error("cannot open " + path);
    const bool labelled = metadata::read_label(fd).has_value();
    ::close(fd);
    return labelled;
}

// dm devices whose name says they copy a moved run.
std::vector<std::string> move_devices()
{
    std::vector<std::string> found;
    for (const auto& [name, text] : dm_tables())
        if (name.find("_pvmove") != std::string::npos)
            found.push_back(name);
    return found;
}

class BusMemberEvacuate : public BusTest {
protected:
    void TearDown() override
    {
        BusTest::TearDown();
        members_.reset();
    }

    // The test's members a dm device's live table maps directly.
    std::set<unsigned> members_under(const std::string& name)
    {
        auto deps = dm::deps(kmod::DeviceId::by_name(name));
        if (!deps)
            throw std::runtime_error(fmt::format("the devices under {}: {}", name, deps.error().message));
        std::set<unsigned> found;
        for (const auto& number : *deps)
            if (const auto index = members_->index_of(number))
                found.insert(*index);
        return found;
    }

    std::string show(const std::string& path, const char* interface, const std::string& name)
    {
        try {
            const auto value = property(path, interface, name);
            const auto type = value.peekValueType();
            if (type == "b")
                return value.get<bool>() ? "true" : "false";
            if (type == "s")
                return value.get<std::string>();
            if (type == "d")
                return fmt::format("{}", value.get<double>());
            return fmt::format("<{}>", type);
        } catch (const sdbus::Error& error) {
            return fmt::format("<{}: {}>", error.getName(), error.getMessage());
        }
    }

    std::unique_ptr<FailingMembers> members_;
};

// A raid1 "mir" on two members and a linear "lin" on one of them: that member is emptied (the
// leg can only go to the third member) and removed.
TEST_F(BusMemberEvacuate, EvacuateWithRemoveMovesEverythingAndTheMemberLeaves)
{
    members_ = std::make_unique<FailingMembers>(3);
    auto& members = *members_;
    const std::string name = "ev";
    const auto pool = create_pool(name, members.paths());
    const auto raid = create_volume(pool, "mir", raid_bytes, {{"kind", "s", "raid1"}});
    wait_raid1_in_sync(raid);
    // "fill" goes to the member without a leg (most free first), and leaves it with less free
    // than the legs' members, so "lin" goes to one of those.
    create_volume(pool, "fill", 16 * mib);
    create_volume(pool, "lin", 12 * mib);
    const auto lin_under = members_under(fmt::format("volumes-{}-lin", name));
    ASSERT_EQ(lin_under.size(), 1u);
    const unsigned leaving = *lin_under.begin();
    std::set<unsigned> leg_members;
    for (unsigned slot = 0; slot < 2; ++slot)
        for (auto m : members_under(fmt::format("volumes-{}-mir_rimage_{}", name, slot)))
            leg_members.insert(m);
    ASSERT_TRUE(leg_members.contains(leaving)) << "lin is on member " << leaving << ", which holds no leg";

    write_pattern(mapper(name, "lin"), 0, 12 * mib, 31);
    write_pattern(mapper(name, "mir"), 0, raid_bytes, 32);

    // Before: RemoveMember refuses it, naming the way out.
    const auto refused = call(*bus, {pool, pool_interface, "RemoveMember",
                                     CallArguments().s(members.path(leaving)).options().words()});
    EXPECT_EQ(refused.error, "org.example.Volumes.Error.InUse") << refused.describe();
    EXPECT_NE(refused.text.find("EvacuateMember"), std::string::npos) << refused.describe();

    const auto moved = call(*bus, {pool, pool_interface, "EvacuateMember",
                                   CallArguments().s(members.path(leaving)).options({{"remove", "b", "true"}}).words()});
    ASSERT_TRUE(moved.ok()) << moved.describe();
    const auto job = moved.text;
    EXPECT_EQ(show(job, job_interface, "Cancelable"), "true");
    EXPECT_EQ(show(job, job_interface, "Operation"), "member-evacuate");
    // While it copies, a second move is Busy.
    const auto second = call(*bus, {pool, pool_interface, "EvacuateMember",
                                    CallArguments().s(members.path(leaving)).options().words()});
    if (show(job, job_interface, "Finished") != "true")
        EXPECT_EQ(second.error, "org.example.Volumes.Error.Busy") << second.describe();
    // Every other job is not cancelable (the raid1's sync job, if it is still exported).
    for (const auto& object : exported_objects(*bus))
        if (object.find("/jobs/") != std::string::npos && object != job)
            EXPECT_EQ(show(object, job_interface, "Cancelable"), "false") << object;

    wait_job_finished(job, job_timeout);
    EXPECT_EQ(show(job, job_interface, "Success"), "true") << show(job, job_interface, "Message");

    // The member is gone from the pool and its label erased; nothing maps it.
    const auto listed = property_as<std::vector<sdbus::Struct<std::string, std::string, std::uint64_t, bool>>>(
        pool, pool_interface, "Members");
    EXPECT_EQ(listed.size(), 2u);
    for (const auto& entry : listed)
        EXPECT_NE(members.index_of(entry.get<1>()), std::optional<unsigned>(leaving)) << entry.get<1>();
    EXPECT_FALSE(has_label(members.path(leaving)));
    EXPECT_FALSE(members_under(fmt::format("volumes-{}-lin", name)).contains(leaving));
    for (unsigned slot = 0; slot < 2; ++slot) {
        const auto under = members_under(fmt::format("volumes-{}-mir_rimage_{}", name, slot));
        EXPECT_FALSE(under.contains(leaving)) << "slot " << slot;
        EXPECT_EQ(under.size(), 1u) << "slot " << slot;
    }
    const auto slot0 = members_under(fmt::format("volumes-{}-mir_rimage_0", name));
    const auto slot1 = members_under(fmt::format("volumes-{}-mir_rimage_1", name));
    EXPECT_NE(slot0, slot1) << "two legs on one member";
    EXPECT_TRUE(move_devices().empty()) << fmt::format("{}", fmt::join(move_devices(), ", "));
    std::vector<std::string> staying;
    for (unsigned i = 0; i < members.size(); ++i)
        if (i != leaving)
            staying.push_back(members.path(i));
    const auto document = committed_pool(staying);
    EXPECT_EQ(document.find("extent_move"), std::string::npos) << document;

    EXPECT_TRUE(holds_pattern(mapper(name, "lin"), 0, 12 * mib, 31));
    EXPECT_TRUE(holds_pattern(mapper(name, "mir"), 0, raid_bytes, 32));
    wait_raid1_in_sync(raid);
    EXPECT_EQ(digest(fmt::format("/dev/mapper/volumes-{}-mir_rimage_0", name), 0, raid_bytes),
              digest(fmt::format("/dev/mapper/volumes-{}-mir_rimage_1", name), 0, raid_bytes));
}

TEST_F(BusMemberEvacuate, ACancelledMoveLeavesEverythingAsBefore)
{
    members_ = std::make_unique<FailingMembers>(2);
    auto& members = *members_;
    const std::string name = "cx";
    const auto pool = create_pool(name, members.paths());
    constexpr std::uint64_t lin_bytes = 40 * mib;
    create_volume(pool, "lin", lin_bytes);
    const auto lin_under = members_under(fmt::format("volumes-{}-lin", name));
    ASSERT_EQ(lin_under.size(), 1u);
    const unsigned leaving = *lin_under.begin();
    write_pattern(mapper(name, "lin"), 0, lin_bytes, 41);

    const auto before = take_snapshot(*bus, members.paths());
    const auto document_before = committed_pool(members.paths());

    // 256 KiB/s: 40 MiB take about 160 s, time enough to cancel halfway.
    const auto moved =
        call(*bus, {pool, pool_interface, "EvacuateMember",
                    CallArguments().s(members.path(leaving)).options({{"remove", "b", "true"}, {"max_rate", "u", "256"}})
                        .words()});
    ASSERT_TRUE(moved.ok()) << moved.describe();
    const auto job = moved.text;
    EXPECT_EQ(show(job, job_interface, "Cancelable"), "true");
    // The copy is under way: the volume maps its temporary raid1.
    EXPECT_FALSE(move_devices().empty());
    ASSERT_TRUE(pump_until(*bus, [&] { return property_as<double>(job, job_interface, "Progress") > 0.0; },
                           std::chrono::seconds(60)))
        << "no progress: " << show(job, job_interface, "Progress");
    // Writes during the move reach the old extents too.
    write_pattern(mapper(name, "lin"), 0, 1 * mib, 42);
    write_pattern(mapper(name, "lin"), 0, 1 * mib, 41);
    ASSERT_EQ(show(job, job_interface, "Finished"), "false") << "the copy ended before it could be cancelled";

    const auto cancelled = call(*bus, {job, job_interface, "Cancel", CallArguments().options().words()});
    ASSERT_TRUE(cancelled.ok()) << cancelled.describe();
    wait_job_finished(job, std::chrono::seconds(60));
    EXPECT_EQ(show(job, job_interface, "Success"), "false");
    EXPECT_EQ(show(job, job_interface, "Message").rfind("cancelled", 0), 0u) << show(job, job_interface, "Message");

    // Everything as before: every dm table, the objects, the pool's document (its seq aside).
    auto after = take_snapshot(*bus, members.paths());
    EXPECT_EQ(after.dm_devices, before.dm_devices);
    EXPECT_EQ(after.objects.size(), before.objects.size() + 1) << "only the finished job is new";
    EXPECT_EQ(committed_pool(members.paths()), document_before);
    EXPECT_TRUE(has_label(members.path(leaving)));
    EXPECT_TRUE(holds_pattern(mapper(name, "lin"), 0, lin_bytes, 41));

    // A second Cancel of the finished job is refused.
    const auto again = call(*bus, {job, job_interface, "Cancel", CallArguments().options().words()});
    EXPECT_EQ(again.error, "org.example.Volumes.Error.Busy") << again.describe();
}

// Pool.RemoveMember with "move" (as udisks2's RemoveDevice, which runs pvmove first): the call
// is answered only once the member has left. Cancelled through its job (md's resync speed
// held low), the call is answered Cancelled and everything is as before; called again, it
// moves the extents and the member leaves, the data intact.
TEST_F(BusMemberEvacuate, RemoveMemberWithMoveAnswersOnceTheMemberLeft)
{
    members_ = std::make_unique<FailingMembers>(2);
    auto& members = *members_;
    const std::string name = "rmv";
    const auto pool = create_pool(name, members.paths());
    constexpr std::uint64_t lin_bytes = 40 * mib;
    create_volume(pool, "lin", lin_bytes);
    const auto lin_under = members_under(fmt::format("volumes-{}-lin", name));
    ASSERT_EQ(lin_under.size(), 1u);
    const unsigned leaving = *lin_under.begin();
    write_pattern(mapper(name, "lin"), 0, lin_bytes, 61);
    const Call remove{pool, pool_interface, "RemoveMember",
                      CallArguments().s(members.path(leaving)).options({{"move", "b", "true"}}).words()};

    const auto before = take_snapshot(*bus, members.paths());
    const auto document_before = committed_pool(members.paths());
    std::string job;
    {
        ResyncSpeedLimit slow(256);
        auto pending = std::async(std::launch::async, [&] { return call_as(Credentials{0, 0}, remove); });
        const auto moving_job = [&] {
            for (const auto& object : exported_objects(*bus))
                if (object.find("/jobs/") != std::string::npos &&
                    show(object, job_interface, "Operation") == "member-evacuate" &&
                    show(object, job_interface, "Finished") == "false")
                    return object;
            return std::string();
        };
        ASSERT_TRUE(pump_until(*bus, [&] { return !(job = moving_job()).empty(); }, std::chrono::seconds(60)))
            << "no member-evacuate job appeared";
        EXPECT_EQ(show(job, job_interface, "Cancelable"), "true");
        EXPECT_EQ(pending.wait_for(std::chrono::seconds(0)), std::future_status::timeout)
            << "RemoveMember answered while its move runs: " << pending.get().describe();
        const auto cancelled = call(*bus, {job, job_interface, "Cancel", CallArguments().options().words()});
        ASSERT_TRUE(cancelled.ok()) << cancelled.describe();
        const auto answered = pending.get();
        EXPECT_EQ(answered.error, "org.example.Volumes.Error.Cancelled") << answered.describe();
    }
    auto after = take_snapshot(*bus, members.paths());
    EXPECT_EQ(after.dm_devices, before.dm_devices);
    EXPECT_EQ(committed_pool(members.paths()), document_before);
    EXPECT_TRUE(has_label(members.path(leaving)));
    EXPECT_TRUE(holds_pattern(mapper(name, "lin"), 0, lin_bytes, 61));

    const auto removed = call(*bus, remove);
    ASSERT_TRUE(removed.ok()) << removed.describe();
    const auto listed = property_as<std::vector<sdbus::Struct<std::string, std::string, std::uint64_t, bool>>>(
        pool, pool_interface, "Members");
    EXPECT_EQ(listed.size(), 1u);
    EXPECT_FALSE(has_label(members.path(leaving)));
    EXPECT_FALSE(members_under(fmt::format("volumes-{}-lin", name)).contains(leaving));
    EXPECT_TRUE(move_devices().empty()) << fmt::format("{}", fmt::join(move_devices(), ", "));
    EXPECT_TRUE(holds_pattern(mapper(name, "lin"), 0, lin_bytes, 61));
}

// volumesd stops while the copy runs: started again, it finds the move in the metadata, keeps
// the copies (their tables unchanged) and follows them with a new job to the end.
TEST_F(BusMemberEvacuate, AMoveGoesOnAfterARestart)
{
    members_ = std::make_unique<FailingMembers>(2);
    auto& members = *members_;
    const std::string name = "rs";
    const auto pool = create_pool(name, members.paths());
    constexpr std::uint64_t lin_bytes = 24 * mib;
    create_volume(pool, "lin", lin_bytes);
    const auto lin_under = members_under(fmt::format("volumes-{}-lin", name));
    ASSERT_EQ(lin_under.size(), 1u);
    const unsigned leaving = *lin_under.begin();
    write_pattern(mapper(name, "lin"), 0, lin_bytes, 51);

    const auto moved =
        call(*bus, {pool, pool_interface, "EvacuateMember",
                    CallArguments().s(members.path(leaving)).options({{"remove", "b", "true"}, {"max_rate", "u", "512"}})
                        .words()});
    ASSERT_TRUE(moved.ok()) << moved.describe();
    ASSERT_TRUE(pump_until(*bus, [&] { return property_as<double>(moved.text, job_interface, "Progress") > 0.0; },
                           std::chrono::seconds(60)));
    ASSERT_EQ(show(moved.text, job_interface, "Finished"), "false") << "the copy ended before the restart";
    const auto copies = move_devices();
    ASSERT_FALSE(copies.empty());

    stop_volumesd(*bus);
    (void)show(manager_path, manager_interface, "Version");  // bus activation starts it again
    ASSERT_TRUE(volumesd_running(*bus));
    EXPECT_EQ(move_devices(), copies);
    std::string job;
    for (const auto& object : exported_objects(*bus))
        if (object.find("/jobs/") != std::string::npos && show(object, job_interface, "Operation") == "member-evacuate")
            job = object;
    ASSERT_FALSE(job.empty()) << "no job follows the move after the restart";
    EXPECT_EQ(show(job, job_interface, "Cancelable"), "true");
    wait_job_finished(job, job_timeout);
    EXPECT_EQ(show(job, job_interface, "Success"), "true") << show(job, job_interface, "Message");
    EXPECT_FALSE(has_label(members.path(leaving)));
    EXPECT_FALSE(members_under(fmt::format("volumes-{}-lin", name)).contains(leaving));
    EXPECT_TRUE(move_devices().empty());
    EXPECT_TRUE(holds_pattern(mapper(name, "lin"), 0, lin_bytes, 51));
}

}  // namespace
}  // namespace volumes::test
