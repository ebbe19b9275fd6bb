// Volume.ConvertToRaid1 through the bus (issue 16): a linear volume carrying a mounted ext4
// that a writer keeps writing to becomes a two-image raid1 without downtime: the same object,
// the same dm device (the mount never notices), a Job that follows the new image's sync to its
// end, then both images alike, no "rebuild" left in the table, and the files intact, also
// after a restart. Each refusal first changes nothing (member labels and metadata areas,
// every dm table, the exported objects).
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "bus_fixture.hpp"
#include "bus_wait.hpp"
#include "ext4_files.hpp"
#include "kmod/device_mapper.hpp"
#include "mounted_filesystem.hpp"
#include "state_snapshot.hpp"
#include "volumesd_control.hpp"
#include "tests/kernel/support/block_io.hpp"

namespace volumes::test {
namespace {

namespace dm = kmod::dm;

constexpr std::uint64_t data_bytes = 24 * mib;

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

// The "major:minor" /proc/self/mountinfo gives the filesystem mounted at `directory`, or "".
std::string mounted_device(const std::string& directory)
{
    std::ifstream in("/proc/self/mountinfo");
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        std::string id, parent, device, root, point;
        words >> id >> parent >> device >> root >> point;
        if (point == directory)
            return device;
    }
    return "";
}

std::string device_numbers(const std::string& path)
{
    struct stat info{};
    if (::stat(path.c_str(), &info) != 0)
        return "<no " + path + ">";
    return fmt::format("{}:{}", major(info.st_rdev), minor(info.st_rdev));
}

// Writes and syncs a small file in the filesystem again and again until stopped, counting
// the rounds and the ones that failed: the filesystem keeps taking writes while its device
// is reloaded.
class Writer {
public:
    explicit Writer(std::string directory)
        : directory_(std::move(directory)), thread_([this] { run(); })
    {
    }
    ~Writer() { stop(); }
    void stop()
    {
        stopping_ = true;
        if (thread_.joinable())
            thread_.join();
    }
    unsigned rounds() const { return rounds_; }
    unsigned failures() const { return failures_; }

private:
    void run()
    {
        const auto path = directory_ + "/writer";
        while (!stopping_) {
            const std::string content(64 * 1024, static_cast<char>('a' + rounds_ % 26));
            const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            bool ok = fd >= 0;
            ok = ok && ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
            ok = ok && ::fsync(fd) == 0;
            if (fd >= 0)
                ok = ::close(fd) == 0 && ok;
            if (!ok)
                ++failures_;
            ++rounds_;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    std::string directory_;
    std::atomic<bool> stopping_{false};
    std::atomic<unsigned> rounds_{0};
    std::atomic<unsigned> failures_{0};
    std::thread thread_;
};

class BusConvertToRaid1 : public BusTest {
protected:
    // Which of the test's loops the dm device maps directly.
    std::set<std::string> loops_under(const std::string& name, const std::vector<const LoopDevice*>& loops)
    {
        auto deps = dm::deps(kmod::DeviceId::by_name(name));
        if (!deps)
            throw std::runtime_error(fmt::format("the devices under {}: {}", name, deps.error().message));
        std::set<std::string> found;
        for (const auto& number : *deps)
            for (const auto* loop : loops)
                if (loop->number() == number)
                    found.insert(loop->path());
        return found;
    }

    // The call is refused with `error` and changes nothing.
    void expect_refused_unchanged(const std::string& what, const Call& refused, const std::string& error)
    {
        SCOPED_TRACE(what);
        const auto before = take_snapshot(*bus, loop_paths());
        const auto outcome = call(*bus, refused);
        EXPECT_EQ(outcome.error, error) << outcome.describe();
        const auto changed = differences(before, take_snapshot(*bus, loop_paths()));
        EXPECT_TRUE(changed.empty()) << fmt::format("{}", fmt::join(changed, "\n"));
    }
};

std::vector<std::string> members_words(const std::string& member)
{
    return {"a{sv}", "1", "members", "as", "1", member};
}

TEST_F(BusConvertToRaid1, AMountedExt4LinearVolumeBecomesARaid1WithoutDowntime)
{
    const auto& a = new_loop();
    const auto& b = new_loop();
    const auto& c = new_loop();
    const std::vector<const LoopDevice*> loops{&a, &b, &c};
    const std::string pool_name = "conv";
    const auto pool = create_pool(pool_name, loop_paths());
    const auto data = create_volume(pool, "data", data_bytes);
    const auto dm_name = "volumes-conv-data";
    const auto device = mapper(dm_name);
    const auto home = loops_under(dm_name, loops);
    ASSERT_EQ(home.size(), 1u) << "set-up: the linear volume should be on one member";
    std::string spare;
    for (const auto* loop : loops)
        if (!home.contains(loop->path()) && spare.empty())
            spare = loop->path();

    // Refusals, each changing nothing.
    const auto off = create_volume(pool, "off", 4 * mib);
    call_volume(off, "Deactivate");
    const auto snapped = create_volume(pool, "snapped", 4 * mib);
    call_ok(*bus, {snapped, volume_interface, "CreateSnapshot", CallArguments().s("snap").t(4 * mib).options().words()});
    const auto convert = [&](const std::string& volume, std::vector<std::string> words) {
        return Call{volume, volume_interface, "ConvertToRaid1", std::move(words)};
    };
    expect_refused_unchanged("onto its own member", convert(data, members_words(*home.begin())),
                             "org.example.Volumes.Error.InvalidArgument");
    expect_refused_unchanged("a bad region size",
                             convert(data, CallArguments().options({{"region_size", "t", "3000"}}).words()),
                             "org.example.Volumes.Error.InvalidArgument");
    expect_refused_unchanged("an unknown option",
                             convert(data, CallArguments().options({{"images", "u", "3"}}).words()),
                             "org.example.Volumes.Error.InvalidArgument");
    expect_refused_unchanged("an inactive volume", convert(off, CallArguments().options().words()),
                             "org.example.Volumes.Error.InvalidArgument");
    expect_refused_unchanged("an origin with a snapshot", convert(snapped, CallArguments().options().words()),
                             "org.example.Volumes.Error.NotSupported");

    make_ext4(device);
    MountedExt4 mounted(device);
    mounted.write_file("small", 4096, 1);
    mounted.write_file("medium", 3 * mib + 17, 2);
    mounted.write_file("large", 9 * mib, 3);
    const auto files = mounted.digests();
    const auto numbers = device_numbers(device);
    ASSERT_EQ(mounted_device(mounted.directory()), numbers);
    const auto device_number = property_as<std::uint64_t>(data, volume_interface, "DeviceNumber");
    const auto extent = property_as<std::uint64_t>(pool, pool_interface, "ExtentSize");
    const auto free_before = property_as<std::uint64_t>(pool, pool_interface, "Free");

    Writer writer(mounted.directory());
    // The writer is under way before the call.
    ASSERT_TRUE(pump_until(*bus, [&] { return writer.rounds() > 0; }, std::chrono::seconds(60)));
    const auto converted = call(*bus, convert(data, members_words(spare)));
    ASSERT_TRUE(converted.ok()) << converted.describe();
    const auto job = converted.text;
    const auto table_at_reply = live_table_text(dm_name);
    const auto finished_at_reply = property_as<bool>(job, job_interface, "Finished");
    RecordProperty("table_at_reply", table_at_reply);
    if (!finished_at_reply) {
        EXPECT_NE(table_at_reply.find(" rebuild 1 "), std::string::npos)
            << "the new image is not loaded with rebuild while the job runs: " << table_at_reply;
    }
    EXPECT_EQ(property_as<std::string>(job, job_interface, "Operation"), "raid1-convert");
    // The same object and the same dm device, now a raid1.
    EXPECT_EQ(property_as<std::string>(data, volume_interface, "Kind"), "raid1");
    EXPECT_EQ(property_as<std::uint64_t>(data, volume_interface, "DeviceNumber"), device_number);
    EXPECT_EQ(property_as<std::string>(data, volume_interface, "DevicePath"), device);
    EXPECT_EQ(property_as<std::uint64_t>(data, volume_interface, "Size"), data_bytes);
    EXPECT_EQ(property_as<std::uint64_t>(pool, pool_interface, "Free"), free_before - (data_bytes / extent + 2) * extent)
        << "the new image and the two metadata extents";

    ASSERT_NO_THROW(wait_job_finished(job, std::chrono::seconds(300)));
    EXPECT_TRUE(property_as<bool>(job, job_interface, "Success"))
        << property_as<std::string>(job, job_interface, "Message");
    wait_raid1_in_sync(data);
    writer.stop();
    RecordProperty("writer_rounds", std::to_string(writer.rounds()));
    EXPECT_EQ(writer.failures(), 0u) << "writes to the mounted filesystem failed during the conversion";
    EXPECT_EQ(mounted_device(mounted.directory()), numbers) << "the filesystem is no longer mounted from the volume";
    EXPECT_EQ(property_as<std::string>(data, raid1_interface, "Health"), "ok");
    const auto table_after = live_table_text(dm_name);
    EXPECT_EQ(table_after.find("rebuild"), std::string::npos) << "still loaded with rebuild: " << table_after;
    EXPECT_EQ(loops_under(fmt::format("{}_rimage_0", dm_name), loops), home) << "image 0 moved";
    EXPECT_EQ(loops_under(fmt::format("{}_rmeta_0", dm_name), loops), home) << "image 0's metadata elsewhere";
    EXPECT_EQ(loops_under(fmt::format("{}_rimage_1", dm_name), loops), std::set<std::string>{spare})
        << "the new image is not on the member asked for";

    auto expected = files;
    expected["writer"] = mounted.digests().at("writer");
    EXPECT_EQ(mounted.digests(), expected);
    mounted.unmount();
    try {
        const auto whole = digest(device, 0, data_bytes);
        EXPECT_EQ(digest(mapper(fmt::format("{}_rimage_0", dm_name)), 0, data_bytes), whole);
        EXPECT_EQ(digest(mapper(fmt::format("{}_rimage_1", dm_name)), 0, data_bytes), whole)
            << "the new image differs from the array";
    } catch (const std::exception& error) {
        ADD_FAILURE() << "reading the images: " << error.what();
    }

    // A restart keeps it a raid1 in sync, without "rebuild", with the files as they were.
    stop_volumesd(*bus);
    (void)property(manager_path, manager_interface, "Version");
    wait_raid1_in_sync(data);
    EXPECT_EQ(live_table_text(dm_name).find("rebuild"), std::string::npos) << live_table_text(dm_name);
    EXPECT_EQ(property_as<std::string>(data, volume_interface, "Kind"), "raid1");
    MountedExt4 again(device);
    EXPECT_EQ(again.digests(), expected) << "the files differ after a restart";
}

}  // namespace
}  // namespace volumes::test
