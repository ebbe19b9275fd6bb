// volumectl split-track, merge (waiting, with a progress bar on a terminal), jobs, wait
// and split against volumesd.
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "bus_wait.hpp"
#include "object_paths.hpp"
#include "resync_speed_limit.hpp"
#include "signal_recorder.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "volumectl_fixture.hpp"

namespace volumes::test {
namespace {

using nlohmann::json;

class VolumectlRaid1 : public VolumectlTest {
protected:
    // tank on three loops; tank/mirror, a synced three-image raid1 of 32 MiB.
    void SetUp() override
    {
        VolumectlTest::SetUp();
        create_pool_with_volumectl("tank", 3);
        create_synced_raid1("tank/mirror", 32 * mib, 3);
        mirror = volume_path("tank", "mirror");
    }

    std::string mirror;
};

TEST_F(VolumectlRaid1, SplitTrackShowsTheReadOnlyImage)
{
    const auto image = volumectl_json({"split-track", "--image", "1", "--name", "backup", "tank/mirror"}).at("volume");
    EXPECT_EQ(image.at("object"), volume_path("tank", "backup"));
    EXPECT_EQ(image.at("name"), "backup");
    EXPECT_EQ(image.at("kind"), "tracked_image");
    EXPECT_EQ(image.at("read_only"), true);
    EXPECT_EQ(image.at("active"), true);
    EXPECT_EQ(image.at("origin"), mirror);
    EXPECT_EQ(image.at("tracked_image"), (json{{"array", mirror}, {"slot", 1}}));
    EXPECT_EQ(image.at("raid1"), nullptr);
    EXPECT_TRUE(refuses_writes(image.at("device_path")));

    const auto array = show_volume("tank/mirror");
    EXPECT_EQ(array.at("raid1").at("tracked_image"), image.at("object"));
    EXPECT_EQ(array.at("raid1").at("images")[1].at("health"), "split");
    EXPECT_EQ(property_as<sdbus::ObjectPath>(mirror, raid1_interface, "TrackedImage"), image.at("object").get<std::string>());
}

TEST_F(VolumectlRaid1, MergeShowsProgressOnATerminalAndReturnsWhenTheJobCompletes)
{
    volumectl_json({"split-track", "tank/mirror"});
    const auto array_device = show_volume("tank/mirror").at("device_path").get<std::string>();
    write_pattern(array_device, 0, 8 * mib, 21);
    SignalRecorder recorder(*bus, volumes_signals_match());
    ResyncSpeedLimit slow(1024);

    const auto merged = volumectl_on_terminal({"merge", "tank/mirror_image_2"});
    ASSERT_EQ(merged.status, 0) << merged.describe();

    // Returned only after the job's Completed was sent: the job has finished, and the
    // signal is already on its way to this connection.
    const auto jobs = volumectl_json({"jobs"}).at("jobs");
    const auto merge_job = std::find_if(jobs.begin(), jobs.end(), [](const json& j) { return j.at("operation") == "raid1-merge"; });
    ASSERT_NE(merge_job, jobs.end()) << jobs.dump();
    EXPECT_EQ(merge_job->at("finished"), true);
    EXPECT_EQ(merge_job->at("success"), true);
    const auto job_path = merge_job->at("object").get<std::string>();
    auto completed = [&] {
        return recorder.find([&](const RecordedSignal& s) { return s.member == "Completed" && s.path == job_path; }).has_value();
    };
    EXPECT_TRUE(pump_until(*bus, completed, std::chrono::seconds(10))) << recorder.describe();

    // The bar was redrawn in place with the job's progress, from below 100 % up to 100 %.
    EXPECT_NE(merged.out.find("\r"), std::string::npos) << merged.out;
    EXPECT_NE(merged.out.find("raid1-merge ["), std::string::npos) << merged.out;
    std::set<std::string> percentages;
    const std::regex percentage(R"(([0-9]+\.[0-9])%)");
    for (auto it = std::sregex_iterator(merged.out.begin(), merged.out.end(), percentage); it != std::sregex_iterator(); ++it)
        percentages.insert((*it)[1]);
    EXPECT_TRUE(percentages.contains("100.0")) << merged.out;
    EXPECT_GE(percentages.size(), 2u) << "no progress below 100 % was drawn: " << merged.out;
    EXPECT_NE(merged.out.find("merge of tank/mirror_image_2 completed"), std::string::npos) << merged.out;

    const auto array = show_volume("tank/mirror");
    EXPECT_EQ(array.at("raid1").at("tracked_image"), nullptr);
    EXPECT_EQ(array.at("raid1").at("sync_ratio"), 1.0);
    for (const auto& image : array.at("raid1").at("images"))
        EXPECT_EQ(image.at("health"), "alive") << array.dump();
    EXPECT_EQ(volumectl({"show", "tank/mirror_image_2"}).status, 4);
}

TEST_F(VolumectlRaid1, MergeWithoutWaitingThenWaitAndJobs)
{
    volumectl_json({"split-track", "tank/mirror"});
    write_pattern(show_volume("tank/mirror").at("device_path"), 0, 4 * mib, 22);
    ResyncSpeedLimit slow(1024);

    const auto started = volumectl_json({"merge", "--no-wait", "tank/mirror_image_2"});
    EXPECT_EQ(started.at("object"), volume_path("tank", "mirror_image_2"));
    EXPECT_EQ(started.at("pending"), false);
    const auto& job = started.at("job");
    EXPECT_EQ(job.at("operation"), "raid1-merge");
    EXPECT_EQ(job.at("objects"), json::array({mirror}));
    EXPECT_EQ(job.at("started_by_uid"), 0);
    EXPECT_EQ(job.at("cancelable"), false);
    const auto job_path = job.at("object").get<std::string>();

    const auto listed = volumectl_json({"jobs"}).at("jobs");
    EXPECT_TRUE(std::any_of(listed.begin(), listed.end(), [&](const json& j) { return j.at("object") == job_path; }))
        << listed.dump();

    const auto waited = volumectl_json({"wait", job_number(job_path)});
    ASSERT_EQ(waited.at("jobs").size(), 1u);
    const auto& done = waited.at("jobs")[0];
    EXPECT_EQ(done.at("object"), job_path);
    EXPECT_EQ(done.at("finished"), true);
    EXPECT_EQ(done.at("success"), true);
    EXPECT_EQ(done.at("progress"), 1.0);
    EXPECT_EQ(done.at("message"), property_as<std::string>(job_path, job_interface, "Message"));
    EXPECT_EQ(property_as<bool>(job_path, job_interface, "Finished"), true);

    // Waiting again for a finished job answers at once with the same result.
    EXPECT_EQ(volumectl_json({"wait", job_path}).at("jobs")[0], done);
    EXPECT_EQ(volumectl_json({"show", job_path}).at("job"), done);
    // And by its number, as `wait` takes it.
    EXPECT_EQ(volumectl_json({"show", job_number(job_path)}).at("job"), done);
}

TEST_F(VolumectlRaid1, SplitTurnsTheImageIntoAVolume)
{
    volumectl_json({"split-track", "tank/mirror"});
    const auto kept = volumectl_json({"split", "tank/mirror", "keep"}).at("volume");
    EXPECT_EQ(kept.at("object"), volume_path("tank", "keep"));
    EXPECT_EQ(kept.at("kind"), "linear");
    EXPECT_EQ(kept.at("read_only"), false);
    EXPECT_EQ(kept.at("size"), 32 * mib);
    const auto array = show_volume("tank/mirror");
    EXPECT_EQ(array.at("raid1").at("images").size(), 2u);
    EXPECT_EQ(array.at("raid1").at("tracked_image"), nullptr);
    EXPECT_EQ(volumectl({"show", "tank/mirror_image_2"}).status, 4);
}

// remove-image and add-image (issue 16): slot 2 of the three-image mirror goes, and an image
// comes back on the member it freed, add-image waiting for its job. Refusals change nothing.
TEST_F(VolumectlRaid1, RemoveImageThenAddImage)
{
    expect_refused_unchanged({"add-image", "tank/mirror"}, 10);        // NoSpace: every member holds an image
    expect_refused_unchanged({"remove-image", "tank/mirror", "3"}, 2);  // no slot 3

    const auto removed = volumectl_json({"remove-image", "tank/mirror", "2"});
    EXPECT_EQ(removed.at("object"), mirror);
    EXPECT_EQ(removed.at("removed_slot"), 2);
    EXPECT_EQ(show_volume("tank/mirror").at("raid1").at("images").size(), 2u);
    expect_refused_unchanged({"remove-image", "tank/mirror", "1"}, 2);  // a raid1 keeps two

    const auto added = volumectl_json({"add-image", "tank/mirror"});
    EXPECT_EQ(added.at("object"), mirror);
    EXPECT_EQ(added.at("job").at("operation"), "raid1-add-image");
    EXPECT_EQ(added.at("job").at("finished"), true);
    EXPECT_EQ(added.at("job").at("success"), true) << added.dump();
    const auto images = show_volume("tank/mirror").at("raid1").at("images");
    ASSERT_EQ(images.size(), 3u) << images.dump();
    for (const auto& image : images)
        EXPECT_EQ(image.at("health"), "alive") << images.dump();
}

}  // namespace
}  // namespace volumes::test
