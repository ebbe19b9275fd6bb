// volumectl convert against volumesd: a linear volume with data becomes a raid1, the command
// waiting for the new image's sync; refusals exit with their code and change nothing.
#include <gtest/gtest.h>

#include "tests/kernel/support/block_io.hpp"
#include "volumectl_fixture.hpp"

namespace volumes::test {
namespace {

class VolumectlConvert : public VolumectlTest {};

TEST_F(VolumectlConvert, ALinearVolumeBecomesARaid1AndTheCommandWaitsForItsSync)
{
    const auto pool = create_pool_with_volumectl("tank", 2);
    const auto member = pool.at("pool").at("members")[0].at("device").get<std::string>();
    volumectl_json({"create", "tank/data", "16M"});
    const auto before = show_volume("tank/data");
    const auto device = before.at("device_path").get<std::string>();
    write_pattern(device, 0, 16 * mib, 5);

    expect_refused_unchanged({"convert", "tank/data", "--type", "raid1", "--region-size", "3000"}, 2);
    volumectl_json({"create", "tank/off", "4M"});
    volumectl_json({"deactivate", "tank/off"});
    expect_refused_unchanged({"convert", "tank/off", "--type", "raid1"}, 2);

    const auto converted = volumectl_json({"convert", "tank/data", "--type", "raid1"});
    EXPECT_EQ(converted.at("object"), before.at("object"));
    EXPECT_EQ(converted.at("job").at("operation"), "raid1-convert");
    EXPECT_EQ(converted.at("job").at("finished"), true);
    EXPECT_EQ(converted.at("job").at("success"), true) << converted.dump();

    const auto after = show_volume("tank/data");
    EXPECT_EQ(after.at("kind"), "raid1");
    EXPECT_EQ(after.at("device_path"), device);
    EXPECT_EQ(after.at("device_number"), before.at("device_number"));
    EXPECT_EQ(after.at("raid1").at("images").size(), 2u) << after.dump();
    EXPECT_EQ(after.at("raid1").at("health"), "ok") << after.dump();
    EXPECT_TRUE(holds_pattern(device, 0, 16 * mib, 5));

    // Converting it again: it is a raid1 already.
    expect_refused_unchanged({"convert", "tank/data", "--type", "raid1", "--members", member}, 2);
}

}  // namespace
}  // namespace volumes::test
