// volumectl snapshot and rollback against volumesd's CoW snapshots (Volume.CreateSnapshot,
// Snapshot.Merge).
#include <gtest/gtest.h>

#include "object_paths.hpp"
#include "open_device.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "volumectl_fixture.hpp"

namespace volumes::test {
namespace {

using nlohmann::json;

class VolumectlSnapshot : public VolumectlTest {
protected:
    void SetUp() override
    {
        VolumectlTest::SetUp();
        create_pool_with_volumectl("tank", 2);
        origin_device = volumectl_json({"create", "tank/root", "8M"}).at("volume").at("device_path");
        write_pattern(origin_device, 0, 8 * mib, 31);
    }

    std::string origin_device;
};

TEST_F(VolumectlSnapshot, SnapshotShowsItsCow)
{
    const auto snapshot =
        volumectl_json({"snapshot", "--cow-size", "8M", "--chunk-size", "8K", "tank/root", "before"}).at("volume");
    const auto path = volume_path("tank", "before");
    EXPECT_EQ(snapshot.at("object"), path);
    EXPECT_EQ(snapshot.at("kind"), "snapshot");
    EXPECT_EQ(snapshot.at("origin"), volume_path("tank", "root"));
    const auto& cow = snapshot.at("snapshot");
    ASSERT_TRUE(cow.is_object()) << snapshot.dump();
    EXPECT_EQ(cow.at("origin"), volume_path("tank", "root"));
    EXPECT_EQ(cow.at("total_sectors"), property_as<std::uint64_t>(path, snapshot_interface, "TotalSectors"));
    EXPECT_GE(cow.at("total_sectors").get<std::uint64_t>(), 8 * mib / 512 - 64);
    EXPECT_EQ(cow.at("invalid"), false);
    EXPECT_EQ(cow.at("merge_state"), "none");
    EXPECT_TRUE(holds_pattern(snapshot.at("device_path"), 0, 8 * mib, 31));
}

TEST_F(VolumectlSnapshot, RollbackWaitsForTheMergeAndRestoresTheOrigin)
{
    volumectl_json({"snapshot", "--cow-size", "12M", "tank/root", "before"});
    write_pattern(origin_device, 0, 4 * mib, 32);  // the "bad update"

    const auto rolled = volumectl_json({"rollback", "tank/before"});
    EXPECT_EQ(rolled.at("object"), volume_path("tank", "before"));
    EXPECT_EQ(rolled.at("pending"), false);
    const auto& job = rolled.at("job");
    ASSERT_TRUE(job.is_object()) << rolled.dump();
    EXPECT_EQ(job.at("operation"), "snapshot-merge");
    EXPECT_EQ(job.at("finished"), true);
    EXPECT_EQ(job.at("success"), true);
    EXPECT_TRUE(holds_pattern(origin_device, 0, 8 * mib, 31));
    EXPECT_EQ(volumectl({"show", "tank/before"}).status, 4);  // the snapshot is gone after its merge
}

TEST_F(VolumectlSnapshot, RollbackOfAnOpenOriginIsPending)
{
    volumectl_json({"snapshot", "--cow-size", "12M", "tank/root", "before"});
    const auto result = [&] {
        OpenDevice open(origin_device);
        return volumectl({"--json", "rollback", "tank/before"});
    }();
    ASSERT_EQ(result.status, 0) << result.describe();
    const auto rolled = parse_stdout(result);
    EXPECT_EQ(rolled, (json{{"object", volume_path("tank", "before")}, {"pending", true}, {"job", nullptr}}));
    EXPECT_EQ(show_volume("tank/before").at("snapshot").at("merge_state"), "pending");

    const auto text = volumectl({"rollback", "tank/before"});
    EXPECT_EQ(text.status, 6) << text.describe();  // Busy: already pending
}

TEST_F(VolumectlSnapshot, MergeOfASnapshotIsARollback)
{
    volumectl_json({"snapshot", "--cow-size", "12M", "tank/root", "before"});
    write_pattern(origin_device, 0, 4 * mib, 33);
    const auto merged = volumectl_json({"merge", "tank/before"});
    EXPECT_EQ(merged.at("pending"), false);
    EXPECT_EQ(merged.at("job").at("success"), true);
    EXPECT_TRUE(holds_pattern(origin_device, 0, 8 * mib, 31));
}

TEST_F(VolumectlSnapshot, RollbackOfAVolumeThatIsNoSnapshotIsEight)
{
    const auto result = volumectl({"--json", "rollback", "tank/root"});
    EXPECT_EQ(result.status, 8) << result.describe();
    EXPECT_EQ(parse_stdout(result).at("error").at("name"), "NotSupported");
}

}  // namespace
}  // namespace volumes::test
